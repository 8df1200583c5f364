"""``seesay doctor``: what this computer offers seesay and what it lacks, each with the fix.

Every check is the same code the app uses to pick its backends, so what doctor says is what
the app will do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from seesay.core.i18n import _


@dataclass(frozen=True)
class Finding:
    topic: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(values: Mapping[str, Any]) -> list[Finding]:
    return [_language(values), *_translation(values), _display(), _tray(), _hotkeys(), _capture(),
            _speech_output(values), _speech(values), _text_reading(values), _model(values), _model(values, "vqa_model"),
            _matcher(values), _memory(values), _device(values)]


def print_report(findings: list[Finding], out: TextIO) -> None:
    for finding in findings:
        mark = "ok " if finding.ok else "NO "
        print(f"[{mark}] {finding.topic}: {finding.detail}", file=out)
        if finding.fix:
            print(f"       {_('fix')}: {finding.fix}", file=out)


def doctor(values: Mapping[str, Any], out: TextIO | None = None) -> int:
    findings = run_checks(values)
    print_report(findings, out or sys.stdout)
    return 0


def _language(values: Mapping[str, Any]) -> Finding:
    """The language of this report and of everything seesay says, and why it is that one."""
    from seesay.core.i18n import LANGUAGE_NAMES, pick_language

    setting = values.get("language", "auto")
    choice = pick_language(setting)
    if choice.language == "en" and choice.unavailable:
        return Finding(_("Language"), False, _("English: seesay is not translated into {language} yet").format(
            language=choice.unavailable), _("choose one with --language de, es, fr or pt_BR, or in Settings, Language"))
    name = LANGUAGE_NAMES[choice.language]
    return Finding(_("Language"), True, name if setting not in ("", "auto") else
                   _("{language}, the system's language").format(language=name))


def _translation(values: Mapping[str, Any]) -> list[Finding]:
    """The language descriptions and answers are said in, and each translation model it needs, found
    or missing with its download line (``translation.status``: it only looks)."""
    from seesay.translation.status import translation_status

    return [Finding(_("Translation"), fine, line) for fine, line in translation_status(values)]


def _display() -> Finding:
    if sys.platform.startswith("linux"):
        x11, wayland = os.environ.get("DISPLAY"), os.environ.get("WAYLAND_DISPLAY")
        if wayland and not x11:
            return Finding(_("Display"), True, _("Wayland ({name}) without X11").format(name=wayland))
        if not x11 and not wayland:
            return Finding(_("Display"), False, _("none: the window cannot be shown"),
                           _("run seesay in a desktop session; seesay describe FILE works without one"))
        return Finding(_("Display"), True, _("X11 ({name})").format(name=x11) + (
            _(", with Wayland ({name})").format(name=wayland) if wayland else ""))
    return Finding(_("Display"), True, sys.platform)


def _tray() -> Finding:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Finding(_("System tray"), False, _("no display"), "")
    try:
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon

        _app = QApplication.instance() or QApplication(sys.argv[:1])
        available = QSystemTrayIcon.isSystemTrayAvailable()
    except Exception as error:  # Qt's libraries missing
        return Finding(_("System tray"), False, str(error), _("install the Qt libraries listed in the README"))
    if available:
        return Finding(_("System tray"), True, _("available"))
    return Finding(_("System tray"), False, _("not available: the window is seesay's home"),
                   _("GNOME needs the AppIndicator extension for tray icons"))


def _hotkeys() -> Finding:
    from seesay.capture.select import is_wayland_session
    from seesay.hotkeys.select import create_hotkeys

    backend = create_hotkeys()
    if backend.name == "none" and is_wayland_session():
        return Finding(_("Global keys"), False, _("Wayland: this desktop offers no GlobalShortcuts portal, so keys "
                                                  "reach seesay only through the desktop's own shortcut settings"),
                       _("bind keys in your desktop's keyboard settings to seesay --describe screen (and window, "
                         "mouse, focus, clipboard): see the README"))
    if backend.name == "GlobalShortcuts portal":
        return Finding(_("Global keys"), True, _("Wayland: the desktop's GlobalShortcuts portal (the desktop may ask "
                                                 "you once to confirm or change the keys)"))
    if backend.name == "none":
        return Finding(_("Global keys"), False, backend.reason.split(". ")[0], _("bind OS shortcuts to seesay --describe"))
    return Finding(_("Global keys"), True, backend.name)


def _capture() -> Finding:
    from seesay.capture.select import describe_capture_route

    name, reason = describe_capture_route()
    if reason and name == "portal":
        return Finding(_("Screen capture"), False, reason.splitlines()[0],
                       _("install xdg-desktop-portal with your desktop's implementation (GNOME: "
                         "xdg-desktop-portal-gnome; KDE: xdg-desktop-portal-kde; sway and other wlroots desktops: "
                         "xdg-desktop-portal-wlr, grim and xdg-desktop-portal-gtk); until then paste screenshots, or "
                         "use seesay --describe clipboard"))
    if reason:
        return Finding(_("Screen capture"), False, reason.split(". ")[0],
                       _("paste screenshots, or use seesay --describe clipboard"))
    if name == "portal":
        return Finding(_("Screen capture"), True, _("the desktop's screenshot portal (Wayland)"))
    return Finding(_("Screen capture"), True, "mss")


def _speech_output(values: Mapping[str, Any]) -> Finding:
    """Where speech will go with the ``speech_output`` setting, why, and the channels passed over."""
    from seesay.speech.select import choose_speaker

    preference = values.get("speech_output", "auto")
    choice = choose_speaker(preference)
    choice.speaker.close()
    chosen = next(report for report in choice.reports if report.chosen)
    passed_over = "; ".join(f"{report.name}: {report.reason}" for report in choice.reports if not report.chosen)
    if chosen.channel == "screen-reader":
        detail = _("{name}: {reason}").format(name=chosen.name, reason=chosen.reason)
    elif chosen.channel == "own-voice":
        detail = _("seesay's own voice ({engine})").format(engine=chosen.name)
    else:
        detail = _("silent")
    if passed_over:
        detail += _("; passed over: {reports}").format(reports=passed_over)
    detail += _(" (setting: {preference})").format(preference=preference)
    fix = choice.problem or _("to change it: seesay --speech-output auto|screen-reader|own-voice|silent, or "
                              "Settings, Speech output")
    return Finding(_("Speech output"), chosen.channel != "silent" or preference == "silent", detail, fix)


def _speech(values: Mapping[str, Any]) -> Finding:
    """seesay's own voice: what speaks when no screen reader or speech service is there, or when asked,
    and the voice it speaks seesay's language with. Its player really plays a moment of silence, so a
    sound device that does not work is found here."""
    from seesay.core.i18n import name_of_language, pick_language
    from seesay.speech.select import open_own_voice

    language = pick_language(values.get("language", "auto")).language
    speaker, reports = open_own_voice(None, language=language)
    if speaker is None:
        return Finding(_("Speech"), False, reports[0].reason,
                       reports[0].fix or _("install espeak-ng (Linux); Windows and macOS have voices built in"))
    try:
        player = getattr(getattr(speaker, "_player", None), "name", "?")
        detail = _("{engine}, {count} voices, played with {player}").format(
            engine=speaker.name, count=len(speaker.voices()), player=player)
        if speaker.language_voice:
            detail += _("; {language} with the voice {voice}").format(language=name_of_language(language),
                                                                     voice=speaker.language_voice)
        return Finding(_("Speech"), not speaker.notice, detail, speaker.notice or "")
    finally:
        speaker.close()


def _text_reading(values: Mapping[str, Any]) -> Finding:
    """Whether text can be read, in which languages (the ``language`` setting's and English) and
    from which folder; language data that is missing, with the package that adds it."""
    from seesay.vision.ocr import NoTextReader, create_text_reader, find_tessdata
    from seesay.vision.ocr_languages import text_languages, wanted_data

    setting = values.get("language", "auto")
    reader, problem = create_text_reader(setting)
    if isinstance(reader, NoTextReader):
        return Finding(_("Text on screen"), False, problem.split(": ")[0], problem)
    languages = text_languages(setting, find_tessdata(wanted_data(setting)))
    detail = _("tesseract, languages {languages}, language data in {path}").format(
        languages=languages.used, path=languages.tessdata)
    if not languages.missing:
        return Finding(_("Text on screen"), True, detail)
    files = ", ".join(f"{data}.traineddata" for data in languages.missing)
    missing = _("{language} text is read as English: {files} is missing").format(language=languages.name, files=files)
    return Finding(_("Text on screen"), False, f"{detail}; {missing}", languages.install_hint())


def _memory(values: Mapping[str, Any]) -> Finding:
    from seesay.core.memory import DESCRIPTION_MODEL_MIB, QUESTION_MODEL_MIB, resident_mib

    budget = int(values.get("memory_budget", 1200))
    both = DESCRIPTION_MODEL_MIB + QUESTION_MODEL_MIB
    if resident_mib() is None:
        return Finding(_("Memory"), True, _("budget {budget} MiB, not enforced here: this system does not say how "
                                             "much memory seesay holds").format(budget=budget))
    if budget < both:
        detail = _("budget {budget} MiB: the description model (about {description} MiB) is kept; the question model "
                   "(about {question} MiB more) is let go after each question").format(
            budget=budget, description=DESCRIPTION_MODEL_MIB, question=QUESTION_MODEL_MIB)
    else:
        detail = _("budget {budget} MiB: both models (about {both} MiB) may be kept; the question model is let go "
                   "after ten minutes without a question").format(budget=budget, both=both)
    return Finding(_("Memory"), True, detail, _("change it with --memory-budget MIB or in Settings"))


def _model(values: Mapping[str, Any], setting: str = "model") -> Finding:
    """The description model (with every downloaded model and its size), or the question model."""
    from seesay.core.errors import ModelNotAvailableError
    from seesay.core.settings import BY_KEY
    from seesay.vision.engine import model_store

    store = model_store(values)
    topic = _("Description model") if setting == "model" else _("Question model")
    try:
        folder = store.locate(values.get(setting) or BY_KEY[setting].default, setting=setting)
    except ModelNotAvailableError as error:
        if setting != "model":  # optional: loaded on the first question, offered for download then
            return Finding(topic, False, error.message + " " + _("Questions about pictures need it."),
                           (error.hint or "").splitlines()[0])
        return Finding(topic, False, error.message, (error.hint or "").replace("\n", "; "))
    downloaded = ", ".join(f"{name} ({size / 1e6:.0f} MB)" for name, _folder, size in store.downloaded_models())
    extra = _("; downloaded: {models}").format(models=downloaded) if downloaded and setting == "model" else ""
    return Finding(topic, True, str(folder) + extra)


def _matcher(values: Mapping[str, Any]) -> Finding:
    """The image-text matching model that checks captions: optional, so a missing one is one line
    that says what seesay does without it and how to add it."""
    from seesay.core.errors import ModelNotAvailableError
    from seesay.core.settings import BY_KEY
    from seesay.vision.engine import model_store

    topic = _("Caption check")
    name = values.get("itm_model") or BY_KEY["itm_model"].default
    try:
        folder = model_store(values).locate(name, setting="itm_model")
    except ModelNotAvailableError:
        return Finding(topic, False, _("no image-text matching model ({name}): captions are said as sure as the "
                                       "description model is, unchecked; add it with: seesay download {name}")
                       .format(name=name))
    from seesay.core.memory import DESCRIPTION_MODEL_MIB, MATCHER_MIB

    budget = int(values.get("memory_budget", 1200))
    if budget < DESCRIPTION_MODEL_MIB + MATCHER_MIB:
        return Finding(topic, False, _("image-text matching, {folder}: not loaded, as it would take seesay over its "
                                       "memory budget ({budget} MiB; it needs about {need} MiB with the description "
                                       "model)").format(folder=folder, budget=budget,
                                                        need=DESCRIPTION_MODEL_MIB + MATCHER_MIB),
                       _("raise it with --memory-budget MIB or in Settings"))
    return Finding(topic, True, _("image-text matching, {folder}").format(folder=folder))


def _device(values: Mapping[str, Any]) -> Finding:
    try:
        import torch

        from seesay.app.priority import describe_worker_priority
        from seesay.vision.device import available_cores, choose_device, choose_precision, model_threads

        device = choose_device(values.get("device", "auto"))
        precision = choose_precision(device, values.get("precision", "auto"))
    except Exception as error:  # DeviceError, or torch missing
        return Finding(_("Compute device"), False, str(error), _("use --device cpu"))
    gpu = _(", CUDA GPU: {name}").format(name=torch.cuda.get_device_name(0)) if torch.cuda.is_available() else ""
    return Finding(_("Compute device"), True, _("{device} in {precision} (torch {version}, {threads} of {cores} "
                                                "cores, priority {priority}{gpu})")
                   .format(device=device, precision=precision, version=torch.__version__, threads=model_threads(),
                           cores=available_cores(), priority=describe_worker_priority(), gpu=gpu))
