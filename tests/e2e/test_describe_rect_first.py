"""A screen reader's add-on runs ``seesay --describe rect`` when seesay is not running yet: seesay
starts, captures that rectangle before its own window is on the screen, and says it once the
model has loaded."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.desktop import desktop_with_window_manager, end_process, wait_until
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_describe_rect_starts_seesay_and_says_that_rectangle(pulse_env, scene_model, tmp_path):
    scenes = {(100, 200): Scene("green", "triangle", "white"), (700, 200): Scene("red", "square", "black")}
    with desktop_with_window_manager(pulse_env, 1280, 800) as (env, processes):
        for number, ((left, top), scene) in enumerate(scenes.items()):
            path = tmp_path / f"{number}.png"
            draw_scene(scene, (400, 300), random.Random(number + 31)).save(path)
            shown = subprocess.Popen([sys.executable, str(FIXTURES / "show_picture_at.py"), str(path), str(left),
                                      str(top), f"picture {number}"], env=env, stdout=subprocess.PIPE, text=True)
            processes.append(shown)
            assert shown.stdout.readline().strip() == "shown"
        speech = tmp_path / "speech"
        app = subprocess.Popen([sys.executable, "-m", "seesay", "--describe", "rect", "700,200,400,300", "--label",
                                "graphic, team photo", "--model", str(scene_model), "--speech-output", "own-voice",
                                "--speech-dir", str(speech)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            expected = f"graphic, team photo: {scenes[(700, 200)].caption}"
            # the label is said at once, on its own; what the rectangle shows right after it
            assert wait_until(lambda: expected in " ".join(p.read_text().strip() for p in sorted(speech.glob("*.txt"))),
                              60), [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]
        finally:
            end_process(app)
