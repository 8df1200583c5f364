"""A terminal read by its cells (vision/glyph_grid.py), with real tesseract: what is spelled from
learned cells is what tesseract reads, a cell never seen is read by tesseract and not guessed, a
second look at known cells needs no recognition, and what is not a terminal is not taken for one.
xterm itself, at 1920x1080, is in tests/e2e/test_real_programs.py."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from fixtures.text_pages import PARAGRAPHS, render_text
from seesay.vision import ocr
from seesay.vision.glyph_grid import INK, find_grid
from fixtures.terminal_text import LINES, PITCH, ROWS, terminal

pytestmark = pytest.mark.slow


def piece_reader() -> ocr.TesseractReader:
    return ocr.TesseractReader(ocr.find_tessdata(), glyphs=False)


@pytest.fixture
def reader():
    reader, problem = ocr.create_text_reader("en")
    assert problem is None, problem
    return reader


def ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < INK


def test_a_terminal_is_a_grid_of_cells_and_a_page_of_prose_is_not():
    grid = find_grid(ink(terminal(LINES[:ROWS])))
    assert grid is not None and grid.height == PITCH and grid.rows >= ROWS
    assert find_grid(ink(render_text(PARAGRAPHS * 4, points=16))) is None
    shifted = terminal(LINES[:ROWS])
    shifted.paste(terminal(LINES[:ROWS]).crop((0, 0, 640, 400)).transform(
        (640, 400), Image.AFFINE, (1, 0, 3, 0, 1, 0), fillcolor="white"), (0, 0))  # a third of a cell out
    assert find_grid(ink(shifted)) is None


def test_what_is_spelled_from_cells_is_what_tesseract_reads_and_quicker(reader):
    screen = terminal(LINES[:ROWS])
    by_cells = reader.read(screen)
    by_pieces = piece_reader().read(screen)
    rows = [line.text for line in by_cells.lines]
    assert sum("root root" in row for row in rows) >= ROWS - 1, by_cells.text
    same = sum(a.text == b.text for a, b in zip(by_cells.lines, by_pieces.lines))
    assert same >= 0.9 * len(by_pieces.lines), (by_cells.text, by_pieces.text)
    assert reader.recognitions <= 8  # a few strips of lines, against 60 lines in pieces


def test_a_second_look_at_known_cells_recognises_nothing(reader):
    first = reader.read(terminal(LINES[:ROWS]))
    before = reader.recognitions
    again = reader.read(terminal(LINES[1:ROWS + 1]))  # one line more: every line moved
    assert reader.recognitions - before <= 2
    assert again.lines[0].text == first.lines[1].text


def test_a_line_with_letters_never_seen_is_read_not_guessed(reader):
    reader.read(terminal(LINES[:ROWS]))
    changed = [*LINES[:30], "-rw-r--r-- 1 root root   999 2026-12-02 QUIZ-ZEBRA-JACKPOT.txt", *LINES[31:ROWS]]
    read = reader.read(terminal(changed))
    assert "QUIZ-ZEBRA-JACKPOT" in read.text, read.text
