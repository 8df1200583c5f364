"""Starting the app: a display to show it on, a QApplication, the command socket, the event loop."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QApplication

from seesay.app.application import SeesayApp
from seesay.app.clean_exit import CleanExit
from seesay.app.instance import send_to_running
from seesay.app.instance_server import InstanceServer
from seesay.app.qt_translations import install_qt_translations
from seesay.core.errors import SeesayError
from seesay.core.i18n import _


def run_app(values: Mapping[str, Any], problems: list[str] | None = None, first_message: dict | None = None) -> int:
    """Start the window and the worker; returns the exit code when the user quits."""
    _check_display()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("seesay")
    app.setApplicationDisplayName("seesay")
    app.setQuitOnLastWindowClosed(False)
    app.setDesktopFileName("org.seesay.Seesay")
    install_qt_translations(app)  # OK, Cancel and the file dialog in seesay's language
    from seesay.app.icons import app_icon

    app.setWindowIcon(app_icon())
    server = InstanceServer()
    if not server.listen():
        if server.other_is_running and send_to_running(first_message or {"command": "show"}):
            return 0  # another seesay started at the same moment and holds the socket: it has the command
        problems = [*(problems or []), server.problem]
    seesay = SeesayApp(values)
    server.setParent(seesay)
    server.received.connect(seesay.handle_message)
    seesay.start(first_message)
    for problem in problems or []:
        seesay.feedback.problem(problem)
    clean_exit = CleanExit(seesay.quit, lambda: (seesay.end_background_work(), server.close())).install()
    try:
        code = app.exec()
    finally:
        clean_exit.uninstall()
    server.close()
    return code


def _check_display() -> None:
    """Qt aborts the process when it cannot reach a display; say why instead."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise SeesayError(
            _("There is no display to show the seesay window on."),
            _("Start seesay from your desktop session, or describe files without a window: seesay describe FILE"),
        )
