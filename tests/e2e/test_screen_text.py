"""A text window on the screen: the window's name is heard first (at once, on its own), then its
text, and no invented photo caption; a scene is described plainly; noise is hedged or admitted."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import desktop_with_window_manager, end_process, wait_until, xdotool
from fixtures.scenes import Scene, draw_scene
from fixtures.text_pages import PARAGRAPHS, words_right

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READY = "Ready. Drop, paste or open a picture."


@pytest.fixture(scope="module")
def desktop(pulse_env):
    """An X server with a window manager (so the active window has a name), and seesay running."""
    with desktop_with_window_manager(pulse_env) as session:
        yield session


def start_seesay(env, processes, scene_model, speech: Path):
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output", "own-voice",
         "--speech-dir", str(speech)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    assert wait_until(lambda: READY in said(speech), 60)


def said(speech: Path) -> list[str]:
    return [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]


def show(env, script: str, *args) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(FIXTURES / script), *args], env=env, stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "shown"
    time.sleep(0.5)
    return process


def press_and_hear(env, speech: Path, before: int, window: str, timeout: float = 30) -> str:
    """What is heard for one press: the window's name at once, alone, then the rest of the
    description (one more utterance on these screens), as one text."""
    time.sleep(0.7)  # never a double press
    xdotool(env["DISPLAY"], "key", "ctrl+alt+shift+d")
    assert wait_until(lambda: len(said(speech)) > before + 1, timeout)
    assert said(speech)[before] == f"{window}.", said(speech)[before:]
    return " ".join(said(speech)[before:])


def test_text_screen_then_scene_then_noise(desktop, scene_model, tmp_path):
    env, processes = desktop
    speech = tmp_path / "speech"
    start_seesay(env, processes, scene_model, speech)

    editor = show(env, "show_text.py")
    window = xdotool(env["DISPLAY"], "search", "--name", "^notes.txt - Editor$").split()[0]
    xdotool(env["DISPLAY"], "windowactivate", "--sync", window)
    heard = press_and_hear(env, speech, len(said(speech)), "notes.txt - Editor")
    end_process(editor)
    assert heard.startswith("notes.txt - Editor. Text: "), heard
    spoken_words = heard.split("Text: ", 1)[1]
    assert words_right(" ".join(PARAGRAPHS).split()[:40], spoken_words) >= 0.95, heard
    assert "Picture:" not in heard, f"an unhedged caption was spoken for a text screen: {heard}"

    scene = Scene("blue", "circle", "white")
    draw_scene(scene, (1280, 800), random.Random(21)).save(tmp_path / "scene.png")
    shown = show(env, "show_image.py", str(tmp_path / "scene.png"), "Scene")
    heard = press_and_hear(env, speech, len(said(speech)), "Scene")
    end_process(shown)
    assert heard.endswith(scene.caption) and "probably" not in heard, heard

    hedged = 0
    for seed in range(5):
        Image.effect_noise((1280, 800), 60 + seed * 10).convert("RGB").save(tmp_path / f"noise{seed}.png")
        shown = show(env, "show_image.py", str(tmp_path / f"noise{seed}.png"), "Noise")
        heard = press_and_hear(env, speech, len(said(speech)), "Noise")
        end_process(shown)
        hedged += "probably" in heard or "can't tell" in heard
    assert hedged >= 4, "noise was described as if the model were sure"
