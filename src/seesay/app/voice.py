"""The app's voice: one speaker, made from the settings, remade when they change.

Speech callbacks arrive on the speech thread; problems are carried to the GUI thread by a
signal and reported there (shown, not spoken: the voice is what failed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from seesay.core.i18n import _
from seesay.speech.screen_reader import ScreenReaderSpeaker
from seesay.speech.select import create_speaker

#: Settings that need a new speaker; the others (voice, rate, volume) are applied to the running one.
SPEECH_KEYS = ("speech_output", "speech_dir")


def speech_output_names() -> dict[str, str]:
    """The ``speech_output`` choices with their translated names, for the settings dialog."""
    return {
        "auto": _("Automatic: screen reader or speech service, else seesay's own voice"),
        "screen-reader": _("Screen reader or speech service"),
        "own-voice": _("seesay's own voice"),
        "silent": _("Silent"),
    }


class Voice(QObject):
    """``problem`` carries a message about speech (on the GUI thread)."""

    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speaker = None

    def start(self, values: Mapping[str, Any]) -> None:
        """(Re)make the speaker from ``values``; says why when it has to stay silent."""
        self.close()
        self.speaker, problem = create_speaker(values["speech_output"], values["speech_dir"])
        self.speaker.listeners.problem.append(self.problem.emit)
        self.configure(values)
        if problem:
            self.problem.emit(problem)

    def configure(self, values: Mapping[str, Any]) -> None:
        self.speaker.configure(voice=values["voice"], rate=values["rate"], volume=values["volume"] / 100.0)

    def apply(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """Take changed settings into use: a new speaker only when it must be."""
        if any(old[key] != new[key] for key in SPEECH_KEYS):
            self.start(new)
        else:
            self.configure(new)

    def speak(self, text: str) -> None:
        if self.speaker is not None and text:
            self.speaker.speak(text)

    def stop(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()

    def speaks_through_screen_reader(self) -> bool:
        """True while speech goes to the screen reader or speech service (not after it fell back)."""
        return isinstance(self.speaker, ScreenReaderSpeaker) and not self.speaker.fell_back

    def voices(self) -> list:
        return self.speaker.voices() if self.speaker is not None else []

    def close(self) -> None:
        if self.speaker is not None:
            self.speaker.close()
