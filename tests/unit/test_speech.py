"""Speech for real: pyttsx3 with espeak-ng synthesises, PulseAudio plays, stop really stops."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from seesay.speech.players import ProcessPlayer, choose_player
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.select import create_speaker
from seesay.speech.silent import SilentSpeaker
from seesay.speech.tts_speaker import TtsSpeaker

LONG = ("This is a long description that goes on for a good while, so that there is plenty of time "
        "to stop it in the middle, as a person would when they have heard enough.")


def wav_seconds(path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout)


class Events:
    def __init__(self, speaker):
        self.started = threading.Event()
        self.finished: list[tuple[str, bool, float]] = []
        self.done = threading.Event()
        speaker.listeners.started.append(lambda u: self.started.set())
        speaker.listeners.finished.append(self._finished)

    def _finished(self, utterance, completed):
        self.finished.append((utterance.text, completed, time.perf_counter()))
        self.done.set()


@pytest.fixture
def speaker(audio, tmp_path):
    speaker = TtsSpeaker(SpeechRecorder(tmp_path / "speech"))
    assert speaker._player.name == "paplay"
    assert speaker.name == "espeak-ng"
    yield speaker
    speaker.close()


def test_utterance_is_recorded_as_wav_and_transcript(speaker, tmp_path):
    events = Events(speaker)
    speaker.speak("a red circle on a white background")
    assert events.done.wait(20)
    assert events.finished[0][:2] == ("a red circle on a white background", True)
    folder = tmp_path / "speech"
    assert (folder / "0001.txt").read_text().strip() == "a red circle on a white background"
    assert wav_seconds(folder / "0001.wav") > 1.0


def test_stop_ends_speech_within_200_ms(speaker):
    events = Events(speaker)
    speaker.speak(LONG)
    assert events.started.wait(20)
    time.sleep(0.5)  # well into the utterance
    assert speaker.is_speaking()
    stopped_at = time.perf_counter()
    speaker.stop()
    assert events.done.wait(2)
    text, completed, ended_at = events.finished[0]
    assert not completed
    assert ended_at - stopped_at < 0.2, f"speech ended {ended_at - stopped_at:.3f} s after stop"
    assert not speaker.is_speaking()


def test_a_new_utterance_interrupts_the_old_one(speaker):
    events = Events(speaker)
    speaker.speak(LONG)
    assert events.started.wait(20)
    events.started.clear()
    speaker.speak("a blue square")
    assert events.started.wait(20)
    assert events.finished[0][0] == LONG and events.finished[0][1] is False
    assert events.done.wait(20)
    time.sleep(0.1)


def test_rate_setting_changes_the_speech(speaker, tmp_path):
    events = Events(speaker)
    speaker.configure(rate=120)
    speaker.speak("a green triangle on a black background")
    assert events.done.wait(20)
    events.done.clear()
    speaker.configure(rate=360)
    speaker.speak("a green triangle on a black background")
    assert wait_for_count(events, 2)
    slow, fast = (wav_seconds(tmp_path / "speech" / f"000{n}.wav") for n in (1, 2))
    assert slow > fast * 1.8


def wait_for_count(events, count, timeout=20.0):
    deadline = time.monotonic() + timeout
    while len(events.finished) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return len(events.finished) >= count


def test_without_a_pulse_server_another_player_is_chosen(monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")
    player, problem = choose_player()
    assert isinstance(player, ProcessPlayer) and player.name != "paplay"
    assert problem is None


def test_silent_speaker_still_writes_transcripts(tmp_path):
    speaker = SilentSpeaker(SpeechRecorder(tmp_path))
    speaker.speak("hello")
    assert (tmp_path / "0001.txt").read_text() == "hello\n"
    assert not (tmp_path / "0001.wav").exists()


def test_recorder_continues_numbering(tmp_path):
    (tmp_path / "0007.txt").write_text("old\n")
    assert SpeechRecorder(tmp_path).record("new", None).name == "0008.txt"


def test_missing_engine_falls_back_to_silence_with_a_reason(no_speechd, monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a machine without espeak-ng
    speaker, problem = create_speaker("own-voice", str(tmp_path / "speech"))
    assert isinstance(speaker, SilentSpeaker)
    assert "espeak-ng is not installed" in problem and "Speech is off" in problem
    speaker.speak("still written down")
    assert (tmp_path / "speech" / "0001.txt").read_text() == "still written down\n"
