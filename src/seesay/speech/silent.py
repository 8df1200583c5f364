"""The speaker of last resort: says nothing, so the app always starts. Still writes transcripts."""

from __future__ import annotations

import itertools

from seesay.speech.base import SpeechListeners, Utterance, Voice
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.safe_text import safe_text


class SilentSpeaker:
    name = "silent"

    def __init__(self, recorder: SpeechRecorder | None = None) -> None:
        self.listeners = SpeechListeners()
        self.recorder = recorder
        self._numbers = itertools.count(1)

    def speak(self, text: str, interrupt: bool = True) -> Utterance:
        utterance = Utterance(text=safe_text(text), number=next(self._numbers), interrupt=interrupt)
        if self.recorder is not None:
            self.recorder.record(utterance.text, None)
        self.listeners.emit_started(utterance)
        self.listeners.emit_finished(utterance, True)
        return utterance

    def stop(self) -> None:
        pass

    def is_speaking(self) -> bool:
        return False

    def configure(self, *, voice: str = "", rate: int = 0, volume: float = 1.0) -> None:
        pass

    def voices(self) -> list[Voice]:
        return []

    def close(self) -> None:
        pass
