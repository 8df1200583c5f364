"""Speech through the system's voices (SAPI5 on Windows, NSSpeech on macOS, espeak-ng on Linux).

One speech thread owns the synthesiser (pyttsx3's engine must stay on the thread that made
it; see ``synthesizers``). Each utterance is synthesised to a WAV file, recorded if
``--speech-dir`` is set, then played by
a ``Player`` that can be stopped at once. ``speak`` and ``stop`` return immediately; a newer
utterance makes older ones that have not finished moot.

When the player fails (no sound device, the sound server gone), what was not heard is said again
through the next channel that works, after the reason: the screen reader or speech service, or
silence that still writes transcripts. Everything later goes there too, and the app is told once.
"""

from __future__ import annotations

import itertools
import logging
import queue
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from seesay.core.i18n import _, name_of_language
from seesay.speech.base import Speaker, SpeechListeners, Utterance, Voice, hand_over
from seesay.speech.players import Player, check_player, choose_player, playback_failure, sound_fix
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.safe_text import safe_text
from seesay.speech.synthesizers import VOICE_LANGUAGES, create_synthesizer, voice_for_language

log = logging.getLogger("seesay.speech")


class SpeechEngineUnavailable(Exception):
    pass


class TtsSpeaker:
    name = "system voice"

    def __init__(self, recorder: SpeechRecorder | None = None, player: Player | None = None,
                 fallback: Callable[[], Speaker] | None = None, language: str = "en") -> None:
        """``fallback`` opens the next channel when playback fails (default: silence). ``language``: seesay's
        ("de"), which the voice speaks unless a voice is chosen; without a voice for it, the default
        voice speaks, and ``notice`` says so."""
        self.listeners = SpeechListeners()
        self._language = language
        #: The voice that speaks ``language`` ("" for the default voice), found on the speech thread.
        self._language_voice = ""
        #: What to tell the person once: no voice speaks their language here (else None).
        self.notice: str | None = None
        self.recorder = recorder
        self._open_fallback = fallback
        self._fallback: Speaker | None = None
        self._player = player if player is not None else choose_player()[0]  # none: check_audio says why
        self._commands: queue.Queue = queue.Queue()
        self._numbers = itertools.count(1)
        #: utterances numbered below this are not said (interrupted, stopped)
        self._cut = 0
        self._lock = threading.Lock()
        self._speaking = False
        self._voices: list[Voice] = []
        self._settings: tuple[str, int, float] = ("", 0, 1.0)
        self._ready = threading.Event()
        self._startup_error: str | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="seesay-speech-")
        self._thread = threading.Thread(target=self._run, name="seesay-speech", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=15)
        if self._startup_error:
            self._folder.cleanup()  # nothing will be written there: one folder left per start otherwise
            raise SpeechEngineUnavailable(self._startup_error)

    # ---- called from any thread -------------------------------------------------------------
    def check_audio(self) -> str | None:
        """Play a moment of silence: None when the sound can be heard, else why not (call before speaking)."""
        return check_player(self._player)

    @property
    def fallback_speaker(self) -> Speaker | None:
        """The speaker that says everything since playback failed."""
        return self._fallback

    def speak(self, text: str, interrupt: bool = True) -> Utterance:
        utterance = Utterance(text=safe_text(text), number=next(self._numbers), interrupt=interrupt)
        if not interrupt:  # the next part of what is being said: it waits its turn
            self._commands.put(("speak", utterance))
            return utterance
        with self._lock:
            self._cut = utterance.number  # everything before it is moot
        self._player.stop()  # a new description interrupts the old one
        self._commands.put(("speak", utterance))
        return utterance

    def stop(self) -> None:
        with self._lock:
            self._cut = next(self._numbers)  # everything queued so far is moot
        self._player.stop()
        fallback = self._fallback
        if fallback is not None:
            fallback.stop()

    def is_speaking(self) -> bool:
        fallback = self._fallback
        return fallback.is_speaking() if fallback is not None else self._speaking

    def configure(self, *, voice: str = "", rate: int = 0, volume: float = 1.0) -> None:
        """Takes effect from the next utterance."""
        self._settings = (voice, rate, volume)
        if self._fallback is not None:
            self._fallback.configure(voice=voice, rate=rate, volume=volume)

    def voices(self) -> list[Voice]:
        return list(self._voices)

    @property
    def language_voice(self) -> str:
        """The voice that speaks seesay's language unless one is chosen ("": the default voice)."""
        return self._language_voice

    def close(self) -> None:
        self.stop()
        self._commands.put(("quit", None))
        self._thread.join(timeout=5)
        self._folder.cleanup()
        if self._fallback is not None:
            self._fallback.close()

    # ---- the speech thread --------------------------------------------------------------------
    def _run(self) -> None:
        try:
            synthesizer = create_synthesizer()
            self._voices = synthesizer.voices()
        except Exception as error:  # no espeak-ng, no SAPI, no NSSpeech, no pyttsx3...
            self._startup_error = _("No speech engine could be started ({detail}).").format(detail=str(error)[:160])
            self._ready.set()
            return
        self.name = synthesizer.name
        self._choose_language_voice()
        self._ready.set()
        while True:
            command, argument = self._commands.get()
            if command == "quit":
                return
            if command == "speak" and not self._moot(argument):
                if self._fallback is not None:
                    self._fallback.speak(argument.text, argument.interrupt)
                else:
                    self._say(synthesizer, argument)

    def _choose_language_voice(self) -> None:
        found = voice_for_language(self._voices, self._language)
        if found is not None:
            self._language_voice = found.id
        elif self._language in VOICE_LANGUAGES:
            fix = (_("Install espeak-ng-data, which has one, or choose a voice in Settings, Voice.")
                   if sys.platform.startswith("linux") else
                   _("Add one in the system's speech settings, or choose a voice in Settings, Voice."))
            self.notice = _("seesay's own voice ({engine}) has no {language} voice here, so it speaks with its "
                            "default voice.").format(engine=self.name, language=name_of_language(self._language)
                                                     ) + " " + fix
            log.warning("own voice: no voice for %s among %d", self._language, len(self._voices))

    def _moot(self, utterance: Utterance) -> bool:
        with self._lock:
            return utterance.number < self._cut

    def _say(self, synthesizer, utterance: Utterance) -> None:
        wav = Path(self._folder.name) / f"{utterance.number}.wav"
        voice, rate, volume = self._settings
        voice = voice or self._language_voice  # a voice chosen in Settings rules, else seesay's language's
        try:
            synthesizer.synthesize(utterance.text, wav, voice, rate, volume)
        except Exception as error:
            log.exception("speech synthesis failed")
            self.listeners.emit_problem(_("Speech synthesis failed ({detail}).").format(detail=error))
            return
        if not wav.is_file() or wav.stat().st_size <= 44:
            self.listeners.emit_problem(_("The speech engine produced no sound."))
            return
        if self.recorder is not None:
            self.recorder.record(utterance.text, wav)
        if self._moot(utterance):
            return
        self._speaking = True
        self.listeners.emit_started(utterance)
        completed = False
        failure = ""
        try:
            completed = self._player.play(wav, still_wanted=lambda: not self._moot(utterance))
            failure = "" if completed else self._player.last_error
        finally:
            self._speaking = False
            if not failure:
                self.listeners.emit_finished(utterance, completed)
            wav.unlink(missing_ok=True)
        if failure:
            self._fall_back(utterance)

    def _fall_back(self, utterance: Utterance) -> None:
        """The player failed: say why and ``utterance`` through the next channel; every later one goes there too."""
        reason = playback_failure(self._player)
        log.warning("own voice: %s", reason)
        fallback = self._open_fallback() if self._open_fallback is not None else _silence(self.recorder)
        if fallback.name == "silent":
            notice = _("seesay's own voice cannot be heard: {reason}. Speech is off. {fix}")
        else:
            notice = _("seesay's own voice cannot be heard: {reason}. seesay speaks through {name} now.")
        notice = notice.format(reason=reason, fix=sound_fix(), name=fallback.name)
        hand_over(fallback, self.listeners, self._settings, notice, utterance.text, keep=self._keep_fallback)

    def _keep_fallback(self, fallback: Speaker) -> None:
        self._fallback = fallback


def _silence(recorder: SpeechRecorder | None) -> Speaker:
    from seesay.speech.silent import SilentSpeaker

    return SilentSpeaker(recorder)
