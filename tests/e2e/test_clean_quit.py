"""Ending seesay from outside is a clean quit: SIGTERM (a logout, ``kill``, a service manager) and the
X display going away leave neither the command socket nor the speech folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.desktop import end_process, wait_until, xvfb

pytestmark = pytest.mark.slow
READY = "Ready. Drop, paste or open a picture."


class App:
    def __init__(self, tmp_path: Path, display: str, scene_model: Path, audio: dict[str, str]):
        self.runtime, self.temp, self.speech = tmp_path / "runtime", tmp_path / "temp", tmp_path / "speech"
        self.runtime.mkdir(mode=0o700)
        self.temp.mkdir()
        env = {**os.environ, **audio, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "XDG_RUNTIME_DIR": str(self.runtime),
               "TMPDIR": str(self.temp)}
        self.socket = self.runtime / "seesay" / f"instance-_{display.lstrip(':')}.sock"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output", "own-voice",
             "--speech-dir", str(self.speech)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        said = lambda: READY in [p.read_text().strip() for p in self.speech.glob("*.txt")]  # noqa: E731
        assert wait_until(lambda: said() or self.process.poll() is not None, 90), "seesay never got ready"
        assert self.process.poll() is None, self.process.stderr.read()

    def speech_folders(self) -> list[Path]:
        return sorted(self.temp.glob("seesay-speech-*"))

    def wait(self, timeout: float = 20) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                end_process(self.process)


@pytest.fixture
def display():
    with xvfb() as value:
        yield value


def test_sigterm_quits_cleanly(display, scene_model, tmp_path, pulse_env):  # a sound device: the own voice is used
    app = App(tmp_path, display, scene_model, pulse_env)
    assert app.socket.exists() and app.speech_folders()
    app.process.send_signal(signal.SIGTERM)
    code = app.wait()
    assert code == 0, f"ended by signal {-code}" if code < 0 else app.process.stderr.read()[-2000:]
    assert not app.socket.exists()
    assert app.speech_folders() == []


def test_losing_the_display_quits_cleanly(scene_model, tmp_path, pulse_env):
    with xvfb() as display:
        app = App(tmp_path, display, scene_model, pulse_env)
        assert app.socket.exists() and app.speech_folders()
        # the X server goes away (a crash, or a remote session ending): leaving the block ends Xvfb by its PID
    started = time.monotonic()
    code = app.wait()
    stderr = app.process.stderr.read()
    assert code >= 0, f"ended by signal {-code}: {stderr[-2000:]}"
    assert time.monotonic() - started < 20
    assert not app.socket.exists()
    assert app.speech_folders() == []
