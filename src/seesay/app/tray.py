"""The tray icon and its menu: every command, with its global keys shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from seesay.app.icons import tray_icon
from seesay.core.i18n import _
from seesay.core.commands import BY_ID, readable_keys

MENU = ("describe_screen", "describe_window", "describe_mouse", "describe_focus", "describe_clipboard", "ask", None,
        "show", "stop", "repeat", "copy", None, "settings", "quit")


class Tray(QObject):
    """``command`` carries the id of what was chosen ("describe_screen", "show", "settings", "quit"...)."""

    command = Signal(str)

    def __init__(self, values: Mapping[str, Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon: QSystemTrayIcon | None = None
        self.actions: dict[str, QAction] = {}
        if not self.available:
            return
        self.menu = QMenu()
        self.menu.setAccessibleName(_("seesay"))
        for item in MENU:
            if item is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(self._text(item))
            action.triggered.connect(lambda checked=False, item=item: self.command.emit(item))
            self.actions[item] = action
        self.update_keys(values)
        self.icon = QSystemTrayIcon(tray_icon(values.get("tray_icon", "colour")), self)
        self.icon.setToolTip(_("seesay: press a shortcut to hear what is on the screen"))
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.show()

    @staticmethod
    def _text(item: str) -> str:
        if item in BY_ID:
            return _(BY_ID[item].description)
        return {"show": _("Show window"), "settings": _("Settings…"), "quit": _("Quit")}[item]

    def update_keys(self, values: Mapping[str, Any]) -> None:
        for item, action in self.actions.items():
            command = BY_ID.get(item)
            keys = values.get(command.setting_key, "") if command else ""
            action.setText(self._text(item) + (f"\t{readable_keys(keys)}" if keys else ""))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.command.emit("show")

    def set_icon(self, choice: str) -> None:
        if self.icon is not None:
            self.icon.setIcon(tray_icon(choice))

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
