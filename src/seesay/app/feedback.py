"""The one place where something the user must know becomes speech, a visible message and a log line."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from seesay.core.errors import SeesayError

log = logging.getLogger("seesay.feedback")


class Feedback(QObject):
    """Call from the GUI thread, or emit ``problem_from_thread`` from any other thread."""

    problem_from_thread = Signal(str)

    def __init__(self, window, speak, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._speak = speak  # callable(text) that returns at once
        self.problem_from_thread.connect(lambda text: self.problem(text))

    def problem(self, message: str, hint: str | None = None, *, speak: bool = True) -> None:
        text = f"{message}\n{hint}" if hint else message
        log.warning("%s", text.replace("\n", " | "))
        self._window.show_problem(text)
        if speak:
            self._speak(text)

    def error(self, error: SeesayError) -> None:
        self.problem(error.message, error.hint)

    def status(self, message: str, *, speak: bool = True) -> None:
        log.info("%s", message)
        self._window.show_status(message)
        if speak:
            self._speak(message)
