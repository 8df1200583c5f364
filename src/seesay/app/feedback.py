"""The one place where something the user must know becomes speech, a visible message and a log line.

Inside seesay's own window, status changes and problems are also raised as accessibility
announcements (Qt 6.8+), which a screen reader says (and shows in braille) for the focused
application. When seesay's speech already goes through that screen reader, a spoken status
is not announced as well, so it is not said twice.
"""

from __future__ import annotations

import logging

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible

from seesay.core.errors import SeesayError

log = logging.getLogger("seesay.feedback")

try:  # PySide6 6.8 and later
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # older Qt: the window's status line is still read by screen readers
    QAccessibleAnnouncementEvent = None


class Feedback(QObject):
    """Call from the GUI thread, or emit ``problem_from_thread`` from any other thread."""

    problem_from_thread = Signal(str)

    def __init__(self, window, speak, parent: QObject | None = None,
                 speaks_through_screen_reader: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self._window = window
        self._speak = speak  # callable(text) that returns at once
        self._speaks_through_screen_reader = speaks_through_screen_reader
        self.problem_from_thread.connect(lambda text: self.problem(text))

    def problem(self, message: str, hint: str | None = None, *, speak: bool = True, record: str | None = None,
                spoken: str | None = None) -> None:
        """``record``: what the log says instead of ``message``, when that names what was on the screen or
        asked (a window's title, a question): the kind of request and its number. ``spoken``: what is said
        instead of the shown text (what to do, without the command lines that stay visible)."""
        text = f"{message}\n{hint}" if hint else message
        log.warning("%s", record or text.replace("\n", " | "))
        self._window.show_problem(text)
        self._announce(spoken or text, speak, assertive=True)
        if speak:
            self._speak(spoken or text)

    def error(self, error: SeesayError) -> None:
        self.problem(error.message, error.hint, spoken=error.spoken)

    def status(self, message: str, *, speak: bool = True) -> None:
        log.info("%s", message)
        self._window.show_status(message)
        self._announce(message, speak)
        if speak:
            self._speak(message)

    def _announce(self, text: str, spoken: bool, *, assertive: bool = False) -> None:
        if QAccessibleAnnouncementEvent is None or not QAccessible.isActive():
            return
        if spoken and self._speaks_through_screen_reader():
            return
        event = QAccessibleAnnouncementEvent(self._window, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                            else QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)
