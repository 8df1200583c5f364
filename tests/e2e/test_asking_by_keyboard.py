"""Asking about the screen from another program, by keyboard only: the global key brings up the
question field, the question is typed, the answer is heard."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.desktop import desktop_with_window_manager, wait_until, xdotool
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READY = "Ready. Drop, paste or open a picture."


def said(speech: Path) -> list[str]:
    return [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]


def test_ask_key_then_typed_questions_are_answered_aloud(pulse_env, scene_model, vqa_model, tmp_path):
    scene = Scene("green", "triangle", "white")
    draw_scene(scene, (1280, 800), random.Random(4)).save(tmp_path / "scene.png")
    speech = tmp_path / "speech"
    with desktop_with_window_manager(pulse_env) as (env, processes):
        display = env["DISPLAY"]
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "seesay", "--model", str(scene_model), "--vqa-model", str(vqa_model),
             "--speech-output", "own-voice", "--speech-dir", str(speech)], env=env,
             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        assert wait_until(lambda: READY in said(speech), 60)
        viewer = subprocess.Popen([sys.executable, str(FIXTURES / "show_image.py"), str(tmp_path / "scene.png"),
                                   "Scene"], env=env, stdout=subprocess.PIPE, text=True)
        processes.append(viewer)
        assert viewer.stdout.readline().strip() == "shown"
        time.sleep(0.5)
        xdotool(display, "windowactivate", "--sync", xdotool(display, "search", "--name", "^Scene$").split()[0])

        xdotool(display, "key", "ctrl+alt+shift+d")  # from the viewer: describe the screen
        assert wait_until(lambda: any(line.endswith(scene.caption) for line in said(speech)), 30), said(speech)
        time.sleep(0.7)  # not a double press

        xdotool(display, "key", "ctrl+alt+shift+a")  # the question field, from any program
        for question, answer in (("what color is the shape?", "green"), ("what shape is it?", "triangle")):
            time.sleep(0.5)
            before = len(said(speech))
            xdotool(display, "type", "--delay", "20", question)
            xdotool(display, "key", "Return")
            assert wait_until(lambda: len(said(speech)) > before and said(speech)[-1] == answer, 30), said(speech)
