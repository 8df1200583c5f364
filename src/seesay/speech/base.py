"""The ``Speaker`` interface every speech backend offers, and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Utterance:
    text: str
    number: int
    #: False: said after what is being said (the next part of the same description), not instead of it
    interrupt: bool = True


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
    #: The languages it speaks, as its synthesizer names them ("de", "pt-br", "de-DE", "pt_BR").
    languages: tuple[str, ...] = ()


class Speaker(Protocol):
    """Says things. ``speak`` interrupts whatever is being said (with ``interrupt=False`` it is said
    after it, as the next part of the same description); ``stop`` silences it and all that waits."""

    name: str
    listeners: SpeechListeners

    def speak(self, text: str, interrupt: bool = True) -> Utterance: ...
    def stop(self) -> None: ...
    def is_speaking(self) -> bool: ...
    def configure(self, *, voice: str = "", rate: int = 0, volume: float = 1.0) -> None: ...
    def voices(self) -> list[Voice]: ...
    def close(self) -> None: ...


def active_speaker(speaker: Speaker) -> Speaker:
    """The speaker that really speaks now: after a fallback (the screen reader went away, the own voice's
    player failed), the one it handed speech to."""
    seen = {id(speaker)}
    while (fallback := getattr(speaker, "fallback_speaker", None)) is not None and id(fallback) not in seen:
        seen.add(id(fallback))
        speaker = fallback
    return speaker


def hand_over(fallback: Speaker, listeners: SpeechListeners, settings: tuple[str, int, float], notice: str,
              unheard: str, keep: Callable[[Speaker], None]) -> None:
    """A speaker that cannot be heard any more gives its listeners and settings to ``fallback`` (which
    ``keep`` stores, so later speech goes there), tells the app ``notice`` once, and has the fallback
    say it, followed by ``unheard``: what was not heard."""
    fallback.listeners = listeners
    voice, rate, volume = settings
    fallback.configure(voice=voice, rate=rate, volume=volume)
    keep(fallback)
    listeners.emit_problem(notice)
    fallback.speak(f"{notice} {unheard}")
