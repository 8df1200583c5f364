"""Desktop scaling: with Qt scaling seesay's window by 1.5 or 2 (as on a high-DPI laptop), the
area under the mouse is still the area under the mouse, in the screen's real pixels."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.desktop import desktop_with_window_manager, end_process, wait_until, xdotool
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 1280, 800
READY = "Ready. Drop, paste or open a picture."
LEFT, RIGHT = Scene("red", "circle", "white"), Scene("blue", "square", "black")
SIDE = 500  # the default area under the mouse


@pytest.fixture(scope="module")
def desktop(pulse_env, tmp_path_factory):
    """Two scenes side by side, each exactly the size of the area under the mouse."""
    with desktop_with_window_manager(pulse_env, WIDTH, HEIGHT) as (env, processes):
        pictures = tmp_path_factory.mktemp("pictures")
        for number, (scene, left) in enumerate(((LEFT, 60), (RIGHT, 700))):
            path = pictures / f"{number}.png"
            draw_scene(scene, (SIDE, SIDE), random.Random(number + 21)).save(path)
            shown = subprocess.Popen([sys.executable, str(FIXTURES / "show_picture_at.py"), str(path), str(left), "150",
                                      f"picture {number}"], env=env, stdout=subprocess.PIPE, text=True)
            processes.append(shown)
            assert shown.stdout.readline().strip() == "shown"
        yield env


@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_the_area_under_the_mouse_is_in_real_pixels_when_qt_scales(desktop, scene_model, tmp_path, scale):
    speech = tmp_path / "speech"
    app = subprocess.Popen([sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output",
                            "own-voice", "--speech-dir", str(speech)], env={**desktop, "QT_SCALE_FACTOR": scale},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def said():
        return [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]

    try:
        assert wait_until(lambda: READY in said(), 60), said()
        xdotool(desktop["DISPLAY"], "windowminimize", "--sync",
                xdotool(desktop["DISPLAY"], "search", "--name", "^seesay$").split()[0])
        xdotool(desktop["DISPLAY"], "mousemove", "--sync", str(700 + SIDE // 2), str(150 + SIDE // 2))
        before = len(said())
        xdotool(desktop["DISPLAY"], "key", "ctrl+alt+shift+m")
        assert wait_until(lambda: any("background" in line for line in said()[before:]), 30), said()[before:]
        heard = [line for line in said()[before:] if "background" in line][0]
        assert heard == RIGHT.caption  # the picture under the mouse, whole: not one at half the coordinates
    finally:
        end_process(app)
