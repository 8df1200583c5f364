"""The Speech output setting in the dialog: named choices, and a change takes effect at once."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from gui.conftest import spoken
from seesay.app.settings_dialog import SettingsDialog
from seesay.speech.silent import SilentSpeaker
from seesay.speech.tts_speaker import TtsSpeaker


def test_choosing_own_voice_in_settings_makes_seesay_speak_with_it(qtbot, make_app, audio, tmp_path):
    app = make_app()
    assert isinstance(app.speaker, SilentSpeaker)
    dialog = SettingsDialog(app.values, voices=app.voice.voices())
    qtbot.addWidget(dialog)
    combo = next(w for w in dialog.findChildren(QComboBox) if w.accessibleName() == "Speech output")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Automatic: screen reader or speech service, else seesay's own voice", "Screen reader or speech service",
        "seesay's own voice", "Silent"]
    combo.setCurrentIndex(combo.findData("own-voice"))
    app.apply_settings(dialog.values())
    assert isinstance(app.speaker, TtsSpeaker) and app.values["speech_output"] == "own-voice"
    app.speak("a red circle on a white background")
    folder = tmp_path / "speech"

    def voiced(text):  # the own voice made a sound for it (a WAV beside its transcript)
        return any(wav.with_suffix(".txt").exists() and wav.with_suffix(".txt").read_text().strip() == text
                   for wav in folder.glob("*.wav"))  # a recording is written before its transcript

    # the worker may still be saying "Loading…" with the new voice first: wait for this utterance's sound
    qtbot.waitUntil(lambda: voiced("a red circle on a white background"), timeout=20000)
    assert "a red circle on a white background" in spoken(tmp_path)
