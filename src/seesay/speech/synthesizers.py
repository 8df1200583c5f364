"""Text to a WAV file: espeak-ng directly on Linux, pyttsx3 (SAPI5, NSSpeech) elsewhere.

pyttsx3 2.99's espeak driver runs synthesis on espeak's own thread and keeps a command queue
that a late ``endLoop`` can clear, so a rate or voice change is sometimes silently dropped
(seen here: one utterance in three kept the old rate). On Linux seesay therefore calls the
``espeak-ng`` program that pyttsx3 would drive anyway, one process per utterance (about
20 ms); on Windows and macOS pyttsx3 drives the system voices. Both run on the speech thread.

Each synthesizer says which languages its voices speak, so the own voice can speak seesay's
language (``voice_for_language``); English is every default voice's.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Protocol

from seesay.core.i18n import _
from seesay.speech.base import Voice

SYNTHESIS_TIMEOUT = 30.0


class SynthesisError(Exception):
    pass


class Synthesizer(Protocol):
    name: str

    def voices(self) -> list[Voice]: ...
    def synthesize(self, text: str, wav: Path, voice: str, rate: int, volume: float) -> None: ...


#: espeak-ng's listing names a voice's other languages as "(pt 6)": a code and its priority.
OTHER_LANGUAGE = re.compile(r"\(([^\s()]+) \d+\)")
#: The languages a voice may name for each of seesay's, best first: as spoken in that country
#: (espeak-ng "pt-br", SAPI "pt-BR", NSSpeech "pt_BR", compared in lower case with "-"), then the
#: language's other variants ("pt": a Portuguese voice reads Brazilian text better than an English one).
VOICE_LANGUAGES = {"de": ("de-de", "de"), "es": ("es-es", "es", "es-419"), "fr": ("fr-fr", "fr"),
                   "pt_BR": ("pt-br", "pt")}


def voice_for_language(voices: list[Voice], language: str) -> Voice | None:
    """The voice that speaks seesay's ``language`` ("de"), or None: for English (the default voice
    speaks it), or when no voice speaks the language."""
    wanted = VOICE_LANGUAGES.get(language)
    if wanted is None:
        return None
    spoken = [(voice, {code.lower().replace("_", "-") for code in voice.languages}) for voice in voices]
    for code in wanted:
        for voice, codes in spoken:
            if code in codes:
                return voice
    base = wanted[-1]
    return next((voice for voice, codes in spoken if any(code.split("-")[0] == base for code in codes)), None)


class EspeakSynthesizer:
    name = "espeak-ng"

    def __init__(self) -> None:
        self.program = shutil.which("espeak-ng") or shutil.which("espeak")
        if not self.program:
            raise SynthesisError(_("espeak-ng is not installed."))

    def voices(self) -> list[Voice]:
        """Its voices; the listing's columns: priority, language, age/gender, name, file, other languages
        ("5  pt-br  --/M  Portuguese_(Brazil)  roa/pt-BR  (pt 6)")."""
        listing = subprocess.run([self.program, "--voices"], capture_output=True, text=True, timeout=10).stdout
        found = []
        for line in listing.splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 5:
                others = OTHER_LANGUAGE.findall(" ".join(fields[5:]))
                found.append(Voice(id=fields[4], name=fields[3], languages=(fields[1], *others)))
        return found

    def synthesize(self, text: str, wav: Path, voice: str, rate: int, volume: float) -> None:
        command = [self.program, "-w", str(wav), "-a", str(int(max(0.0, min(1.0, volume)) * 100))]
        if rate:
            command += ["-s", str(int(rate))]
        if voice:
            command += ["-v", voice]
        result = subprocess.run([*command, "--", text], capture_output=True, text=True, timeout=SYNTHESIS_TIMEOUT)
        if result.returncode != 0:
            raise SynthesisError(result.stderr.strip()[:200] or f"exit code {result.returncode}")


class Pyttsx3Synthesizer:
    """Must be created and used on one thread (the speech thread)."""

    name = "pyttsx3"

    def __init__(self) -> None:
        import pyttsx3

        try:
            self._engine = pyttsx3.init()
        except Exception as error:
            raise SynthesisError(f"{type(error).__name__}: {error}") from None
        self._done = threading.Event()
        self._engine.connect("finished-utterance", lambda name, completed: self._done.set())

    def voices(self) -> list[Voice]:
        return [Voice(id=str(v.id), name=str(v.name), languages=tuple(str(language) for language in v.languages or ()))
                for v in self._engine.getProperty("voices") or []]

    def synthesize(self, text: str, wav: Path, voice: str, rate: int, volume: float) -> None:
        engine = self._engine
        if voice:
            engine.setProperty("voice", voice)
        if rate:
            engine.setProperty("rate", int(rate))
        engine.setProperty("volume", max(0.0, min(1.0, float(volume))))
        self._done.clear()
        with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
            engine.save_to_file(text, str(wav))
            engine.runAndWait()
        self._done.wait(SYNTHESIS_TIMEOUT)


def create_synthesizer() -> Synthesizer:
    """Raises ``SynthesisError`` with a reason when no speech engine works here."""
    if sys.platform.startswith("linux"):
        return EspeakSynthesizer()
    return Pyttsx3Synthesizer()
