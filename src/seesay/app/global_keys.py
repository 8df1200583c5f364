"""Global shortcuts seen from Qt: the hotkey backend started from the settings, its presses
carried to the GUI thread with the moment each key was pressed (a busy GUI thread must not
turn a double press into two single ones)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from seesay.core.i18n import _

log = logging.getLogger("seesay.app")


class GlobalKeys(QObject):
    """``pressed`` carries (command id, ``time.monotonic()`` of the press) on the GUI thread; ``problem``
    what a backend learns later about its keys (the desktop refused them), to be told."""

    pressed = Signal(str, float)
    problem = Signal(str)
    #: emitted on the backend's thread; queued to ``_tell`` on the GUI thread, which emits ``problem``
    _reported = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reported.connect(self._tell)
        self.backend = None
        #: command id -> keys that work now (empty when there is no hotkey backend)
        self.bindings: dict[str, str] = {}

    def start(self, values: Mapping[str, Any]) -> list[str]:
        """(Re)start with the keys in ``values``; returns the problems to tell the user."""
        from seesay.core.commands import COMMANDS
        from seesay.hotkeys.select import create_hotkeys

        self.stop()
        self.backend = create_hotkeys(report=self._reported.emit)
        bindings = {command.id: values[command.setting_key] for command in COMMANDS}
        try:
            problems = self.backend.start(bindings, self._press)
        except Exception as error:  # pynput's platform part failed to load
            log.exception("hotkeys failed")
            problems = [_("Global shortcuts could not be started ({detail}).").format(detail=error)]
        self.bindings = bindings if self.backend.name != "none" else {}
        return problems

    def _tell(self, text: str) -> None:  # on the GUI thread
        self.problem.emit(text)

    def _press(self, command: str) -> None:  # on the backend's thread
        self.pressed.emit(command, time.monotonic())

    def stop(self) -> None:
        if self.backend is not None:
            self.backend.stop()
