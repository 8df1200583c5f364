"""With a speech service running, seesay speaks through it, not over it with a voice of its own.

A real Speech Dispatcher in a test home (its output module appends each text to a file) stands
in for the person's screen reader; seesay runs under Xvfb with the trained scene model and
default settings, and is driven as an OS shortcut or a global key would drive it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.desktop import end_process, wait_until, xdotool, xvfb
from fixtures.scenes import Scene, draw_scene
from fixtures.speech_dispatcher import captured_speech

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 1280, 800
READY = "Ready. Drop, paste or open a picture."
FALLBACK = "Speech Dispatcher stopped answering, so seesay speaks with its own voice now."


@pytest.fixture(scope="module")
def display():
    with xvfb(WIDTH, HEIGHT) as value:
        yield value


class App:
    def __init__(self, env, speech_dir: Path, process: subprocess.Popen):
        self.env, self.speech_dir, self.process = env, speech_dir, process

    def transcripts(self) -> list[str]:
        return [p.read_text().strip() for p in sorted(self.speech_dir.glob("*.txt"))]

    def wait_said(self, text, timeout=30):
        assert wait_until(lambda: text in self.transcripts(), timeout), f"never said {text!r}: {self.transcripts()}"

    def wav_of(self, text) -> Path:
        return self.speech_dir / f"{self.transcripts().index(text) + 1:04d}.wav"

    def command(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "seesay", *args], env=self.env, capture_output=True, text=True,
                              timeout=60)


@pytest.fixture
def start(display, audio, scene_model, tmp_path):
    """start(capture, *flags): seesay with default settings but for flags, beside that Speech Dispatcher."""
    started: list[subprocess.Popen] = []

    def start_app(capture, *flags) -> App:
        env = {**os.environ, **audio, **capture.env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        speech_dir = tmp_path / "speech"
        process = subprocess.Popen([sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-dir",
                                    str(speech_dir), *flags], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        started.append(process)
        capture.users.append(process)
        app = App(env, speech_dir, process)
        app.wait_said(READY, 60)
        return app

    yield start_app
    for process in started:
        end_process(process, 10)


@pytest.fixture
def scene_shown(display, tmp_path):
    scene = Scene("blue", "triangle", "black")
    path = tmp_path / "screen.png"
    draw_scene(scene, (WIDTH, HEIGHT), random.Random(11)).save(path)
    process = subprocess.Popen([sys.executable, str(FIXTURES / "show_image.py"), str(path)],
                               env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "shown"
    time.sleep(0.3)
    yield scene
    end_process(process)


def own_voice_playing(env) -> bool:
    listing = subprocess.run(["pactl", "list", "short", "sink-inputs"], env=env, capture_output=True, text=True)
    return bool(listing.stdout.strip())


def test_by_default_the_caption_goes_to_speech_dispatcher_and_the_own_voice_stays_silent(start, scene_shown):
    with captured_speech() as speechd:
        app = start(speechd)
        speechd.wait_said(READY)
        assert app.command("--describe", "screen").returncode == 0
        speechd.wait_said(scene_shown.caption)
        time.sleep(1.0)  # slower than a double press, which would describe in detail
        xdotool(app.env["DISPLAY"], "key", "ctrl+alt+shift+d")  # the global key says it again
        assert wait_until(lambda: speechd.said().count(scene_shown.caption) == 2, 30), speechd.said()
        assert not own_voice_playing(app.env)
        assert app.transcripts().count(scene_shown.caption) == 2  # --speech-dir keeps the transcript...
        assert not list(app.speech_dir.glob("*.wav"))  # ...and no WAV: the own voice said nothing


def test_stop_cancels_what_speech_dispatcher_was_about_to_say(start, scene_shown):
    with captured_speech(delay=2.5) as speechd:  # the output module takes 2.5 s before it "speaks"
        app = start(speechd)
        speechd.wait_said(READY, 10)
        assert app.command("--describe", "screen").returncode == 0
        app.wait_said(scene_shown.caption)  # handed to Speech Dispatcher
        assert app.command("--stop").returncode == 0
        time.sleep(4)
        assert scene_shown.caption not in speechd.said()
        assert app.command("--describe", "screen").returncode == 0  # not stopped: it is said
        speechd.wait_said(scene_shown.caption, 15)


def test_own_voice_when_asked_for_it(start, scene_shown):
    with captured_speech() as speechd:
        app = start(speechd, "--speech-output", "own-voice")
        assert app.command("--describe", "screen").returncode == 0
        app.wait_said(scene_shown.caption)
        assert wait_until(lambda: app.wav_of(scene_shown.caption).exists(), 10)
        seconds = float(subprocess.run(["soxi", "-D", str(app.wav_of(scene_shown.caption))], capture_output=True,
                                       text=True).stdout)
        assert seconds > 1.0
        assert speechd.said() == [] and speechd.daemon_pid() is None  # Speech Dispatcher was never started


def test_speech_dispatcher_killed_mid_session_the_own_voice_takes_over_and_says_so_once(start, scene_shown):
    with captured_speech() as speechd:
        app = start(speechd)
        speechd.wait_said(READY)
        speechd.kill(signal.SIGKILL)
        assert app.command("--describe", "screen").returncode == 0
        first = f"{FALLBACK} {scene_shown.caption}"
        app.wait_said(first)
        assert wait_until(lambda: app.wav_of(first).exists(), 10)
        assert wait_until(lambda: own_voice_playing(app.env), 10), "the own voice was not heard"
        time.sleep(1.0)  # slower than a double press
        assert app.command("--describe", "screen").returncode == 0
        app.wait_said(scene_shown.caption)  # the next one is said plainly: the notice came once
        assert wait_until(lambda: app.wav_of(scene_shown.caption).exists(), 10)
        assert sum(FALLBACK in line for line in app.transcripts()) == 1
        assert scene_shown.caption not in speechd.said()
