"""seesay on Wayland, the whole app: a desktop that asks the person before its first screenshot is
explained aloud, through the app's own feedback, and the window keeps running while the desktop waits.
The portal is a stand-in on a real private bus (fixtures/stand_in_portal.py): the real ones here never
ask. The real portal on a real Wayland desktop: tests/e2e/test_wayland_portal.py."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import pytest

from gui.conftest import spoken
from fixtures.scenes import Scene, draw_scene
from fixtures.stand_in_portal import Answer, private_bus, stand_in_portal

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("dbus-daemon"), reason="needs dbus-daemon (Debian: dbus-daemon)")]


@pytest.fixture
def wayland_portal(monkeypatch):
    with private_bus() as bus, stand_in_portal(bus) as portal:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
        monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
        monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
        monkeypatch.delenv("DISPLAY", raising=False)
        yield portal


def test_the_desktops_question_is_explained_aloud_then_the_screen_described(wayland_portal, make_app, qtbot,
                                                                              tmp_path):
    from PySide6.QtCore import QTimer

    scene = Scene("red", "circle", "white")
    app = make_app()
    qtbot.waitUntil(lambda: any(text.startswith("Ready") for text in spoken(tmp_path)), timeout=60000)
    shot = Path(tempfile.gettempdir()) / "portal-screenshot.png"  # as the portal writes it for this request
    draw_scene(scene, (640, 400), random.Random(3)).save(shot)
    wayland_portal.answer = Answer(uri=shot.as_uri(), delay=2.0)  # the person reads the question, then allows
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(100)
    app.describe_capture("screen")
    qtbot.waitUntil(lambda: scene.caption in spoken(tmp_path), timeout=30000)
    timer.stop()
    said = spoken(tmp_path)
    question = next(index for index, text in enumerate(said) if text.startswith("Your desktop is asking"))
    assert "Choose Allow" in said[question] and question < said.index(scene.caption), said
    assert len(ticks) >= 12, ticks  # the GUI thread ran on while the desktop took 2 s to answer
    assert not shot.exists()


def test_a_plain_capture_just_after_seesays_window_was_hidden_is_taken_again(wayland_portal, make_app, qtbot,
                                                                             tmp_path):
    """Seen under sway (tests/e2e/test_wayland_portal.py, now and then on a busy machine): the first
    screenshot after seesay hid its window showed the plain background where a full-screen picture
    was. A plain capture taken then is taken once more before "nothing to see" is said."""
    from PIL import Image

    scene = Scene("blue", "square", "white")
    app = make_app()
    qtbot.waitUntil(lambda: any(text.startswith("Ready") for text in spoken(tmp_path)), timeout=60000)
    assert app.window.isVisible()  # so it is hidden for the capture
    plain, shot = tmp_path / "plain.png", tmp_path / "shot.png"
    Image.new("RGB", (640, 400), (60, 60, 60)).save(plain)
    draw_scene(scene, (640, 400), random.Random(4)).save(shot)
    wayland_portal.answer = Answer(uri=plain.as_uri(), delay=0.2)
    app.describe_capture("screen")
    qtbot.waitUntil(lambda: any(call[0] == "Screenshot" for call in wayland_portal.calls), timeout=30000)
    wayland_portal.answer = Answer(uri=shot.as_uri())  # the desktop has drawn the picture again
    qtbot.waitUntil(lambda: scene.caption in spoken(tmp_path), timeout=30000)
    assert not any(text.startswith("Nothing to see") for text in spoken(tmp_path)), spoken(tmp_path)
    assert [call[0] for call in wayland_portal.calls].count("Screenshot") == 2
