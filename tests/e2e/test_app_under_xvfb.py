"""seesay as a user runs it: a real window on an X server, the X clipboard, a real drag and drop,
real speech (espeak-ng, PulseAudio), the trained scene model. What it said is checked in
``--speech-dir``: a WAV longer than a second and a transcript with the right caption."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.desktop import end_process, screenshot, wait_until, xdotool, xvfb
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts"
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def display():
    with xvfb() as value:
        yield value


class RunningApp:
    def __init__(self, display: str, env: dict, speech_dir: Path, process: subprocess.Popen):
        self.display, self.env, self.speech_dir, self.process = display, env, speech_dir, process
        self.window = ""
        #: helper processes (xclip) started for this app, ended with it
        self.helpers: list[subprocess.Popen] = []

    def transcripts(self) -> list[str]:
        return [p.read_text().strip() for p in sorted(self.speech_dir.glob("*.txt"))]

    def wait_said(self, text: str, timeout: float = 30) -> Path:
        assert wait_until(lambda: text in self.transcripts(), timeout), f"never said {text!r}: {self.transcripts()}"
        number = self.transcripts().index(text) + 1
        wav = self.speech_dir / f"{number:04d}.wav"
        assert wait_until(wav.exists, 10)
        return wav

    def key(self, *keys: str) -> None:
        """Real key presses (XTEST) into the seesay window, focused first: there is no window manager."""
        xdotool(self.display, "windowfocus", "--sync", self.window)
        xdotool(self.display, "key", *keys)


@pytest.fixture
def app(display, audio, scene_model, tmp_path):
    speech_dir = tmp_path / "speech"
    env = {**os.environ, **audio, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    process = subprocess.Popen(
        [sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output", "own-voice",
         "--speech-dir", str(speech_dir)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    running = RunningApp(display, env, speech_dir, process)
    assert wait_until(lambda: xdotool(display, "search", "--name", "^seesay$"), 30), "no seesay window appeared"
    running.window = xdotool(display, "search", "--name", "^seesay$").split()[0]
    running.wait_said("Ready. Drop, paste or open a picture.", 60)
    yield running
    end_process(process)
    for helper in running.helpers:
        end_process(helper)


def wav_seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout)


def draw(tmp_path: Path, scene: Scene, size=(800, 600)) -> Path:
    path = tmp_path / f"{scene.colour}-{scene.shape}.png"
    draw_scene(scene, size, random.Random(42)).save(path)
    return path


def set_clipboard(app: RunningApp, *args: str) -> subprocess.Popen:
    """Put a file on the X clipboard. xclip serves the selection until something else owns it: run in
    the foreground (-quiet), so it is this test's child, ended by its PID when the app is, instead of
    a background copy left running; returns once it owns the clipboard."""
    earlier = list(app.helpers)
    server = subprocess.Popen(["xclip", "-quiet", "-selection", "clipboard", *args], env=app.env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app.helpers.append(server)
    wanted = args[args.index("-t") + 1] if "-t" in args else "UTF8_STRING"

    def taken() -> bool:  # an earlier xclip ends when it loses the clipboard
        return all(old.poll() is not None for old in earlier) and wanted in clipboard_targets(app)

    assert wait_until(taken, 10), f"xclip never took the clipboard (status {server.poll()})"
    assert server.poll() is None, f"xclip ended with status {server.returncode}"
    return server


def clipboard_targets(app: RunningApp) -> str:
    """What the clipboard's owner offers ("" when nobody owns it)."""
    asked = subprocess.run(["xclip", "-o", "-selection", "clipboard", "-t", "TARGETS"], env=app.env,
                           capture_output=True, text=True, timeout=10)
    return asked.stdout if asked.returncode == 0 else ""


def test_paste_from_the_x_clipboard_is_described_aloud(app, tmp_path):
    scene = Scene("red", "circle", "white")
    set_clipboard(app, "-t", "image/png", "-i", str(draw(tmp_path, scene)))
    app.key("ctrl+v")
    wav = app.wait_said(scene.caption)
    assert wav_seconds(wav) > 1.0
    ARTIFACTS.mkdir(exist_ok=True)
    time.sleep(0.3)
    screenshot(app.display, ARTIFACTS / "e2e-after-paste.png")


def test_a_real_drag_and_drop_is_described_aloud(app, tmp_path):
    scene = Scene("blue", "triangle", "black")
    source = subprocess.Popen([sys.executable, str(HERE.parent / "fixtures" / "drag_source.py"),
                               str(draw(tmp_path, scene))], env=app.env, stdout=subprocess.PIPE, text=True)
    try:
        assert source.stdout.readline().strip() == "ready"
        assert wait_until(lambda: xdotool(app.display, "search", "--name", "^drag-source$"), 10)
        xdotool(app.display, "windowmove", app.window, "400", "0")
        time.sleep(0.5)
        xdotool(app.display, "mousemove", "150", "150")
        xdotool(app.display, "mousedown", "1")
        for x in range(160, 700, 30):  # XDND needs motion events along the way
            xdotool(app.display, "mousemove", str(x), "200")
            time.sleep(0.03)
        time.sleep(0.3)
        xdotool(app.display, "mouseup", "1")
        wav = app.wait_said(scene.caption)
        assert wav_seconds(wav) > 1.0
    finally:
        source.terminate()


def test_pasting_text_instead_of_a_picture_is_explained_and_the_app_stays_up(app, tmp_path):
    (tmp_path / "words.txt").write_text("just some words")
    set_clipboard(app, "-i", str(tmp_path / "words.txt"))
    app.key("ctrl+v")
    app.wait_said("The clipboard holds no picture.")
    assert app.process.poll() is None
    scene = Scene("green", "square", "black")
    set_clipboard(app, "-t", "image/png", "-i", str(draw(tmp_path, scene)))
    app.key("ctrl+v")
    app.wait_said(scene.caption)
