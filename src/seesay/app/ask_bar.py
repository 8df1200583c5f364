"""The question field: type a question about the last picture, press Enter, hear the answer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from seesay.core.i18n import _


class AskBar(QWidget):
    """``asked`` carries the question typed (stripped, never empty)."""

    asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(_("&Ask about the picture:"), self)
        self.field = QLineEdit(self)
        self.field.setObjectName("question")
        self.field.setPlaceholderText(_("for example: what color is the car?"))
        self.field.setAccessibleName(_("Question about the picture"))
        self.field.setAccessibleDescription(
            _("Type a question about the last picture and press Enter; the answer is spoken and kept in the "
              "history. Questions go on being about the same picture until a new one is described."))
        self.field.setToolTip(self.field.accessibleDescription())
        self.label.setBuddy(self.field)
        self.field.returnPressed.connect(self._submit)
        layout.addWidget(self.label)
        layout.addWidget(self.field, 1)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _submit(self) -> None:
        question = self.field.text().strip()
        if question:
            self.field.clear()
            self.asked.emit(question)
