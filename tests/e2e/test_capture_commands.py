"""Describing what is on the screen, driven from another process as an OS shortcut would:
``seesay --describe screen|mouse|clipboard`` and ``seesay --stop`` reach the running app."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import wait_until, xdotool, xvfb
from fixtures.scenes import BACKGROUNDS, Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 1280, 800


@pytest.fixture(scope="module")
def display():
    with xvfb(WIDTH, HEIGHT) as value:
        yield value


def show(env, picture: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(FIXTURES / "show_image.py"), str(picture)], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "shown"
    time.sleep(0.3)
    return process


def seesay(env, *args, wait=True):
    command = [sys.executable, "-m", "seesay", *args]
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


class App:
    def __init__(self, env, speech_dir):
        self.env, self.speech_dir = env, speech_dir

    def transcripts(self):
        return [p.read_text().strip() for p in sorted(self.speech_dir.glob("*.txt"))]

    def wait_said(self, text, timeout=30):
        assert wait_until(lambda: text in self.transcripts(), timeout), f"never said {text!r}: {self.transcripts()}"


@pytest.fixture
def app(display, audio, scene_model, tmp_path):
    env = {**os.environ, **audio, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    speech_dir = tmp_path / "speech"
    process = seesay(env, "--model", str(scene_model), "--speech-output", "own-voice", "--speech-dir", str(speech_dir),
                     wait=False)
    running = App(env, speech_dir)
    running.wait_said("Ready. Drop, paste or open a picture.", 60)
    yield running
    process.terminate()
    process.wait(10)


def scene_picture(tmp_path, scene: Scene) -> Path:
    path = tmp_path / "screen.png"
    draw_scene(scene, (WIDTH, HEIGHT), random.Random(11)).save(path)
    return path


def test_screens_with_and_without_pictures_are_said_as_they_are(app, tmp_path):
    """A chat with a picture in it, a page of text, and a black screen, one after the other."""
    from fixtures.composed_screens import chat, text_page

    screen, (placed,) = chat(41, size=(WIDTH, HEIGHT))
    screen.save(tmp_path / "chat.png")
    text_page(41, size=(WIDTH, HEIGHT)).save(tmp_path / "notes.png")
    Image.new("RGB", (WIDTH, HEIGHT), "black").save(tmp_path / "black.png")
    said = []
    for name in ("chat", "notes", "black"):
        shown = show(app.env, tmp_path / f"{name}.png")
        try:
            count = len(app.transcripts())
            assert seesay(app.env, "--describe", "screen").returncode == 0
            assert wait_until(lambda: len(app.transcripts()) > count, 30), app.transcripts()
            said.append(app.transcripts()[-1])
        finally:
            shown.terminate()
            shown.wait(10)
    heard_chat, heard_notes, heard_black = said
    assert f"Picture {'on the right' if placed.box[0] > WIDTH // 2 else 'on the left'}" in heard_chat or \
        "Picture at" in heard_chat, heard_chat
    assert placed.scene.caption in heard_chat and "Text: Chat with Alex" in heard_chat
    assert heard_notes.startswith("Text: Meeting notes") and "Picture" not in heard_notes
    assert heard_black.startswith("Nothing to see: the capture is all black")


def test_describe_screen_from_another_process_hears_the_scene(app, tmp_path):
    scene = Scene("blue", "triangle", "black")
    shown = show(app.env, scene_picture(tmp_path, scene))
    try:
        result = seesay(app.env, "--describe", "screen")
        assert result.returncode == 0, result.stderr
        app.wait_said(scene.caption)
        wav = app.speech_dir / f"{app.transcripts().index(scene.caption) + 1:04d}.wav"
        seconds = float(subprocess.run(["soxi", "-D", str(wav)], capture_output=True, text=True).stdout)
        assert seconds > 1.0
    finally:
        shown.terminate()


def test_area_under_the_mouse_follows_the_pointer(app, tmp_path):
    left, right = Scene("red", "circle", "white"), Scene("green", "square", "black")
    screen = Image.new("RGB", (WIDTH, HEIGHT))
    for index, scene in enumerate((left, right)):
        half = Image.new("RGB", (WIDTH // 2, HEIGHT), BACKGROUNDS[scene.background])
        half.paste(draw_scene(scene, (440, 440), random.Random(index)), (100, 180))
        screen.paste(half, (index * WIDTH // 2, 0))
    screen.save(tmp_path / "two.png")
    shown = show(app.env, tmp_path / "two.png")
    try:
        for scene, x in ((left, WIDTH // 4), (right, 3 * WIDTH // 4)):
            time.sleep(0.7)  # slower than a double press, which would bring up the window instead
            xdotool(app.env["DISPLAY"], "mousemove", str(x), str(HEIGHT // 2))
            assert seesay(app.env, "--describe", "mouse").returncode == 0
            app.wait_said(scene.caption)
    finally:
        shown.terminate()


def test_describe_clipboard_from_another_process(app, tmp_path):
    scene = Scene("yellow", "square", "black")
    draw_scene(scene, (500, 400), random.Random(2)).save(tmp_path / "clip.png")
    subprocess.run(["xclip", "-selection", "clipboard", "-t", "image/png", "-i", str(tmp_path / "clip.png")],
                   env=app.env, check=True, timeout=10, stdout=subprocess.DEVNULL)
    assert seesay(app.env, "--describe", "clipboard").returncode == 0
    app.wait_said(scene.caption)


def test_stop_from_another_process_silences_the_app(app, tmp_path):
    scene = Scene("red", "square", "white")
    shown = show(app.env, scene_picture(tmp_path, scene))
    try:
        seesay(app.env, "--describe", "screen")
        app.wait_said(scene.caption)
        assert wait_until(lambda: _playing(app.env), 10), "no speech was playing"
        stopped = time.monotonic()
        assert seesay(app.env, "--stop").returncode == 0
        assert wait_until(lambda: not _playing(app.env), 5, interval=0.01)
        assert time.monotonic() - stopped < 1.5  # includes starting the second seesay process
    finally:
        shown.terminate()


def _playing(env) -> bool:
    listing = subprocess.run(["pactl", "list", "short", "sink-inputs"], env=env, capture_output=True, text=True)
    return bool(listing.stdout.strip())


def test_window_without_a_window_manager_falls_back_to_the_screen_and_says_so(app, tmp_path):
    scene = Scene("green", "triangle", "white")
    shown = show(app.env, scene_picture(tmp_path, scene))
    try:
        assert seesay(app.env, "--describe", "window").returncode == 0
        note = "The active window could not be found, so the whole screen is described."
        # the note is said at once, on its own, while the model works; the description right after it
        assert wait_until(lambda: f"{note} {scene.caption}" in " ".join(app.transcripts()), 30), app.transcripts()
        assert note in app.transcripts()
    finally:
        shown.terminate()
