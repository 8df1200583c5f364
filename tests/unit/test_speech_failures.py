"""No silent failure: a sound device that does not work is found at start (and by seesay doctor),
and a player that fails later hands what was not heard, with the reason, to the next channel.

The players are real processes: ALSA's aplay on a device that does not exist, and players that
find no sound server (fixtures/broken_audio.py)."""

from __future__ import annotations

import pytest

from fixtures.broken_audio import broken_players
from fixtures.desktop import wait_until
from seesay.core import settings
from seesay.speech.select import choose_speaker
from seesay.speech.silent import SilentSpeaker
from seesay.speech.tts_speaker import TtsSpeaker


def transcripts(folder):
    return [p.read_text(encoding="utf-8").rstrip("\n") for p in sorted(folder.glob("*.txt"))]


@pytest.fixture
def no_sound_device(tmp_path, monkeypatch):
    folder = broken_players(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{folder}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")
    return folder


@pytest.fixture
def sound_device_that_goes_away(tmp_path, monkeypatch):
    """Players that work until ``gone`` is created."""
    gone = tmp_path / "gone"
    folder = broken_players(tmp_path / "bin", until=gone)
    monkeypatch.setenv("PATH", f"{folder}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")
    return gone


def test_own_voice_that_cannot_be_heard_is_found_at_start_and_passed_over_with_the_reason(
        no_speechd, no_sound_device, tmp_path):
    choice = choose_speaker("own-voice", str(tmp_path / "speech"))
    choice.speaker.close()
    assert isinstance(choice.speaker, SilentSpeaker)
    own_voice = next(report for report in choice.reports if report.channel == "own-voice")
    assert not own_voice.chosen and "audio open error" in own_voice.reason, own_voice
    assert "audio open error" in choice.problem and "sound device" in choice.problem, choice.problem
    assert "install espeak-ng" not in choice.problem  # espeak-ng is there: the sound is what fails


def test_a_player_that_fails_mid_session_hands_speech_to_speech_dispatcher_with_the_reason(
        speechd, sound_device_that_goes_away, tmp_path):
    choice = choose_speaker("own-voice", str(tmp_path / "speech"))
    speaker = choice.speaker
    assert isinstance(speaker, TtsSpeaker) and choice.problem is None
    problems, finished = [], []
    speaker.listeners.problem.append(problems.append)
    speaker.listeners.finished.append(lambda utterance, completed: finished.append((utterance.text, completed)))
    try:
        speaker.speak("a red circle")
        assert wait_until(lambda: ("a red circle", True) in finished, 20), finished
        sound_device_that_goes_away.touch()
        speaker.speak("a blue square on a black background")
        assert wait_until(lambda: len(problems) == 1, 20), "the failed playback was never reported"
        notice = problems[0]
        assert "aplay" in notice and "audio open error" in notice, notice
        assert "Speech Dispatcher" in notice, notice
        speechd.wait_said(f"{notice} a blue square on a black background")
        speaker.speak("a yellow triangle")  # later speech goes straight to the channel that works
        speechd.wait_said("a yellow triangle")
    finally:
        speaker.close()
    assert len(problems) == 1  # said once


def test_a_player_that_fails_mid_session_with_no_other_channel_is_shown_and_written_down(
        no_speechd, sound_device_that_goes_away, tmp_path):
    choice = choose_speaker("own-voice", str(tmp_path / "speech"))
    speaker = choice.speaker
    assert isinstance(speaker, TtsSpeaker)
    problems = []
    speaker.listeners.problem.append(problems.append)
    try:
        sound_device_that_goes_away.touch()
        speaker.speak("a blue square")
        assert wait_until(lambda: problems, 20), "the failed playback was never reported"
    finally:
        speaker.close()
    assert "audio open error" in problems[0] and "Speech is off" in problems[0], problems
    assert transcripts(tmp_path / "speech")[-1] == f"{problems[0]} a blue square"


def test_doctor_plays_a_test_sound_and_says_why_it_failed_and_what_to_do(no_speechd, no_sound_device, capsys):
    from seesay.doctor import doctor

    doctor({**settings.defaults(), "model_dir": "/nonexistent"})
    report = capsys.readouterr().out
    lines = report.splitlines()
    speech = next(index for index, line in enumerate(lines) if line.startswith("[") and "] Speech:" in line)
    assert lines[speech].startswith("[NO ] Speech:") and "audio open error" in lines[speech], report
    assert "sound device" in lines[speech + 1], report
    output = next(line for line in lines if "] Speech output:" in line)
    assert output.startswith("[NO ] Speech output: silent"), report
