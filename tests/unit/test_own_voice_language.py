"""seesay's own voice speaks seesay's language (issue 17, part 5), for real: espeak-ng synthesises each
utterance, PulseAudio plays it, and the recorded sound is compared with what espeak-ng itself makes
with that voice. A voice chosen in Settings rules; without a voice for the language, the default
(English) voice speaks and the person is told once. Through a screen reader its own voice rules."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from seesay.speech.base import Voice
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.synthesizers import EspeakSynthesizer, voice_for_language
from seesay.speech.tts_speaker import TtsSpeaker

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
GERMAN = "Bild oben links: ein gelbes Dreieck. Schöne Grüße."


def espeak_wav(folder: Path, text: str, *voice: str) -> bytes:
    """What espeak-ng itself makes of ``text`` (``voice``: its ``-v`` argument; none: its default voice),
    at the volume and rate seesay gives it by default."""
    wav = folder / f"espeak-{'-'.join(voice).replace('/', '_') or 'default'}.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "-a", "100", *(["-v", *voice] if voice else []), "--", text],
                   check=True, timeout=30)
    return wav.read_bytes()


def said(tmp_path: Path, text: str, language: str, voice: str = "") -> tuple[bytes, TtsSpeaker]:
    """The sound the own voice made for ``text``, as its recorder kept it."""
    speaker = TtsSpeaker(SpeechRecorder(tmp_path / "speech"), language=language)
    done = threading.Event()
    speaker.listeners.finished.append(lambda utterance, completed: done.set())
    try:
        speaker.configure(voice=voice)
        speaker.speak(text)
        assert done.wait(30), "the utterance was not finished"
    finally:
        speaker.close()
    return sorted((tmp_path / "speech").glob("*.wav"))[-1].read_bytes(), speaker


def test_espeak_lists_the_languages_of_its_voices(audio):  # espeak-ng opens the sound server even to list
    voices = EspeakSynthesizer().voices()
    chosen = {language: voice_for_language(voices, language) for language in ("de", "es", "fr", "pt_BR", "en")}
    assert {language: voice.id if voice else None for language, voice in chosen.items()} == {
        "de": "gmw/de", "es": "roa/es", "fr": "roa/fr", "pt_BR": "roa/pt-BR", "en": None}


@pytest.mark.parametrize(("language", "voice"), [("de", "gmw/de"), ("es", "roa/es"), ("pt_BR", "roa/pt-BR")])
def test_the_own_voice_speaks_seesays_language(audio, tmp_path, language, voice):
    sound, speaker = said(tmp_path, GERMAN, language)
    assert speaker.notice is None and speaker.language_voice == voice
    assert sound == espeak_wav(tmp_path, GERMAN, voice)  # that voice, byte for byte
    assert sound != espeak_wav(tmp_path, GERMAN)  # not the default (English) voice


def test_english_is_said_with_the_default_voice_as_before(audio, tmp_path):
    sound, speaker = said(tmp_path, "Ready. Drop, paste or open a picture.", "en")
    assert speaker.notice is None and speaker.language_voice == ""
    assert sound == espeak_wav(tmp_path, "Ready. Drop, paste or open a picture.")


def test_a_voice_chosen_in_settings_rules(audio, tmp_path):
    sound, _speaker = said(tmp_path, GERMAN, "de", voice="gmw/en-US")
    assert sound == espeak_wav(tmp_path, GERMAN, "gmw/en-US")


@pytest.fixture
def espeak_without_german(tmp_path, monkeypatch):
    """espeak-ng's data with every voice but German (ESPEAK_DATA_PATH), as a trimmed installation has."""
    data = Path(subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
                .stdout.split("Data at:")[1].strip())
    copy = tmp_path / "espeak" / "espeak-ng-data"
    copy.mkdir(parents=True)
    for item in data.iterdir():
        if item.name != "lang":
            (copy / item.name).symlink_to(item)
    (copy / "lang").mkdir()
    for family in (data / "lang").iterdir():  # a folder per language family, or a voice itself ("ko")
        if family.name != "gmw":
            (copy / "lang" / family.name).symlink_to(family)
            continue
        (copy / "lang" / family.name).mkdir()
        for voice in family.iterdir():
            if voice.name != "de":
                (copy / "lang" / family.name / voice.name).symlink_to(voice)
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(copy.parent))
    assert voice_for_language(EspeakSynthesizer().voices(), "de") is None


def test_without_a_voice_for_the_language_the_default_voice_speaks_and_says_so(
        audio, tmp_path, espeak_without_german):
    sound, speaker = said(tmp_path, GERMAN, "de")
    assert sound == espeak_wav(tmp_path, GERMAN)  # the default voice
    assert speaker.notice == ("seesay's own voice (espeak-ng) has no German voice here, so it speaks with its "
                              "default voice. Install espeak-ng-data, which has one, or choose a voice in Settings, "
                              "Voice.")


def test_the_missing_voice_is_told_once_through_the_speech_choice(audio, tmp_path, espeak_without_german):
    from seesay.speech.select import choose_speaker

    choice = choose_speaker("own-voice", str(tmp_path / "speech"), "de")
    try:
        assert choice.problem is None and choice.notice is not None and "German" in choice.notice
    finally:
        choice.speaker.close()


def test_voices_are_matched_by_the_names_other_synthesizers_give_languages():
    """SAPI names a voice's language "de-DE" and "pt-BR", NSSpeech "de_DE" (pyttsx3's voices' languages)."""
    voices = [Voice("zira", "Microsoft Zira", ("en-US",)), Voice("hedda", "Microsoft Hedda", ("de-DE",)),
              Voice("luciana", "Luciana", ("pt_PT",)), Voice("maria", "Microsoft Maria", ("pt-BR",)),
              Voice("thomas", "Thomas", ("fr_CA",))]
    assert voice_for_language(voices, "de").id == "hedda"
    assert voice_for_language(voices, "pt_BR").id == "maria"  # Brazil's before Portugal's
    assert voice_for_language(voices, "fr").id == "thomas"  # a neighbouring variant before English
    assert voice_for_language(voices, "es") is None


def test_through_a_screen_reader_its_voice_rules_and_the_own_voice_that_takes_over_speaks_the_language(
        audio, tmp_path):
    """A screen reader (prismatoid's plug-in interface stands one in) is only handed text: no voice,
    language or rate is set on it. When it stops answering, the own voice that takes over speaks German."""
    import prism

    from fixtures.desktop import wait_until
    from seesay.speech.screen_reader import ScreenReaderSpeaker

    class ScreenReader(prism.CustomBackend):
        calls: list[tuple] = []

        def speak(self, text, interrupt):
            self.calls.append(("speak", text))
            if len(self.calls) > 1:
                raise RuntimeError("the screen reader quit")

        def stop(self):
            self.calls.append(("stop",))

        def set_voice(self, voice_id):
            self.calls.append(("set_voice", voice_id))

        def set_rate(self, rate):
            self.calls.append(("set_rate", rate))

        def set_volume(self, volume):
            self.calls.append(("set_volume", volume))

    builder = prism.RegistryBuilder()
    builder.add_backend("Screen reader", ScreenReader, priority=200)
    speaker = ScreenReaderSpeaker(SpeechRecorder(tmp_path / "speech"), registry=builder.freeze(), language="de")
    try:
        speaker.speak("Guten Tag.")
        assert wait_until(lambda: ScreenReader.calls == [("speak", "Guten Tag.")], 5), ScreenReader.calls
        speaker.speak(GERMAN)  # it has gone away: said with the own voice
        # a recording is written before its transcript: both are there once the transcript is
        recorded = lambda: [w for w in (tmp_path / "speech").glob("*.wav") if w.with_suffix(".txt").exists()]  # noqa: E731
        assert wait_until(recorded, 30)
        assert speaker.fallback_speaker.language_voice == "gmw/de"
        wav = recorded()[0]  # what went unheard, after why, in the German voice
        text = wav.with_suffix(".txt").read_text(encoding="utf-8").rstrip("\n")
        assert text.endswith(GERMAN) and wav.read_bytes() == espeak_wav(tmp_path, text, "gmw/de")
        assert [call[0] for call in ScreenReader.calls] == ["speak", "speak"]  # nothing but text, ever
    finally:
        speaker.close()


def test_doctor_names_the_voice_that_speaks_the_language(audio):
    from seesay.doctor import _speech

    german = _speech({"language": "de"})
    assert german.ok and german.detail.endswith("; German with the voice gmw/de"), german
    assert "with the voice" not in _speech({"language": "en"}).detail


def test_doctor_says_when_no_voice_speaks_the_language(audio, espeak_without_german):
    from seesay.doctor import _speech

    finding = _speech({"language": "de"})
    assert not finding.ok and "with the voice" not in finding.detail
    assert finding.fix.startswith("seesay's own voice (espeak-ng) has no German voice here"), finding
