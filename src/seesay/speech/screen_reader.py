"""Speech, and braille where there is a display, through the person's screen reader or the
system's speech service, by prismatoid (``import prism``).

prismatoid knows NVDA, JAWS, UI Automation notifications (Narrator), SAPI and OneCore on
Windows; VoiceOver and AVSpeech on macOS; Orca (49 and later, over D-Bus) and Speech
Dispatcher on Linux. Its registry ranks screen readers above speech services, and a backend
that is not running refuses to be created, so the first one that can be created is the one
the person listens to. Their own voice, rate and volume rule there: ``configure`` changes
nothing.

All calls into prism happen on one thread that this speaker owns (COM-based backends on
Windows want the thread that made them). ``speak`` and ``stop`` only queue, so the GUI
thread never waits on a screen reader. A screen reader cannot tell when it has finished,
so ``finished`` is reported as soon as the text is handed over.

If the screen reader or speech service goes away (NVDA quit, Speech Dispatcher killed),
the next utterance is said by seesay's own voice, which says so once.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from dataclasses import dataclass

from seesay.core.i18n import _
from seesay.speech.base import Speaker, SpeechListeners, Utterance, Voice, hand_over
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.safe_text import safe_text

log = logging.getLogger("seesay.speech")

#: prism's backends that are screen readers; the others are speech services (Speech Dispatcher, SAPI...).
SCREEN_READER_IDS = ("NVDA", "JAWS", "ORCA", "VOICE_OVER", "UIA", "ZDSR", "ZOOM_TEXT", "BOY_PC_READER", "PC_TALKER",
                     "SENSE_READER", "SYSTEM_ACCESS", "WINDOW_EYES", "ANDROID_SCREEN_READER")
START_TIMEOUT = 15.0


class ScreenReaderUnavailable(Exception):
    """No screen reader or speech service could be reached; ``reports`` says why for each."""

    def __init__(self, message: str, reports: list[ChannelReport]) -> None:
        super().__init__(message)
        self.reports = reports


@dataclass(frozen=True)
class ChannelReport:
    """One speech channel that was considered, whether it was chosen, and why (or why not)."""

    channel: str  # "screen-reader", "own-voice" or "silent"
    name: str
    chosen: bool
    reason: str
    #: What the person can do about it, when not chosen for a reason they can fix.
    fix: str = ""


def open_best_backend(registry=None) -> tuple[object, object, list[ChannelReport]]:
    """(context, backend, reports): the highest-ranked prism backend that can be created here.

    ``registry`` (a ``prism.Registry``) replaces prism's own list of backends (tests use it).
    Raises ``ScreenReaderUnavailable`` with a report per backend tried when none can."""
    try:
        import prism
    except Exception as error:  # not installed, or its native library does not load here
        reason = _("prismatoid could not be loaded ({detail})").format(detail=f"{type(error).__name__}: {error}")
        raise ScreenReaderUnavailable(reason, [ChannelReport("screen-reader", "prismatoid", False, reason)]) from None
    context = prism.Context(registry)
    ids = [context.id_of(index) for index in range(context.backends_count)]
    ids.sort(key=context.priority_of, reverse=True)
    reports = []
    for backend_id in ids:
        name = context.name_of(backend_id)
        try:
            backend = context.create(backend_id)
        except Exception as error:  # PrismBackendNotAvailableError: not running, too old, not installed
            reports.append(ChannelReport("screen-reader", name, False, _not_running_reason(backend_id.name, error)))
            continue
        kind = _("screen reader") if backend_id.name in SCREEN_READER_IDS else _("speech service")
        braille = _("with braille") if backend.features.supports_braille else _("no braille")
        reports.append(ChannelReport("screen-reader", name, True, _("{kind} found ({braille})").format(
            kind=kind, braille=braille)))
        return context, backend, reports
    reason = _("no screen reader or speech service is running")
    if not reports:
        reports.append(ChannelReport("screen-reader", _("screen reader"), False, reason))
    raise ScreenReaderUnavailable(reason, reports)


def _not_running_reason(backend_id: str, error: Exception) -> str:
    if backend_id == "ORCA":
        reason = _("not running, or older than Orca 49")
    elif backend_id == "SPEECH_DISPATCHER":
        reason = _("could not be reached or started (is speech-dispatcher installed, with a working output module?)")
    else:
        reason = _("not running")
    detail = str(error)
    return reason if detail == "Backend not available" else f"{reason} ({detail})"


class ScreenReaderSpeaker:
    """A ``Speaker`` that hands text to a screen reader or speech service."""

    def __init__(self, recorder: SpeechRecorder | None = None, registry=None, language: str = "en") -> None:
        """``registry``: a ``prism.Registry`` to use instead of prism's own list of backends. ``language``:
        seesay's, spoken by the own voice that takes over if the screen reader goes away (the screen
        reader speaks with its own voice and language settings: seesay never changes them)."""
        self.listeners = SpeechListeners()
        self._language = language
        self._registry = registry
        self.recorder = recorder
        self.reports: list[ChannelReport] = []
        self.braille = False
        self.name = "screen reader"
        self._own_voice: Speaker | None = None
        self._settings: tuple[str, int, float] = ("", 0, 1.0)
        self._commands: queue.Queue = queue.Queue()
        self._numbers = itertools.count(1)
        #: utterances numbered below this are not said (interrupted, stopped)
        self._cut = 0
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._startup_error: ScreenReaderUnavailable | None = None
        self._thread = threading.Thread(target=self._run, name="seesay-screen-reader", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise ScreenReaderUnavailable(_("the screen reader did not answer in time"), [])
        if self._startup_error is not None:
            raise self._startup_error

    # ---- called from any thread -------------------------------------------------------------
    def speak(self, text: str, interrupt: bool = True) -> Utterance:
        utterance = Utterance(text=safe_text(text), number=next(self._numbers), interrupt=interrupt)
        if not interrupt:  # the next part of what is being said: it waits its turn
            self._commands.put(("speak", utterance))
            return utterance
        with self._lock:
            self._cut = utterance.number  # everything before it is moot
        self._commands.put(("speak", utterance))
        return utterance

    def stop(self) -> None:
        with self._lock:
            self._cut = next(self._numbers)  # everything queued so far is moot
        own_voice = self._own_voice
        if own_voice is not None:
            own_voice.stop()
        else:
            self._commands.put(("stop", None))

    @property
    def fell_back(self) -> bool:
        """True once the screen reader went away and the own voice speaks instead."""
        return self._own_voice is not None

    @property
    def fallback_speaker(self) -> Speaker | None:
        """The speaker that says everything since the screen reader went away."""
        return self._own_voice

    def is_speaking(self) -> bool:
        own_voice = self._own_voice
        return own_voice.is_speaking() if own_voice is not None else False

    def configure(self, *, voice: str = "", rate: int = 0, volume: float = 1.0) -> None:
        """The screen reader's own voice, rate and volume rule; after a fallback, the own voice takes these."""
        self._settings = (voice, rate, volume)
        if self._own_voice is not None:
            self._own_voice.configure(voice=voice, rate=rate, volume=volume)

    def voices(self) -> list[Voice]:
        return self._own_voice.voices() if self._own_voice is not None else []

    def close(self) -> None:
        self.stop()
        self._commands.put(("quit", None))
        self._thread.join(timeout=5)
        if self._own_voice is not None:
            self._own_voice.close()

    # ---- the screen reader thread -------------------------------------------------------------
    def _run(self) -> None:
        try:
            context, backend, self.reports = open_best_backend(self._registry)
        except ScreenReaderUnavailable as error:
            self._startup_error = error
            self._ready.set()
            return
        self.name = backend.name
        features = backend.features
        self.braille = features.supports_braille
        self._ready.set()
        try:
            self._serve(backend, features)
        finally:
            del backend, context  # freed on this thread, as they were made here

    def _serve(self, backend, features) -> None:
        while True:
            command, utterance = self._commands.get()
            if command == "quit":
                return
            if self._own_voice is not None:
                if command == "speak" and not self._moot(utterance):
                    self._own_voice.speak(utterance.text, utterance.interrupt)
                continue
            try:
                if command == "stop" and features.supports_stop:
                    backend.stop()
                elif command == "speak" and utterance.text and not self._moot(utterance):
                    self._hand_over(backend, features, utterance)
            except Exception as error:  # PrismInternalError: the screen reader or service went away
                log.warning("speech through %s failed: %s", self.name, error)
                if command == "speak":
                    self._fall_back(utterance)

    def _hand_over(self, backend, features, utterance: Utterance) -> None:
        if features.supports_braille and features.supports_output:
            backend.output(utterance.text, interrupt=utterance.interrupt)  # speech and braille in one call
        else:
            backend.speak(utterance.text, interrupt=utterance.interrupt)
            if features.supports_braille:
                backend.braille(utterance.text)
        if self.recorder is not None:
            self.recorder.record(utterance.text, None)
        self.listeners.emit_started(utterance)
        self.listeners.emit_finished(utterance, True)

    def _fall_back(self, utterance: Utterance) -> None:
        """Say ``utterance`` and what happened with the own voice; every later one goes there too."""
        own_voice, reason = _own_voice(self.recorder, self._language)
        if own_voice.name == "silent":
            notice = _("{name} stopped answering, and seesay's own voice cannot be used ({reason}): speech is off.")
        else:
            notice = _("{name} stopped answering, so seesay speaks with its own voice now.")
        notice = notice.format(name=self.name, reason=reason.rstrip("."))
        if getattr(own_voice, "notice", None):  # it has no voice for seesay's language
            notice += " " + own_voice.notice
        hand_over(own_voice, self.listeners, self._settings, notice, utterance.text, keep=self._keep_own_voice)

    def _keep_own_voice(self, own_voice: Speaker) -> None:
        self._own_voice = own_voice

    def _moot(self, utterance: Utterance) -> bool:
        with self._lock:
            return utterance.number < self._cut


def _own_voice(recorder: SpeechRecorder | None, language: str) -> tuple[Speaker, str]:
    """seesay's own voice, or silence (still writing transcripts) when it cannot start or cannot be
    heard, with the reason why not."""
    from seesay.speech.select import open_own_voice
    from seesay.speech.silent import SilentSpeaker

    speaker, reports = open_own_voice(recorder, then=("silent",), language=language)
    if speaker is None:
        log.warning("own voice unavailable after the screen reader went away: %s", reports[0].reason)
        return SilentSpeaker(recorder), reports[0].reason
    return speaker, ""
