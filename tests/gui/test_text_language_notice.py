"""The window with the language setting German on a computer without Tesseract's German data: it
says once, spoken and shown, that German text is read as English and which package adds the
data, and text is still read, in English (issue 17, part 4)."""

from __future__ import annotations

import io

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from fixtures.text_pages import render_text
from gui.conftest import spoken
from integration.test_text_languages import english_data_only  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow
NOTICE = "German text is read as English: Tesseract's German language data is not installed."
PAGE = ["Please read the summary before the meeting on Friday.", "Thank you all for the careful work."]


def paste_page() -> None:
    buffer = io.BytesIO()
    render_text(PAGE, size=(1000, 300), points=20).save(buffer, "PNG")
    QApplication.clipboard().setImage(QImage.fromData(buffer.getvalue()))


def test_missing_language_data_is_said_once_and_english_is_read(qtbot, make_app, tmp_path, english_data_only):
    app = make_app(language="de")
    qtbot.waitUntil(lambda: any(NOTICE in line for line in spoken(tmp_path)), timeout=30000)
    assert "sudo apt install tesseract-ocr-deu" in app.window.status.text()  # shown whole
    for number in (1, 2):
        paste_page()
        app.window.commands["paste"].trigger()
        qtbot.waitUntil(lambda: sum(PAGE[0] in line for line in spoken(tmp_path)) == number, timeout=30000)
    said = spoken(tmp_path)
    assert sum(NOTICE in line for line in said) == 1, "\n".join(said)
    notice = next(line for line in said if NOTICE in line)
    assert notice.endswith("To read it, install the package tesseract-ocr-deu."), notice
    assert "sudo" not in " ".join(said), said  # the command line is shown, not said
