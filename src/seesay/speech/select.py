"""Pick where speech goes: the screen reader or speech service, seesay's own voice, or silence.

``auto`` tries them in that order; a named preference is tried first and the others follow,
so something always speaks (or at least writes transcripts). Each channel that was tried
comes back with the reason it was or was not chosen: logged here, printed by ``seesay doctor``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from seesay.core.i18n import _
from seesay.speech.base import Speaker
from seesay.speech.players import sound_fix
from seesay.speech.recorder import SpeechRecorder
from seesay.speech.screen_reader import ChannelReport, ScreenReaderSpeaker, ScreenReaderUnavailable
from seesay.speech.silent import SilentSpeaker

log = logging.getLogger("seesay.speech")
#: In the order ``auto`` tries them.
CHANNELS = ("screen-reader", "own-voice", "silent")


@dataclass
class SpeechChoice:
    speaker: Speaker
    #: What the user must be told (the preferred channel could not be used, or speech is off).
    problem: str | None = None
    reports: list[ChannelReport] = field(default_factory=list)
    #: What to tell the person once, though speech works: the own voice has no voice for their language.
    notice: str | None = None


def channel_order(preference: str) -> list[str]:
    if preference in ("", "auto"):
        return list(CHANNELS)
    if preference == "silent":
        return ["silent"]
    return [preference, *[channel for channel in CHANNELS if channel != preference]]


def choose_speaker(preference: str = "auto", speech_dir: str = "", language: str = "en") -> SpeechChoice:
    """``language``: seesay's ("de"), which its own voice speaks; a screen reader's voice is its own."""
    recorder = SpeechRecorder(Path(speech_dir).expanduser()) if speech_dir else None
    speaker, channel, reports = _first_that_opens(channel_order(preference), recorder, language)
    for report in reports:
        log.info("speech channel %s (%s): %s, %s", report.channel, report.name,
                 "chosen" if report.chosen else "not chosen", report.reason)
    return SpeechChoice(speaker, _problem(preference, channel, reports, speaker), reports,
                        notice=getattr(speaker, "notice", None))


def _first_that_opens(order: list[str], recorder: SpeechRecorder | None,
                      language: str = "en") -> tuple[Speaker, str, list[ChannelReport]]:
    """The first channel of ``order`` that opens (silence always does), its name and every report."""
    reports: list[ChannelReport] = []
    for index, channel in enumerate([*order, "silent"]):
        later = tuple(order[index + 1:])
        speaker, found = (open_own_voice(recorder, then=later, language=language) if channel == "own-voice"
                          else _OPENERS[channel](recorder, language))
        reports += found
        if speaker is not None:
            return speaker, channel, reports
    raise AssertionError("the silent channel always opens")


def create_speaker(preference: str = "auto", speech_dir: str = "") -> tuple[Speaker, str | None]:
    """A working speaker, and a message for the user when the preferred one could not start."""
    choice = choose_speaker(preference, speech_dir)
    return choice.speaker, choice.problem


def _open_screen_reader(recorder: SpeechRecorder | None, language: str) -> tuple[Speaker | None, list[ChannelReport]]:
    try:
        speaker = ScreenReaderSpeaker(recorder, language=language)
    except ScreenReaderUnavailable as error:
        return None, error.reports or [ChannelReport("screen-reader", _("screen reader"), False, str(error))]
    return speaker, speaker.reports


def open_own_voice(recorder: SpeechRecorder | None, then: tuple[str, ...] = ("screen-reader", "silent"),
                   language: str = "en") -> tuple[Speaker | None, list[ChannelReport]]:
    """seesay's own voice, once a moment of silence was played through its player (the audio check at
    start); ``then``: the channels that take over, in order, if playback fails later; ``language``:
    seesay's, which it speaks with a voice for it."""
    try:
        from seesay.speech.tts_speaker import TtsSpeaker

        speaker = TtsSpeaker(recorder, fallback=lambda: _first_that_opens(list(then), recorder, language)[0],
                             language=language)
    except Exception as error:  # SpeechEngineUnavailable: no synthesiser works here
        return None, [ChannelReport("own-voice", _("own voice"), False, str(error))]
    unheard = speaker.check_audio()
    if unheard:
        speaker.close()
        return None, [ChannelReport("own-voice", speaker.name, False, unheard, fix=sound_fix())]
    return speaker, [ChannelReport("own-voice", speaker.name, True, _("speaks with {engine}").format(
        engine=speaker.name))]


def _open_silent(recorder: SpeechRecorder | None, language: str) -> tuple[Speaker | None, list[ChannelReport]]:
    return SilentSpeaker(recorder), [ChannelReport("silent", "silent", True, _("nothing else could speak"))]


#: Each channel's opener but the own voice's (which is told the channels after it): (recorder, language).
_OPENERS: dict[str, Callable[[SpeechRecorder | None, str], tuple[Speaker | None, list[ChannelReport]]]] = {
    "screen-reader": _open_screen_reader, "silent": _open_silent}


def _problem(preference: str, channel: str, reports: list[ChannelReport], speaker: Speaker) -> str | None:
    refused = "; ".join(f"{report.name}: {report.reason.rstrip('.')}" for report in reports if not report.chosen)
    fixes = " ".join(dict.fromkeys(report.fix for report in reports if not report.chosen and report.fix))
    if channel == "silent" and preference != "silent":
        return _("Speech is off: {reason}.").format(reason=refused) + " " + (fixes or _(
            "On Linux install espeak-ng; on Windows and macOS the system voices are used."))
    if channel == "own-voice":
        if preference == "screen-reader":
            return _("No screen reader or speech service could be reached ({reason}), so seesay speaks with "
                     "its own voice.").format(reason=refused)
        return None
    if preference not in ("", "auto", channel):
        return _("seesay's own voice could not start ({reason}), so speech goes to {name}.").format(
            reason=refused, name=speaker.name)
    return None
