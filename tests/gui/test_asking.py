"""Asking about the picture through the window: keys only, answers heard and kept in the history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fixtures.scenes import Scene
from gui.conftest import spoken, type_and_enter
from gui.test_window import qimage, wait_ready

pytestmark = pytest.mark.slow


def ask(qtbot, window, question: str) -> None:
    type_and_enter(qtbot, window, Qt.Key.Key_K, window.ask_bar.field, question)  # Ctrl+K: to the question field


def test_questions_about_the_pasted_picture_are_answered_aloud(qtbot, make_app, tmp_path, vqa_model):
    app = make_app(vqa_model=str(vqa_model))
    window = app.window
    wait_ready(qtbot, app)
    window.activateWindow()

    ask(qtbot, window, "what color is it?")  # nothing described yet: said so, nothing lost
    qtbot.waitUntil(lambda: any("no picture to ask about" in line for line in spoken(tmp_path)))

    scene = Scene("blue", "triangle", "white")
    QApplication.clipboard().setImage(qimage(scene))
    window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == [scene.caption], timeout=20000)

    ask(qtbot, window, "what color is the shape?")
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == ["blue"], timeout=30000)
    ask(qtbot, window, "What shape is it?")  # a follow-up: same picture, no new capture
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == ["triangle"], timeout=20000)
    ask(qtbot, window, "what color is the background?")
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == ["white"], timeout=20000)

    newest = [window.history.item(row).text() for row in range(3)]
    assert newest[0].endswith("what color is the background? — white")
    assert newest[1].endswith("What shape is it? — triangle")
    assert window.current_text() == "white"
    assert "Answer, " in window.details.toPlainText() and "% sure: white" in window.details.toPlainText()
    assert window.ask_bar.field.text() == ""  # ready for the next question

    app.handle_message({"command": "ask", "question": "what shape is it?"})  # seesay --ask "…" from a shortcut
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == ["triangle"], timeout=20000)
    window.description.setFocus()
    app.handle_message({"command": "ask"})  # seesay --ask: to the question field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.ask_bar.field)


def test_a_missing_question_model_is_explained_and_offered(qtbot, make_app, tmp_path):
    app = make_app(vqa_model=str(tmp_path / "no-such-model"))
    wait_ready(qtbot, app)
    QApplication.clipboard().setImage(qimage(Scene("red", "circle", "black")))
    app.window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=20000)
    app.ask("what color is the shape?")
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    assert "question-answering" in app.model_dialog.windowTitle()
    assert any("does not exist" in line for line in spoken(tmp_path))
    app.model_dialog.cancel()
    assert app.window.history.count() == 1  # the description is still there
