"""Ending seesay from outside is a clean quit, never an abort.

SIGTERM (logging out, ``kill``, a service manager), SIGHUP (the terminal closed) and SIGINT
(Ctrl+C) quit as the Quit command does: the command socket and the speech folder are removed.
Python runs its signal handlers only between bytecodes, and Qt's event loop is C++, so the
signal's number is written to a socket Qt watches (``signal.set_wakeup_fd``): its notifier
brings the loop back into Python, where the handler runs.

When the X display goes away, Qt says "The X11 connection broke" and calls ``exit(1)`` at once;
C++ then destroys the still running worker thread and the process aborts, leaving its files.
That message is Qt's last word: seesay runs ``last_words`` there (the worker, the speech folder,
the socket: nothing that needs the display), closes the log and ends the process itself.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QSocketNotifier, QtMsgType, qInstallMessageHandler

log = logging.getLogger("seesay.app")
QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
#: What Qt's xcb plugin says just before it ends the process when the X server has gone.
DISPLAY_LOST = "X11 connection broke"


class CleanExit:
    """Installed for the life of the app; ``uninstall`` puts everything back (for tests)."""

    def __init__(self, quit_app: Callable[[], None], last_words: Callable[[], None]) -> None:
        self._quit_app = quit_app
        self._last_words = last_words
        self._previous: dict[int, object] = {}
        self._notifier: QSocketNotifier | None = None
        self._pair: tuple[socket.socket, socket.socket] | None = None
        self._previous_wakeup = -1
        self.quitting_for: int | None = None

    def install(self) -> CleanExit:
        if sys.platform != "win32":  # Windows sends no SIGTERM; its console's Ctrl+C is left as it is
            reader, writer = socket.socketpair()
            for end in (reader, writer):
                end.setblocking(False)
            self._pair = (reader, writer)
            self._previous_wakeup = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
            self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
            self._notifier.activated.connect(self._drain)
            for number in QUIT_SIGNALS:
                self._previous[number] = signal.signal(number, self._on_signal)
        qInstallMessageHandler(self._on_qt_message)
        return self

    def uninstall(self) -> None:
        qInstallMessageHandler(None)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()
        if self._pair is not None:
            signal.set_wakeup_fd(self._previous_wakeup)
            self._notifier.setEnabled(False)
            for end in self._pair:
                end.close()
            self._pair = self._notifier = None

    def _drain(self) -> None:
        """The loop woke for a signal: reading the bytes is all; Python has run the handler by now."""
        try:
            while self._pair[0].recv(64):
                pass
        except (BlockingIOError, OSError):
            pass

    def _on_signal(self, number: int, _frame) -> None:
        if self.quitting_for is not None:
            return  # already quitting: a second SIGTERM changes nothing
        self.quitting_for = number
        log.info("quitting: signal %s", signal.Signals(number).name)
        self._quit_app()

    def _on_qt_message(self, _kind: QtMsgType, _context, message: str) -> None:
        if DISPLAY_LOST in message:
            log.warning("the display went away: quitting")
            end_now(1, self._last_words)
        print(message, file=sys.stderr)  # as Qt's own handler would


def end_now(code: int, last_words: Callable[[], None]) -> None:
    """End the process at once, after ``last_words`` and the log: C++ would otherwise end it, and abort
    on the threads still running. (Python's own exit handlers are not run: PySide's destroys the
    application object, and with it those threads.)"""
    try:
        last_words()
    except Exception:  # ending anyway: say why in the log
        log.exception("cleaning up after the display went away failed")
    finally:
        logging.shutdown()
        os._exit(code)
