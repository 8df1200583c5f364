"""Wiring, in one place: window, worker thread, voice, feedback and settings.

Data flows one way: a request from the window goes to the worker; what the worker reports
comes back as signals and is shown and spoken; every problem goes through ``Feedback``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from seesay.app.capture_controller import CaptureController
from seesay.app.feedback import Feedback
from seesay.app.global_keys import GlobalKeys
from seesay.app.index_search import IndexSearch
from seesay.app.main_window import MainWindow
from seesay.app.offer_bar import TranslationOffer
from seesay.app.tray import Tray
from seesay.app.themes import apply_theme
from seesay.app.voice import Voice
from seesay.app.worker import DescribeWorker
from seesay.core import config, settings
from seesay.core.errors import ModelNotAvailableError, SeesayError
from seesay.core.i18n import _, ngettext
from seesay.core.requests import DescribeRequest, Description, DescriptionPart, Failure

log = logging.getLogger("seesay.app")
#: A describe command repeated within this time describes the capture in detail (screen-reader habit).
PRESS_TWICE_SECONDS = 0.6


class SeesayApp(QObject):
    def __init__(self, values: Mapping[str, Any], load=None, *, save_settings: bool = True,
                 load_answerer=None) -> None:
        super().__init__()
        from seesay.vision.engine import load_answerer as load_vqa
        from seesay.vision.engine import load_captioner

        self.values = dict(values)
        self._save_settings = save_settings
        self.qapp = QApplication.instance()
        apply_theme(self.qapp, self.values["theme"])
        self.window = MainWindow(self.values["font_size"])
        self.voice = Voice(self)
        self.feedback = Feedback(self.window, self.voice.speak, self,
                                 speaks_through_screen_reader=self.voice.speaks_through_screen_reader)
        self.voice.problem.connect(lambda text: self.feedback.problem(text, speak=False))
        self.voice.start(self.values)

        self.worker = DescribeWorker(load or load_captioner, self.worker_values(), self,
                                     load_answerer=load_answerer or load_vqa)
        signals = self.worker.signals
        signals.loading.connect(lambda text: self.feedback.status(text))
        signals.ready.connect(self._model_ready)
        signals.started.connect(self._started)
        signals.part.connect(self._part_known)
        signals.described.connect(self._described)
        signals.failed.connect(self._failed)

        window = self.window
        window.describe_requested.connect(self.describe)
        window.refused.connect(lambda reasons: self.feedback.problem(  # a file's name may say what is in it
            " ".join(reasons), record=f"refused {len(reasons)} dropped or pasted item(s)"))
        window.speak_requested.connect(self.speak)
        window.stop_requested.connect(self.stop_speaking)
        window.cancel_requested.connect(self.cancel)
        window.settings_requested.connect(self.open_settings)
        window.font_size_changed.connect(lambda size: self.apply_settings({**self.values, "font_size": size}))
        window.quit_requested.connect(self.quit)
        window.question_asked.connect(self.ask)
        self.translation_offer = TranslationOffer(self)
        #: The search field's: the picture index in seesay's data folder, as ``seesay search`` uses.
        self.index_search = IndexSearch(None, self)
        window.search_requested.connect(self.index_search.search)
        self.index_search.found.connect(self._found)
        self.index_search.failed.connect(self._search_failed)
        self._quitting = False
        self.capture = CaptureController(self.window, self.worker.submit, self._capture_failed, lambda: self.values,
                                         explain=lambda text: self.feedback.status(text))
        self.last_text = ""
        #: The last picture described: what questions are about.
        self.last_picture: DescribeRequest | None = None
        self._last_command: tuple[str, float] = ("", 0.0)
        self.model_dialog = None
        self.tray: Tray | None = None
        self.keys = GlobalKeys(self)
        self.keys.pressed.connect(self.handle_command)
        self.keys.problem.connect(lambda text: self.feedback.problem(text))
        #: The model hub to download from (None: huggingface_hub's own, or HF_ENDPOINT).
        self.download_endpoint: str | None = None
        #: A question asked while its model was missing: asked again once a model is chosen.
        self._waiting_question: DescribeRequest | None = None
        #: A problem from loading (text reading unavailable) that is still true when the model is ready.
        self._standing_problem: str | None = None
        #: The request whose description is being said part by part, as its parts are known, and
        #: one whose later parts are not said (the person stopped or cancelled it).
        self._saying: int | None = None
        self._hushed: int | None = None

    # ---- life cycle -----------------------------------------------------------------------------
    def start(self, first_message: dict | None = None) -> None:
        if first_message and first_message.get("command") == "describe":
            self.handle_message(first_message)  # capture before seesay's own window is on the screen
        if QApplication.platformName() != "offscreen":  # no desktop to put a tray icon or hotkeys on
            self._start_tray()
            self._start_hotkeys()
        self.window.show()
        self.worker.start()  # the model loads in the background; the window is already usable
        if first_message and first_message.get("command") != "describe":
            self.handle_message(first_message)

    def _start_tray(self) -> None:
        self.tray = Tray(self.values, self)
        self.tray.command.connect(self._tray_command)
        self.window.keep_running_when_closed = self.tray.available
        if not self.tray.available:
            log.info("no system tray")
            self.window.set_tray_note(_("There is no system tray on this desktop, so this window is seesay's "
                                        "home: closing it quits seesay."))

    def _tray_command(self, command: str) -> None:
        if command == "settings":
            self.show_window()
            self.open_settings()
        elif command == "quit":
            self.quit()
        elif command.startswith("describe_"):
            self.describe_capture(command.removeprefix("describe_"))  # a menu click is never a double press
        else:
            self.handle_command(command)

    def _start_hotkeys(self) -> None:
        problems = self.keys.start(self.values)
        if problems:  # said as one message: each would cut the one before it short
            self.feedback.problem(" ".join(problems))
        self.window.set_shortcuts(self.keys.bindings)

    def quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        self.keys.stop()
        if self.tray is not None:
            self.tray.hide()
        self.end_background_work()
        if QApplication.platformName() == "wayland":
            # the loop ends with the window still there: closing it first destroys its Wayland surface while
            # a configure from the compositor may be queued for it, and applying that hung Qt 6.11 (about one
            # quit in three when a window above seesay had just closed; docs/wayland.md). exit(), unlike
            # quit(), closes no window; the process's end takes it away.
            self.qapp.exit(0)
            return
        self.window.close()
        self.qapp.quit()

    def end_background_work(self) -> None:
        """The part of quitting that needs no display (also run when the display has gone): the
        worker thread ends, speech stops and its temporary folder is removed."""
        self._quitting = True
        self.worker.shutdown()
        self.voice.close()

    # ---- requests -------------------------------------------------------------------------------
    def describe(self, requests: list[DescribeRequest]) -> None:
        for request in requests:
            self.worker.submit(request)
        if len(requests) > 1:
            self.feedback.status(_("Describing {count} pictures, in order.").format(count=len(requests)), speak=False)

    def cancel(self) -> None:
        self._hushed = self._saying
        dropped = self.worker.cancel()
        self.feedback.status(_("Cancelled.") if not dropped else
                             _("Cancelled; {count} waiting pictures dropped.").format(count=len(dropped)))

    def ask(self, question: str) -> None:
        """Ask about the last picture described; follow-up questions stay on that picture."""
        picture = self.last_picture
        if picture is None:
            self.feedback.problem(_("There is no picture to ask about yet: describe the screen or a picture first."))
            return
        self.worker.submit(DescribeRequest(picture.source, question, "question", question=question,
                                           about=picture.id))

    # ---- searching the picture index ------------------------------------------------------------
    #: How many of the pictures found are named aloud (all are listed).
    NAMED_ALOUD = 3

    def _found(self, words: str, found: list) -> None:
        self.window.show_found(found)
        if not found:
            self.feedback.status(_("No picture in the index matches {words}.").format(words=words))
            return
        names = ", ".join(os.path.basename(picture.path) for picture in found[:self.NAMED_ALOUD])
        if len(found) > self.NAMED_ALOUD:
            names += ", …"
        self.feedback.status(ngettext("{count} picture found: {names}.", "{count} pictures found: {names}.",
                                      len(found)).format(count=len(found), names=names))

    def _search_failed(self, message: str) -> None:
        self.window.show_found([])
        self.feedback.problem(message, record="the picture index could not be searched")

    def _started(self, request: DescribeRequest) -> None:
        if request.question is not None:
            self.window.show_status(_("Answering: {question}").format(question=request.question))
        else:
            self.window.show_status(_("Describing {label}…").format(label=request.label))

    def _described(self, description: Description) -> None:
        request = description.request
        log.info("described %s (request %d) in %.3f s", request.origin, request.id, description.seconds)
        self.window.show_description(description)
        self.translation_offer.take(description.offer_download)
        if request.question is None:
            self.last_picture = request
            status = _("Described {label} in {seconds:.2f} s.").format(label=request.label, seconds=description.seconds)
        else:
            status = _("Answered in {seconds:.2f} s. Ask another question, or describe something new.").format(
                seconds=description.seconds)
        if self.voice.trouble:  # never a plain success over a failure
            status += " " + _("Speech is off, so read it here.")
        self.window.show_status(status)
        self.last_text = f"{request.note} {description.text}" if request.note else description.text
        if description.unsaid is not None and self._saying == request.id:  # its first parts were said
            if self._hushed != request.id:
                self.voice.speak(description.unsaid, interrupt=False)
        else:
            self.speak(self.last_text)
        self._saying = None

    def _part_known(self, part: DescriptionPart) -> None:
        """The first part of a description (the window's name, a text screen's text): said at once,
        the next part after it; the rest of the description follows when it is ready."""
        request = part.request
        first, self._saying = request.id != self._saying, request.id
        if request.id != self._hushed:
            self.voice.speak(part.text, interrupt=first)

    # ---- commands (keys, tray, other processes) ---------------------------------------------------
    def handle_message(self, message: dict) -> None:
        """A command from another process: {"command": "describe", "kind": "screen"}, "stop", "repeat", "copy",
        "show", or {"command": "describe", "kind": "rect", "rect": "X,Y,W,H", "label": "graphic, team photo"}."""
        command = str(message.get("command", ""))
        if command == "ping":  # answered by the server already: proves the GUI thread is turning
            return
        if command == "describe" and message.get("kind") == "rect":  # what a screen reader is on
            self.capture.schedule_area(str(message.get("rect") or ""), message.get("label") or None)
            return
        if command == "describe":
            command = f"describe_{message.get('kind', '')}"
        if command == "ask" and str(message.get("question") or "").strip():
            self.ask(str(message["question"]).strip())
            return
        self.handle_command(command)

    def handle_command(self, command: str, pressed_at: float | None = None) -> None:
        """``pressed_at``: when the key was pressed (``time.monotonic``), if not just now."""
        now = pressed_at if pressed_at is not None else time.monotonic()
        previous, previous_at = self._last_command
        self._last_command = (command, now)
        if command.startswith("describe_"):
            twice = command == previous and now - previous_at < PRESS_TWICE_SECONDS
            log.info("%s%s", command, " (pressed twice: in detail)" if twice else "")
            self.capture.schedule(command.removeprefix("describe_"), detail=twice)
        elif command == "ask":
            self.show_window()
            self.window.ask()
        elif command == "stop":
            self.stop_speaking()
        elif command == "repeat":
            self.speak(self.last_text or _("Nothing has been described yet."))
        elif command == "copy":
            self.copy_last_description()
        elif command == "show":
            self.show_window()
        else:
            log.warning("refused a command it does not know")  # its text may come from any program
            self.feedback.problem(_("seesay does not know that command."))

    def copy_last_description(self) -> None:
        """What was said last, as text on the clipboard, to read at one's own pace or paste elsewhere."""
        if not self.last_text:
            self.feedback.status(_("Nothing has been described yet, so there is nothing to copy."))
            return
        QApplication.clipboard().setText(self.last_text)
        self.feedback.status(_("Copied."))

    def describe_capture(self, kind: str) -> None:
        self.capture.schedule(kind)

    def _capture_failed(self, error: Exception) -> None:
        if isinstance(error, SeesayError):
            self.feedback.error(error)
        else:
            log.exception("capture failed", exc_info=error)
            self.feedback.problem(_("The screen could not be captured ({detail}).").format(detail=error))

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _failed(self, failure: Failure) -> None:
        error = failure.error
        request = failure.request
        message = error.message
        spoken = error.spoken  # what to do, in words: command lines and paths are only shown
        if isinstance(error, ModelNotAvailableError) and request is not None and request.question is not None:
            self._waiting_question = request  # answered once the question model is there
            kept = _("Your question is kept, and answered once the question model is there.")
            message += " " + kept
            spoken = f"{spoken} {kept}" if spoken else None
        if request is not None:  # its label may be a window's title or a question: not for the log
            self.feedback.problem(_("{label}: {message}").format(label=request.label, message=message),
                                  error.hint, record=f"{request.origin} (request {request.id}) failed: "
                                                     f"{type(error).__name__}",
                                  spoken=_("{label}: {message}").format(label=request.label, message=spoken)
                                  if spoken else None)
        else:
            if not isinstance(error, ModelNotAvailableError):  # e.g. text reading: still true once ready
                self._standing_problem = error.message
            self.feedback.error(error)
        if isinstance(error, ModelNotAvailableError) and failure.request is None:
            self.offer_model(error)
        elif isinstance(error, ModelNotAvailableError) and failure.request.question is not None:
            self.offer_model(error, "vqa_model")

    def offer_model(self, error: ModelNotAvailableError, setting: str = "model") -> None:
        """The first-use dialog: download the model (``setting``'s) or choose a folder (non-blocking)."""
        from seesay.app.model_dialog import ModelDialog
        from seesay.vision.engine import model_store

        if self.model_dialog is not None and self.model_dialog.isVisible():
            return
        self.model_dialog = ModelDialog(model_store(self.values), self.values[setting], error.message,
                                        parent=self.window, endpoint=self.download_endpoint,
                                        answers_questions=setting == "vqa_model", feedback=self.feedback)
        self.model_dialog.accepted.connect(lambda: self._model_chosen(setting))
        self.model_dialog.open()

    def _model_chosen(self, setting: str) -> None:
        chosen = self.model_dialog.chosen_model if self.model_dialog else None
        if chosen:
            self.apply_settings({**self.values, setting: chosen}, force_reload=True)

    def _model_ready(self, name: str) -> None:
        problems = " ".join(problem for problem in (self.voice.trouble, self._standing_problem) if problem)
        notice = self.voice.take_notice()  # the own voice has no voice for the person's language: said once
        if problems:  # never "Ready" over a failure, shown whole; the worker's was said when it came, not again
            still = _("Descriptions are still shown here. Drop, paste or open a picture.")
            self.feedback.status(" ".join(part for part in (notice, problems, still) if part), speak=False)
            self.speak(" ".join(part for part in (notice, self.voice.trouble, still) if part))
        else:
            ready = _("Ready. Drop, paste or open a picture.")
            self.feedback.status(f"{notice} {ready}" if notice else ready)

    # ---- speech ---------------------------------------------------------------------------------
    @property
    def speaker(self):
        return self.voice.speaker

    def speak(self, text: str) -> None:
        self.voice.speak(text)

    def stop_speaking(self) -> None:
        self._hushed = self._saying
        self.voice.stop()

    # ---- settings -------------------------------------------------------------------------------
    def worker_values(self) -> dict[str, Any]:
        """What the worker needs, and the language: which of Tesseract's language data reads text (from the
        next start, like the window's language: a change is no reason to load the model again)."""
        return {key: self.values[key] for key in (*settings.WORKER_KEYS, "language")}

    def _apply_autostart(self) -> None:
        from seesay.desktop_integration import set_autostart

        try:
            set_autostart(self.values["autostart"] == "on")
        except OSError as error:
            self.feedback.problem(_("Starting at login could not be changed ({detail}).").format(detail=error))

    def open_settings(self) -> None:
        from seesay.app.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.values, voices=self.voice.voices(), parent=self.window)
        if dialog.exec():
            self.apply_settings(dialog.values())

    def apply_settings(self, new_values: Mapping[str, Any], force_reload: bool = False) -> None:
        """Take new settings into use now, without a restart, and save them."""
        old, self.values = self.values, dict(new_values)
        if self._save_settings:  # only what changed: never this run's flags, never another seesay's changes
            try:
                for notice in config.save_changes(old, self.values):
                    self.feedback.problem(notice)
            except OSError as error:
                self.feedback.problem(_("The settings could not be saved ({detail}).").format(detail=error))
        if old["autostart"] != self.values["autostart"]:
            self._apply_autostart()
        if old["theme"] != self.values["theme"]:
            apply_theme(self.qapp, self.values["theme"])
        if old["tray_icon"] != self.values["tray_icon"] and self.tray is not None:
            self.tray.set_icon(self.values["tray_icon"])
        if old["font_size"] != self.values["font_size"]:
            self.window.set_font_size(self.values["font_size"])
        self.voice.apply(old, self.values)
        if any(old[key] != self.values[key] for key in settings.HOTKEY_KEYS) and self.keys.backend is not None:
            self._start_hotkeys()
            if self.tray is not None:
                self.tray.update_keys(self.values)
        if force_reload or any(old[key] != self.values[key] for key in settings.WORKER_KEYS):
            self.worker.reload(self.worker_values())
            self._ask_waiting_question()

    def _ask_waiting_question(self) -> None:
        """The question that waited for its model, asked again now that another model is set."""
        waiting, self._waiting_question = self._waiting_question, None
        if waiting is not None:
            self.worker.submit(DescribeRequest(waiting.source, waiting.label, "question", question=waiting.question,
                                               about=waiting.about))
