"""The app's voice: one speaker, made from the settings, remade when they change.

Speech callbacks arrive on the speech thread; problems are carried to the GUI thread by a
signal and reported there (shown, not spoken: the voice is what failed; when its player failed,
the speaker itself says the reason through the next channel that works).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from seesay.core.i18n import _, pick_language
from seesay.speech.base import active_speaker
from seesay.speech.screen_reader import ScreenReaderSpeaker
from seesay.speech.select import choose_speaker

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
        self._preference = "auto"
        self._last_problem: str | None = None
        self._notice: str | None = None
        self.problem.connect(self._remember)

    def start(self, values: Mapping[str, Any]) -> None:
        """(Re)make the speaker from ``values``; says why when it has to stay silent."""
        self.close()
        self._preference, self._last_problem = values["speech_output"], None
        # the own voice speaks the language the window shows, from the next start, as the window does
        language = pick_language(values["language"]).language
        choice = choose_speaker(values["speech_output"], values["speech_dir"], language)
        self.speaker = choice.speaker
        self.speaker.listeners.problem.append(self.problem.emit)
        self.configure(values)
        self._notice = None if values["voice"] else choice.notice  # a voice chosen in Settings rules
        if choice.problem:
            self.problem.emit(choice.problem)

    def _remember(self, text: str) -> None:
        self._last_problem = text

    @property
    def trouble(self) -> str | None:
        """Why nothing can be heard, while that is so (speech went silent without being asked to)."""
        if self.speaker is None or self._preference == "silent" or active_speaker(self.speaker).name != "silent":
            return None
        return self._last_problem or _("Speech is off.")

    def take_notice(self) -> str | None:
        """What to tell the person once, though speech works (the own voice has no voice for their
        language); None after the first call."""
        notice, self._notice = self._notice, None
        return notice

    def configure(self, values: Mapping[str, Any]) -> None:
        self.speaker.configure(voice=values["voice"], rate=values["rate"], volume=values["volume"] / 100.0)

    def apply(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """Take changed settings into use: a new speaker only when it must be."""
        if any(old[key] != new[key] for key in SPEECH_KEYS):
            self.start(new)
        else:
            self.configure(new)

    def speak(self, text: str, interrupt: bool = True) -> None:
        """``interrupt=False``: said after what is being said (the next part of a description)."""
        if self.speaker is not None and text:
            self.speaker.speak(text, interrupt)

    def stop(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()

    def speaks_through_screen_reader(self) -> bool:
        """True while speech goes to the screen reader or speech service (also after the own voice fell back to it)."""
        return self.speaker is not None and isinstance(active_speaker(self.speaker), ScreenReaderSpeaker)

    def voices(self) -> list:
        return self.speaker.voices() if self.speaker is not None else []

    def close(self) -> None:
        if self.speaker is not None:
            self.speaker.close()
