"""The review key: the last description, copied to the clipboard on a global command (Qt offscreen)."""

from __future__ import annotations

import io
import random

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken

pytestmark = pytest.mark.slow


def test_copy_says_there_is_nothing_yet_then_copies_what_was_said(qtbot, make_app, tmp_path):
    app = make_app()
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)
    QApplication.clipboard().setText("what the person copied before")

    app.handle_message({"command": "copy"})  # as `seesay --copy` delivers it
    qtbot.waitUntil(lambda: "Nothing has been described yet, so there is nothing to copy." in spoken(tmp_path))
    assert QApplication.clipboard().text() == "what the person copied before"  # left alone

    scene = Scene("blue", "triangle", "white")
    buffer = io.BytesIO()
    draw_scene(scene, (400, 300), random.Random(5)).save(buffer, "PNG")
    QApplication.clipboard().setImage(QImage.fromData(buffer.getvalue()))
    app.handle_command("describe_clipboard")
    qtbot.waitUntil(lambda: scene.caption in spoken(tmp_path), timeout=20000)

    app.handle_command("copy")
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1] == "Copied.")
    assert QApplication.clipboard().text() == scene.caption
    assert "Copied." in app.window.status.text()
