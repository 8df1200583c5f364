"""A second look at a screen of text: what did not change is not read again, what did is read anew.

A terminal's screen drawn as xterm draws it (tiny fixed-width letters, lines 13 pixels apart),
read with real tesseract: read again as it was, after it printed one more line (every line moved
up), and after one line in its middle changed.
"""

from __future__ import annotations

import pytest
from fixtures.terminal_text import LINES, PITCH, ROWS, terminal
from seesay.vision import ocr
from seesay.vision.line_pieces import piece_rows

pytestmark = pytest.mark.slow


def piece_reader() -> ocr.TesseractReader:
    """A reader that reads a terminal in pieces, as any big block (``glyphs=False``: not by its
    cells, see test_terminal_cells.py)."""
    tessdata = ocr.find_tessdata()
    assert tessdata is not None
    return ocr.TesseractReader(tessdata, glyphs=False)


@pytest.fixture
def reader():
    return piece_reader()


def recognised(reader) -> int:
    """How many pieces of the screen tesseract has recognised so far (not taken from the memo)."""
    return reader.recognitions


def test_the_same_screen_again_is_said_the_same_without_reading_it_again(reader):
    screen = terminal(LINES[:ROWS])
    first = reader.read(screen)
    read_first = recognised(reader)
    assert sum("root root" in line.text for line in first.lines) >= ROWS - 2, first.text
    assert read_first >= 4, "a screen of 60 lines is read in pieces"
    again = reader.read(screen)
    assert again.text == first.text
    assert recognised(reader) == read_first


def test_after_one_more_line_only_the_pieces_that_moved_apart_are_read_again(reader):
    reader.read(terminal(LINES[:ROWS]))
    before = recognised(reader)
    scrolled = terminal(LINES[1:ROWS + 1])
    read = reader.read(scrolled)
    again = recognised(reader) - before
    assert read.text == piece_reader().read(scrolled).text  # what was kept reads as a fresh reader reads it
    assert LINES[ROWS].split()[-1].replace(".txt", "") in read.text  # the new last line is there
    assert again <= before // 2, f"{again} of {before} pieces read again after a scroll of one line"


def test_a_changed_line_is_read_anew(reader):
    lines = LINES[:ROWS]
    reader.read(terminal(lines))
    before = recognised(reader)
    changed = [*lines[:30], "-rw-r--r-- 1 root root   999 2026-12-02 quarterly-report.txt", *lines[31:]]
    read = reader.read(terminal(changed))
    assert "quarterly-report" in read.text
    assert lines[30].split()[-1].replace(".txt", "") not in read.text
    assert recognised(reader) - before <= 2


def test_pieces_cover_the_block_and_never_cut_a_kept_band():
    screen = terminal(LINES[:ROWS]).convert("L")
    rows = piece_rows(screen)
    assert rows[0][0] == 0 and rows[-1][1] == screen.height
    assert all(a[1] == b[0] for a, b in zip(rows, rows[1:]))
    assert len(rows) >= 4
    band = (4 + 20 * PITCH - 2, 4 + 24 * PITCH + 2)  # four lines drawn selected
    kept = piece_rows(screen, [band])
    assert not any(band[0] - 2 < cut < band[1] + 2 for _top, cut in kept[:-1]), kept
