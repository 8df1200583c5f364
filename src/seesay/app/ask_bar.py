"""The question field: type a question about the last picture, press Enter, hear the answer.

The label, with an example, sits above the field and wraps, so both keep the whole width at any
text size (a placeholder in the field would be cut off at 200%, and vanishes when typing starts).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from seesay.core.i18n import _


class AskBar(QWidget):
    """``asked`` carries the question typed (stripped, never empty)."""

    asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(_("&Ask about the picture (for example: what color is the car?)"), self)
        self.label.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setObjectName("question")
        self.field.setAccessibleName(_("Question about the picture"))
        self.field.setAccessibleDescription(
            _("Type a question about the last picture and press Enter; the answer is spoken and kept in the "
              "history. Questions go on being about the same picture until a new one is described."))
        self.field.setToolTip(self.field.accessibleDescription())
        self.label.setBuddy(self.field)
        self.field.returnPressed.connect(self._submit)
        layout.addWidget(self.label)
        layout.addWidget(self.field)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _submit(self) -> None:
        question = self.field.text().strip()
        if question:
            self.field.clear()
            self.asked.emit(question)
