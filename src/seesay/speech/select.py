"""Pick the speech backend: the preferred one if it starts, else the next, ending in silence."""

from __future__ import annotations

import logging
from pathlib import Path

from seesay.core.i18n import _
from seesay.speech.base import Speaker
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.silent import SilentSpeaker

log = logging.getLogger("seesay.speech")
BACKENDS = ("system", "silent")


def create_speaker(preference: str = "auto", speech_dir: str = "") -> tuple[Speaker, str | None]:
    """A working speaker, and a message for the user when the preferred one could not start."""
    recorder = SpeechRecorder(Path(speech_dir).expanduser()) if speech_dir else None
    order = list(BACKENDS) if preference in ("", "auto") else [preference, *[b for b in BACKENDS if b != preference]]
    problem = None
    for name in order:
        if name == "silent":
            return SilentSpeaker(recorder), problem
        try:
            from seesay.speech.tts_speaker import TtsSpeaker

            speaker = TtsSpeaker(recorder)
            return speaker, problem or speaker.player_problem
        except Exception as error:  # SpeechEngineUnavailable: no synthesiser works here
            log.warning("speech backend %s unavailable: %s", name, error)
            problem = _("Speech is off: {reason} On Linux install espeak-ng; on Windows and macOS the "
                        "system voices are used.").format(reason=str(error))
    return SilentSpeaker(recorder), problem
