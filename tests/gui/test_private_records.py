"""The log says what kind of request it was and its number: never a window's title, a question, or a
command text some program sent. And a command seesay does not know is not read out to the room."""

from __future__ import annotations

import logging
import random
from logging.handlers import RotatingFileHandler

import pytest

from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken
from gui.test_window import wait_ready

pytestmark = pytest.mark.slow
TITLE = "Falcon merger plan - Secret - Mail"
QUESTION = "what is the merger price?"


@pytest.fixture
def log_file(tmp_path):
    from seesay.core.logs import setup_logging

    root = logging.getLogger("seesay")
    before = list(root.handlers)
    path = setup_logging(tmp_path / "log")
    yield path
    for handler in root.handlers[:]:
        if handler not in before and isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()


def test_the_log_keeps_request_kinds_not_titles_or_questions(qtbot, make_app, tmp_path, log_file):
    from seesay.core.requests import DescribeRequest

    app = make_app(vqa_model=str(tmp_path / "no-such-model"))
    wait_ready(qtbot, app)
    picture = draw_scene(Scene("red", "circle", "black"), (320, 240), random.Random(3))
    # what a window capture hands on: the title in its label and context
    request = DescribeRequest(picture, f"window {TITLE}", "window", context=TITLE)
    app.worker.submit(request)
    qtbot.waitUntil(lambda: app.last_picture is not None, timeout=30000)
    app.ask(QUESTION)  # fails: no question model; the failure names the question on screen
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    app.model_dialog.cancel()
    for handler in logging.getLogger("seesay").handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Falcon" not in text and "merger" not in text, text
    assert f"described window (request {request.id})" in text
    assert "question (request" in text  # the failure is there, by kind and number


def test_an_unknown_command_is_not_read_out(qtbot, make_app, tmp_path, log_file):
    app = make_app()
    app.handle_message({"command": "Falcon merger plan, price 40 million"})
    qtbot.waitUntil(lambda: bool(spoken(tmp_path)))
    said = " ".join(spoken(tmp_path))
    assert "Falcon" not in said and "Falcon" not in app.window.status.text()
    for handler in logging.getLogger("seesay").handlers:
        handler.flush()
    assert "Falcon" not in log_file.read_text(encoding="utf-8")
