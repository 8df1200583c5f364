"""The README: "Every problem (a damaged picture, a missing model, no speech engine) is spoken, shown
in the window and written to the log file". Each problem a person can cause in the window is
checked for all three (the log by kind, never by what it was about)."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.conftest import spoken
from gui.test_private_records import log_file  # noqa: F401 (a fixture)
from gui.test_window import drop, wait_ready

pytestmark = pytest.mark.slow


def problems_logged(path) -> list[str]:
    for handler in logging.getLogger("seesay").handlers:
        handler.flush()
    return [line for line in path.read_text(encoding="utf-8").splitlines() if " WARNING " in line or " ERROR " in line]


def test_every_problem_is_said_shown_and_logged(qtbot, make_app, tmp_path, log_file):  # noqa: F811
    app = make_app(vqa_model=str(tmp_path / "no-such-question-model"))
    window = app.window
    wait_ready(qtbot, app)
    damaged = tmp_path / "holiday.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    folder = tmp_path / "photos"
    folder.mkdir()

    def folder_dropped():
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        drop(window, mime)

    def damaged_dropped():
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(damaged))])
        drop(window, mime)

    def nothing_to_paste():
        QApplication.clipboard().setImage(QImage())
        QApplication.clipboard().setText("just words")
        window.commands["paste"].trigger()

    for cause in (folder_dropped, damaged_dropped, nothing_to_paste):
        heard, logged = len(spoken(tmp_path)), len(problems_logged(log_file))
        cause()
        qtbot.waitUntil(lambda: len(spoken(tmp_path)) > heard, timeout=30000)
        said = spoken(tmp_path)[heard]
        assert said.split("\n")[0] in window.status.text(), (cause.__name__, said, window.status.text())
        qtbot.waitUntil(lambda: len(problems_logged(log_file)) > logged, timeout=5000)

    heard, logged = len(spoken(tmp_path)), len(problems_logged(log_file))
    app.last_picture = None
    app.ask("what colour is it?")  # nothing described yet
    qtbot.waitUntil(lambda: len(spoken(tmp_path)) > heard, timeout=10000)
    qtbot.waitUntil(lambda: len(problems_logged(log_file)) > logged, timeout=5000)
    assert "holiday" not in log_file.read_text(encoding="utf-8")  # by kind, never by name
