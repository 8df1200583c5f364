"""The ``Speaker`` interface every speech backend offers, and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Utterance:
    text: str
    number: int


@dataclass
class SpeechListeners:
    """Callbacks, called on the speech thread: keep them short and thread-safe (emit a signal)."""

    started: list[Callable[[Utterance], None]] = field(default_factory=list)
    #: ``finished(utterance, completed)``: completed is False when it was stopped or interrupted.
    finished: list[Callable[[Utterance, bool], None]] = field(default_factory=list)
    #: ``problem(message)``: speech did not work (no engine, no audio player); the app shows it.
    problem: list[Callable[[str], None]] = field(default_factory=list)

    def emit_started(self, utterance: Utterance) -> None:
        for callback in list(self.started):
            callback(utterance)

    def emit_finished(self, utterance: Utterance, completed: bool) -> None:
        for callback in list(self.finished):
            callback(utterance, completed)

    def emit_problem(self, message: str) -> None:
        for callback in list(self.problem):
            callback(message)


@dataclass(frozen=True)
class Voice:
    id: str
    name: str


class Speaker(Protocol):
    """Says things. ``speak`` interrupts whatever is being said; ``stop`` silences it at once."""

    name: str
    listeners: SpeechListeners

    def speak(self, text: str) -> Utterance: ...
    def stop(self) -> None: ...
    def is_speaking(self) -> bool: ...
    def configure(self, *, voice: str = "", rate: int = 0, volume: float = 1.0) -> None: ...
    def voices(self) -> list[Voice]: ...
    def close(self) -> None: ...
