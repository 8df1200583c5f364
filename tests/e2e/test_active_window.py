"""Describe the active window under a real window manager (openbox, EWMH): only that window is
described, not the rest of the screen."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.desktop import active_window, end_process, wait_until, window_manager_running, xdotool, xvfb
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_active_window_is_described_not_the_screen(audio, scene_model, tmp_path):
    background, in_window = Scene("blue", "square", "white"), Scene("red", "circle", "black")
    draw_scene(background, (1280, 800), random.Random(4)).save(tmp_path / "background.png")
    draw_scene(in_window, (600, 400), random.Random(5)).save(tmp_path / "window.png")
    with xvfb(1280, 800) as display:
        env = {**os.environ, **audio, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        processes = [subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        try:
            assert wait_until(lambda: window_manager_running(display), 15), "openbox did not start"
            for script, picture in (("show_image.py", "background.png"), ("show_window.py", "window.png")):
                shown = subprocess.Popen([sys.executable, str(FIXTURES / script), str(tmp_path / picture)], env=env,
                                         stdout=subprocess.PIPE, text=True)
                processes.append(shown)
                assert shown.stdout.readline().strip() == "shown"
            speech = tmp_path / "speech"
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output", "own-voice",
                 "--speech-dir", str(speech)], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

            def said():
                return [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]

            assert wait_until(lambda: "Ready. Drop, paste or open a picture." in said(), 60)
            viewer = xdotool(display, "search", "--name", "^Scene viewer$").split()[0]
            xdotool(display, "windowactivate", "--sync", viewer)
            assert wait_until(lambda: active_window(display) == viewer, 10)
            result = subprocess.run([sys.executable, "-m", "seesay", "--describe", "window"], env=env,
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            expected = f"Scene viewer. {in_window.caption}"  # the window's name first, then what it shows
            # the name is said at once, on its own, and what the window shows right after it
            assert wait_until(lambda: expected in " ".join(said()), 30), said()
            assert "Scene viewer." in said(), said()
            assert not any(background.caption in line for line in said())
        finally:
            for process in reversed(processes):
                end_process(process)
