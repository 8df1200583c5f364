"""Where speech goes: a real Speech Dispatcher (through prismatoid) when there is one, seesay's own
voice otherwise or when it goes away, silence last; and text that is safe to send anywhere."""

from __future__ import annotations

import json
import signal
import threading

import prism
import pytest

from fixtures.desktop import wait_until
from seesay.core import config, settings
from seesay.speech.safe_text import ELLIPSIS, MAX_SPOKEN_CHARACTERS, safe_text
from seesay.speech.screen_reader import ScreenReaderSpeaker
from seesay.speech.select import choose_speaker
from seesay.speech.silent import SilentSpeaker
from seesay.speech.tts_speaker import TtsSpeaker


def transcripts(folder):
    return [p.read_text(encoding="utf-8").rstrip("\n") for p in sorted(folder.glob("*.txt"))]


# ---- text that is safe to send ---------------------------------------------------------------
def test_control_characters_and_nul_bytes_never_reach_speech_dispatcher(speechd, tmp_path):
    speaker = ScreenReaderSpeaker()
    try:
        speaker.speak("a red\x00 circle\x07 on a \x1b[31mwhite\x7f background\x9b")
        speechd.wait_said("a red circle on a [31mwhite background")
    finally:
        speaker.close()


def test_200_kb_of_text_is_cut_at_a_word_with_an_ellipsis(speechd):
    ocr = " ".join(f"word{n}" for n in range(40_000))  # about 270 KB
    assert len(ocr) > 200_000
    speaker = ScreenReaderSpeaker()
    try:
        speaker.speak(ocr)
        assert wait_until(lambda: speechd.said(), 20)
    finally:
        speaker.close()
    said = speechd.said()[0]
    assert said.endswith("...")  # Speech Dispatcher writes the ellipsis seesay sent as three dots
    assert len(said) <= MAX_SPOKEN_CHARACTERS + 2
    kept = said.removesuffix("...")
    assert ocr.startswith(kept) and ocr[len(kept)] == " "  # ends on a whole word
    assert safe_text(ocr) == kept + ELLIPSIS


def test_safe_text_keeps_lines_and_replaces_broken_characters():
    assert safe_text("line one\r\nline two\rthree\ttab") == "line one\nline two\nthree\ttab"
    assert safe_text("half a pair \ud800 here") == "half a pair ? here"
    assert safe_text("\x00\x01 \n") == ""
    assert safe_text("short") == "short"


def test_own_voice_speaks_text_with_a_nul_byte(audio, tmp_path):
    from seesay.speech.recorder import SpeechRecorder

    speaker = TtsSpeaker(SpeechRecorder(tmp_path / "speech"))
    done = threading.Event()
    speaker.listeners.finished.append(lambda utterance, completed: done.set())
    problems = []
    speaker.listeners.problem.append(problems.append)
    try:
        speaker.speak("a blue\x00 square")
        assert done.wait(20), problems
    finally:
        speaker.close()
    assert transcripts(tmp_path / "speech") == ["a blue square"] and not problems
    assert (tmp_path / "speech" / "0001.wav").stat().st_size > 10_000


# ---- which channel, and why --------------------------------------------------------------------
def test_auto_speaks_through_speech_dispatcher_and_says_why(speechd, tmp_path):
    choice = choose_speaker("auto", str(tmp_path / "speech"))
    try:
        assert choice.speaker.name == "Speech Dispatcher" and choice.problem is None
        chosen = [report for report in choice.reports if report.chosen]
        assert [(r.channel, r.name, r.reason) for r in chosen] == [
            ("screen-reader", "Speech Dispatcher", "speech service found (no braille)")]
        orca = next(report for report in choice.reports if report.name == "Orca")
        assert not orca.chosen and "Orca 49" in orca.reason  # Debian 12 has Orca 43, and it is not running
        choice.speaker.speak("a green triangle on a black background")
        speechd.wait_said("a green triangle on a black background")
    finally:
        choice.speaker.close()
    # The own voice stayed silent: a transcript, but no WAV.
    assert transcripts(tmp_path / "speech") == ["a green triangle on a black background"]
    assert not list((tmp_path / "speech").glob("*.wav"))


def test_without_a_speech_service_auto_uses_the_own_voice(audio, no_speechd, tmp_path):
    choice = choose_speaker("auto", str(tmp_path / "speech"))
    try:
        assert isinstance(choice.speaker, TtsSpeaker) and choice.problem is None
        refused = {report.name: report.reason for report in choice.reports if not report.chosen}
        assert refused["Speech Dispatcher"].startswith("could not be reached or started")
        assert [(r.channel, r.name) for r in choice.reports if r.chosen] == [("own-voice", "espeak-ng")]
    finally:
        choice.speaker.close()


def test_asking_for_the_screen_reader_when_there_is_none_says_so(audio, no_speechd):
    choice = choose_speaker("screen-reader")
    try:
        assert isinstance(choice.speaker, TtsSpeaker)
        assert choice.problem.startswith("No screen reader or speech service could be reached")
        assert "Speech Dispatcher" in choice.problem
    finally:
        choice.speaker.close()


def test_own_voice_chosen_by_name_leaves_speech_dispatcher_alone(audio, speechd):
    choice = choose_speaker("own-voice")
    try:
        assert isinstance(choice.speaker, TtsSpeaker)
        assert [report.channel for report in choice.reports] == ["own-voice"]
    finally:
        choice.speaker.close()
    assert speechd.daemon_pid() is None  # never started


def test_silent_is_silent_even_with_speech_dispatcher_there(speechd):
    choice = choose_speaker("silent")
    assert isinstance(choice.speaker, SilentSpeaker) and choice.problem is None
    assert speechd.daemon_pid() is None


def test_old_settings_file_speech_system_means_own_voice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"speech": "system", "rate": 200}))
    saved, problems = config.load_saved(path)
    assert problems == [] and settings.resolve({}, saved)["speech_output"] == "own-voice"
    path.write_text(json.dumps({"speech": "silent", "speech_output": "screen-reader"}))
    assert settings.resolve({}, config.load_saved(path)[0])["speech_output"] == "screen-reader"
    assert settings.resolve({"speech": "silent"})["speech_output"] == "silent"
    assert settings.resolve({})["speech_output"] == "auto"


# ---- when the screen reader goes away ------------------------------------------------------------
def test_speech_dispatcher_killed_the_next_utterance_is_heard_through_the_own_voice_said_once(
        audio, speechd, tmp_path):
    choice = choose_speaker("auto", str(tmp_path / "speech"))
    speaker = choice.speaker
    problems, finished = [], []
    speaker.listeners.problem.append(problems.append)
    speaker.listeners.finished.append(lambda utterance, completed: finished.append(utterance.text))
    try:
        speaker.speak("a red circle on a white background")
        speechd.wait_said("a red circle on a white background")
        speechd.kill(signal.SIGKILL)
        speaker.speak("a blue square on a black background")
        notice = "Speech Dispatcher stopped answering, so seesay speaks with its own voice now."
        assert wait_until(lambda: f"{notice} a blue square on a black background" in finished, 30), finished
        speaker.speak("a yellow triangle")
        assert wait_until(lambda: "a yellow triangle" in finished, 30), finished
    finally:
        speaker.close()
    assert problems == [notice]  # said once
    folder = tmp_path / "speech"
    assert transcripts(folder) == ["a red circle on a white background",
                                   f"{notice} a blue square on a black background", "a yellow triangle"]
    assert not (folder / "0001.wav").exists()  # Speech Dispatcher said the first
    assert (folder / "0002.wav").stat().st_size > 10_000 and (folder / "0003.wav").stat().st_size > 10_000
    assert speechd.said() == ["a red circle on a white background"]


# ---- seesay doctor ---------------------------------------------------------------------------------
def test_doctor_says_which_channel_speaks_why_and_how_to_change_it(speechd, capsys):
    from seesay.doctor import doctor

    doctor({**settings.defaults(), "model_dir": "/nonexistent"})
    report = capsys.readouterr().out
    line = next(line for line in report.splitlines() if "Speech output" in line)
    assert line.startswith("[ok ] Speech output: Speech Dispatcher: speech service found (no braille)")
    assert "passed over: Orca: not running, or older than Orca 49" in line and "(setting: auto)" in line
    assert "seesay --speech-output auto|screen-reader|own-voice|silent" in report


def test_doctor_names_the_own_voice_when_no_speech_service_runs(audio, no_speechd, capsys):
    from seesay.doctor import doctor

    doctor({**settings.defaults(), "model_dir": "/nonexistent"})
    line = next(line for line in capsys.readouterr().out.splitlines() if "Speech output" in line)
    assert line.startswith("[ok ] Speech output: seesay's own voice (espeak-ng); passed over:")
    assert "Speech Dispatcher: could not be reached or started" in line


# ---- braille ------------------------------------------------------------------------------------------
# No screen reader with a braille display runs here. prismatoid's own plug-in interface stands one in:
# the backend's calls arrive through Prism's C layer exactly as NVDA's or JAWS's would.
class BrailleReader(prism.CustomBackend):
    calls: list[tuple[str, str]] = []

    def speak(self, text, interrupt):
        self.calls.append(("speak", text))

    def braille(self, text):
        self.calls.append(("braille", text))

    def stop(self):
        self.calls.append(("stop", ""))


class BrailleReaderWithOutput(BrailleReader):
    calls: list[tuple[str, str]] = []

    def output(self, text, interrupt):  # speech and braille in one call, as NVDA's backend offers
        self.calls.append(("output", text))


@pytest.mark.parametrize("reader, expected", [
    (BrailleReader, [("speak", "a red circle"), ("braille", "a red circle"), ("stop", "")]),
    (BrailleReaderWithOutput, [("output", "a red circle"), ("stop", "")]),
])
def test_text_goes_to_braille_where_the_screen_reader_has_it(reader, expected):
    reader.calls.clear()
    builder = prism.RegistryBuilder()
    builder.add_backend("Braille reader", reader, priority=200)  # above Orca (100): tried first
    speaker = ScreenReaderSpeaker(registry=builder.freeze())
    try:
        assert speaker.name == "Braille reader" and speaker.braille
        assert speaker.reports[0].reason == "speech service found (with braille)"
        speaker.speak("a red\x00 circle")
        assert wait_until(lambda: len(reader.calls) == len(expected) - 1, 5)
        speaker.stop()
        assert wait_until(lambda: len(reader.calls) == len(expected), 5)
        assert reader.calls == expected
    finally:
        speaker.close()


def test_the_old_speech_flag_still_works_unlisted():
    """A desktop shortcut made before --speech-output (``seesay --speech silent``) still starts."""
    from seesay.cli import build_parser
    from seesay.core import settings

    parser = build_parser()
    for old, new in (("silent", "silent"), ("system", "own-voice"), ("auto", "auto")):
        assert settings.resolve(vars(parser.parse_args(["--speech", old])))["speech_output"] == new
    assert settings.resolve(vars(parser.parse_args(["--speech-output", "silent"])))["speech_output"] == "silent"
    assert "--speech " not in parser.format_help() and "--speech-output" in parser.format_help()
