"""Playing a WAV file in a way that can be stopped at once.

pyttsx3's own playback on Linux runs ``aplay`` through a shell that ``engine.stop()`` does
not reach, so seesay synthesises to a file and plays it itself: a child process it can
kill (PulseAudio/PipeWire's ``paplay``, ``pw-play``, ALSA's ``aplay``, macOS ``afplay``) or
``winsound`` on Windows. A missing player means silence with a reason, never a crash.

A player that exists may still fail (no sound card, no sound server, the device unplugged):
``check_player`` plays a short silent sample to find that out before speech depends on it,
and every failed playback leaves its reason in ``last_error``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from seesay.core.i18n import _, ngettext


#: What to do when the sound cannot be played; said with every playback problem.
def sound_fix() -> str:
    return _("Check that a sound device is connected, switched on and not muted, or use a screen reader.")


class Player(Protocol):
    name: str
    #: Why the last ``play`` failed ("" when it played, or was stopped).
    last_error: str

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
            self.last_error = ""
            if not still_wanted():
                return False
            self._stopped = False
            try:
                self._process = subprocess.Popen(
                    [*self.command, str(wav)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            except OSError as error:  # removed since it was found, or not executable
                self.last_error = f"{type(error).__name__}: {error.strerror or error}"
                return False
            process = self._process
        limit = _seconds(wav) + PLAYBACK_SLACK
        try:  # a player that never ends (pw-play with a PipeWire server but no sound device) is given up
            _out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            with self._lock:
                self._process = None
            seconds = round(limit)
            self.last_error = ngettext("it did not finish playing in {seconds} second",
                                       "it did not finish playing in {seconds} seconds", seconds).format(seconds=seconds)
            return False
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


#: A player still playing this many seconds after its sound's length is stuck.
PLAYBACK_SLACK = 10.0


def _seconds(wav: Path) -> float:
    """How long the sound in ``wav`` lasts (0 when it cannot be read)."""
    try:
        with wave.open(str(wav)) as audio:
            return audio.getnframes() / float(audio.getframerate() or 1)
    except (OSError, EOFError, wave.Error):
        return 0.0


class WinsoundPlayer:
    name = "winsound"

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self.last_error = ""

    def play(self, wav: Path, still_wanted: Callable[[], bool] = lambda: True) -> bool:
        import winsound  # type: ignore[import-not-found]

        self.last_error = ""
        if not still_wanted():
            return False
        self._stopped.clear()
        seconds = _seconds(wav)
        try:
            winsound.PlaySound(str(wav), winsound.SND_FILENAME | winsound.SND_ASYNC)
        except RuntimeError as error:  # "Failed to play sound": no output device
            self.last_error = str(error)
            return False
        return not self._stopped.wait(seconds)

    def stop(self) -> None:
        import winsound  # type: ignore[import-not-found]

        self._stopped.set()
        winsound.PlaySound(None, winsound.SND_PURGE)


class NoPlayer:
    name = "none"

    def __init__(self) -> None:
        self.last_error = _("no audio player was found: install pulseaudio-utils or alsa-utils")

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
    if shutil.which("pw-play") and _pipewire_runs():
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


def _pipewire_runs() -> bool:
    """A PipeWire server listens here (its socket is there): installing pipewire's tools (``pw-play``)
    does not start one, and without it pw-play fails ("pw_context_connect() failed: Host is down")
    where ALSA's aplay may play."""
    remote = os.environ.get("PIPEWIRE_REMOTE", "pipewire-0")
    runtime = os.environ.get("PIPEWIRE_RUNTIME_DIR") or os.environ.get("XDG_RUNTIME_DIR") or ""
    path = Path(remote) if os.path.isabs(remote) else Path(runtime) / remote
    try:
        return bool(runtime or os.path.isabs(remote)) and stat.S_ISSOCK(path.stat().st_mode)
    except OSError:
        return False


def check_player(player: Player) -> str | None:
    """Play a twentieth of a second of silence; None when it played, else why it did not (with the
    player's own words, such as ALSA's 'audio open error: No such file or directory')."""
    with tempfile.TemporaryDirectory(prefix="seesay-sound-check-") as folder:
        sample = Path(folder) / "silence.wav"
        with wave.open(str(sample), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(22050)
            audio.writeframes(b"\0\0" * 1102)
        if player.play(sample):
            return None
    return playback_failure(player)


def playback_failure(player: Player) -> str:
    """Why ``player`` could not play, in one sentence."""
    detail = player.last_error or _("it stopped without saying why")
    if isinstance(player, NoPlayer):
        return _("the sound cannot be played: {detail}").format(detail=detail)
    return _("{player} could not play the sound ({detail})").format(player=player.name, detail=detail.rstrip("."))
