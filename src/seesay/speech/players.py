"""Playing a WAV file in a way that can be stopped at once.

pyttsx3's own playback on Linux runs ``aplay`` through a shell that ``engine.stop()`` does
not reach, so seesay synthesises to a file and plays it itself: a child process it can
kill (PulseAudio/PipeWire's ``paplay``, ``pw-play``, ALSA's ``aplay``, macOS ``afplay``) or
``winsound`` on Windows. A missing player means silence with a reason, never a crash.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from seesay.core.i18n import _


class Player(Protocol):
    name: str

    def play(self, wav: Path, still_wanted: Callable[[], bool] = lambda: True) -> bool:
        """Play and wait; True when it played to the end, False when stopped, moot or failed.

        ``still_wanted`` is asked just before playback starts, under the lock ``stop`` takes,
        so a stop that comes between the decision to play and the start is never lost."""

    def stop(self) -> None:
        """Stop playback now (callable from any thread)."""


class ProcessPlayer:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.name = Path(command[0]).name
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._stopped = False
        self.last_error = ""

    def play(self, wav: Path, still_wanted: Callable[[], bool] = lambda: True) -> bool:
        with self._lock:
            if not still_wanted():
                return False
            self._stopped = False
            self._process = subprocess.Popen(
                [*self.command, str(wav)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            process = self._process
        _out, err = process.communicate()
        with self._lock:
            self._process = None
            stopped = self._stopped
        if process.returncode != 0 and not stopped:
            lines = err.decode(errors="replace").strip().splitlines()
            self.last_error = lines[-1] if lines else f"exit code {process.returncode}"
        return process.returncode == 0 and not stopped

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()


class WinsoundPlayer:
    name = "winsound"

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def play(self, wav: Path, still_wanted: Callable[[], bool] = lambda: True) -> bool:
        import wave
        import winsound  # type: ignore[import-not-found]

        if not still_wanted():
            return False
        self._stopped.clear()
        with wave.open(str(wav)) as audio:
            seconds = audio.getnframes() / float(audio.getframerate() or 1)
        winsound.PlaySound(str(wav), winsound.SND_FILENAME | winsound.SND_ASYNC)
        return not self._stopped.wait(seconds)

    def stop(self) -> None:
        import winsound  # type: ignore[import-not-found]

        self._stopped.set()
        winsound.PlaySound(None, winsound.SND_PURGE)


class NoPlayer:
    name = "none"

    def play(self, wav: Path, still_wanted: Callable[[], bool] = lambda: True) -> bool:
        return False

    def stop(self) -> None:
        pass


def choose_player() -> tuple[Player, str | None]:
    """The first working player here, and a message when there is none."""
    if sys.platform == "win32":
        return WinsoundPlayer(), None
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ProcessPlayer(["afplay"]), None
    if shutil.which("paplay") and _pulse_server_answers():
        return ProcessPlayer(["paplay"]), None
    if shutil.which("pw-play"):
        return ProcessPlayer(["pw-play"]), None
    if shutil.which("aplay"):
        return ProcessPlayer(["aplay", "-q"]), None
    return NoPlayer(), _("No audio player was found, so speech cannot be heard. "
                         "Install pulseaudio-utils or alsa-utils.")


def _pulse_server_answers() -> bool:
    try:
        return subprocess.run(["pactl", "info"], capture_output=True, timeout=2).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
