"""Dropped files that are not files: the window never waits on them, and later pictures are described."""

from __future__ import annotations

import os
import random
import threading
import time

import pytest
from PySide6.QtCore import QMimeData, QUrl

from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken
from gui.test_window import drop, wait_ready

pytestmark = pytest.mark.slow


@pytest.fixture
def fifo(tmp_path):
    """Make FIFOs; each one left with a reader waiting on it is given a writer at the end (and after
    ``unblock_after`` seconds), so a test of code that blocks on it fails instead of hanging."""
    made: list[str] = []
    stop = threading.Event()

    def release_all() -> None:
        for path in made:
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # a reader waiting on it gets end of file
            except OSError:
                pass  # nobody is reading it

    def make(name: str, unblock_after: float = 8.0) -> str:
        path = str(tmp_path / name)
        os.mkfifo(path)
        made.append(path)
        threading.Thread(target=lambda: stop.wait(unblock_after) or release_all(), daemon=True).start()
        return path

    yield make
    stop.set()
    release_all()


def urls(*paths: str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path) for path in paths])
    return mime


def test_dropping_a_fifo_without_a_picture_name_does_not_freeze_the_window(qtbot, make_app, fifo, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    pipe = fifo("pipe")
    started = time.monotonic()
    drop(app.window, urls(pipe))
    assert time.monotonic() - started < 2, "the window waited on the FIFO"
    assert "pipe is not a picture file (it is a named pipe)" in app.window.status.text()
    qtbot.waitUntil(lambda: any("named pipe" in line for line in spoken(tmp_path)))


def test_a_fifo_named_like_a_picture_never_blocks_the_pictures_after_it(qtbot, make_app, fifo, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    pipe = fifo("x.png", unblock_after=30)
    good = tmp_path / "good.png"
    draw_scene(Scene("red", "circle", "white"), (400, 300), random.Random(1)).save(good)
    drop(app.window, urls(pipe, str(good)))
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=15000)
    assert app.window.current_text() == "a red circle on a white background"
    assert any("x.png is not a picture file (it is a named pipe)" in line for line in spoken(tmp_path))


def test_a_refused_drop_is_said_by_name_but_logged_without_it(qtbot, make_app, tmp_path, caplog):
    """The log is for bug reports: a dropped file's name ("Falcon merger plan.txt") says what is in it."""
    app = make_app()
    wait_ready(qtbot, app)
    secret = tmp_path / "Falcon merger plan.txt"
    secret.write_text("not a picture")
    with caplog.at_level("INFO"):
        drop(app.window, urls(str(secret)))
        qtbot.waitUntil(lambda: "Falcon merger plan" in app.window.status.text())
    assert "Falcon" not in caplog.text and "refused" in caplog.text, caplog.text
