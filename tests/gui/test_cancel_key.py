"""Shift+Esc in the window stops the description being made: nothing is said about that picture,
the window says it was cancelled, and the worker is free again at once (found by a review: with
beam search the caption was made to its end whatever was pressed)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fixtures.scenes import Scene
from gui.conftest import spoken
from gui.test_window import qimage, wait_ready

pytestmark = pytest.mark.slow


def test_shift_escape_stops_a_beam_search_description_at_once(qtbot, make_app, slow_model, tmp_path):
    # A random-weight model never ends its caption early: every picture takes all 30 words, in
    # beam search, which takes long enough to press a key in the middle of it.
    app = make_app(model=str(slow_model), num_beams=4, max_new_tokens=30)
    window = app.window
    wait_ready(qtbot, app)
    window.activateWindow()
    signals = app.worker.signals
    described, cancelled = [], []
    signals.described.connect(described.append)
    signals.cancelled.connect(cancelled.append)

    QApplication.clipboard().setImage(qimage(Scene("red", "circle", "white")))
    with qtbot.waitSignal(signals.started, timeout=10000):
        started = time.monotonic()
        window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: len(described) == 1, timeout=60000)
    whole = time.monotonic() - started  # what one description takes, measured here and now
    heard = spoken(tmp_path)

    QApplication.clipboard().setImage(qimage(Scene("blue", "square", "black")))
    with qtbot.waitSignal(signals.started, timeout=10000) as start:
        window.commands["paste"].trigger()
    request = start.args[0]
    pressed = time.monotonic()
    qtbot.keyClick(window, Qt.Key.Key_Escape, Qt.KeyboardModifier.ShiftModifier)  # the real shortcut
    qtbot.waitUntil(lambda: len(cancelled) == 1, timeout=60000)
    stopped_after = time.monotonic() - pressed

    assert [item.id for item in cancelled] == [request.id]
    assert len(described) == 1  # only the first picture was ever described
    assert stopped_after < whole / 3, f"stopped {stopped_after:.2f} s after Shift+Esc; a whole one takes {whole:.2f} s"
    assert "Cancelled" in window.status.text()
    qtbot.waitUntil(lambda: len(spoken(tmp_path)) > len(heard))  # "Cancelled." is said...
    assert spoken(tmp_path)[len(heard):] == ["Cancelled."]  # ...and nothing about the second picture
