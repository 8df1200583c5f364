"""Reading text with real tesseract: exact on screen-sized text, fast enough, and absent with a reason."""

from __future__ import annotations

import pytest

from fixtures.text_pages import PARAGRAPHS, render_text, words_right
from seesay.vision import ocr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reader():
    reader, problem = ocr.create_text_reader()
    assert problem is None, problem
    return reader


@pytest.mark.parametrize("points", [28, 16])
def test_paragraphs_are_read_in_order(reader, points):
    read = reader.read(render_text(PARAGRAPHS, points=points))
    assert words_right(PARAGRAPHS, read.text) >= 0.95
    assert [line.box[1] for line in read.lines] == sorted(line.box[1] for line in read.lines)  # top to bottom
    assert len(read.lines) == len(PARAGRAPHS)


def test_a_picture_without_text_gives_no_lines(reader, ):
    from PIL import Image

    assert reader.read(Image.new("RGB", (640, 480), (0, 0, 0))).lines == ()


def test_without_language_data_captions_still_work_and_the_fix_is_said(monkeypatch):
    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())  # a machine without tesseract-ocr's data
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    reader, problem = ocr.create_text_reader()
    assert isinstance(reader, ocr.NoTextReader)
    assert "sudo apt install tesseract-ocr tesseract-ocr-eng" in problem
