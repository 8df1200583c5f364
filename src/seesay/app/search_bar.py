"""The search field: words, Enter, the pictures of the index that match, listed; Enter on one opens it.

As the question field, the label (with an example) sits above the field and wraps. The list of
pictures found is hidden until a search found some, so Tab does not stop on an empty list; Down
in the field goes to the first picture found.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seesay.core.i18n import _


#: Where a long path may wrap at large text sizes: after each of these (a zero-width space, not read aloud).
PATH_BREAKS = ("/", "\\", "_", "-", ".")


def breakable(path: str) -> str:
    """``path`` with a place to wrap after each separator: a folder's path has no spaces to wrap at, and at
    400% one is wider than the window."""
    for mark in PATH_BREAKS:
        path = path.replace(mark, mark + "\u200b")
    return path


class _SearchField(QLineEdit):
    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """``searched`` carries the words typed (stripped, never empty); ``opened`` the picture found
    (``index.Found``) that the person pressed Enter on."""

    searched = Signal(str)
    opened = Signal(object)

    def __init__(self, parent: QWidget | None = None, shortcut: str = "") -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        text = _("&Search the pictures described (for example: red circle)")
        self.label = QLabel(f"{text} {shortcut}".strip(), self)  # the key as it is, not translated
        self.label.setWordWrap(True)
        self.field = _SearchField(self)
        self.field.setObjectName("search")
        self.field.setAccessibleName(_("Search the picture index"))
        self.field.setAccessibleDescription(
            _("Type words and press Enter: the pictures whose descriptions have them are said and listed below. "
              "Press Down to go to the list, and Enter on a picture to hear its description."))
        self.field.setToolTip(self.field.accessibleDescription())
        self.label.setBuddy(self.field)
        self.field.returnPressed.connect(self._submit)
        self.field.down_pressed.connect(self.go_to_results)

        self.results = QListWidget(self)
        self.results.setObjectName("search_results")
        self.results.setWordWrap(True)  # a long path wraps; the list never scrolls sideways
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setAccessibleName(_("Pictures found"))
        self.results.setAccessibleDescription(
            _("The pictures that match the search, best first. Press Enter on one to show and hear its description"))
        self.results.setToolTip(self.results.accessibleDescription())
        self.results.itemActivated.connect(lambda item: self.opened.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.results.setVisible(False)
        layout.addWidget(self.label)
        layout.addWidget(self.field)
        layout.addWidget(self.results)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_results(self, found: list) -> None:
        """List ``found`` (``index.Found``, best first): the file's name, its folder, and what was said."""
        self.results.clear()
        for picture in found:
            folder, name = os.path.split(picture.path)
            item = QListWidgetItem(f"{name} — {picture.said}\n{breakable(folder)}")
            item.setData(Qt.ItemDataRole.UserRole, picture)
            item.setToolTip(picture.path)
            self.results.addItem(item)
        self.results.setVisible(bool(found))
        if found:
            self.results.setCurrentRow(0)

    def go_to_results(self) -> None:
        if self.results.count():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)

    def _submit(self) -> None:
        words = self.field.text().strip()
        if words:
            self.searched.emit(words)
