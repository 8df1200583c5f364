"""The settings dialog, generated from the settings table: a control per setting that has a label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seesay.app.themes import theme_names
from seesay.app.voice import speech_output_names
from seesay.core.i18n import _
from seesay.core.settings import SETTINGS, Setting
from seesay.speech.base import Voice

GROUP_TITLES = {"model": "Description", "speech": "Speech", "display": "Display"}
#: Settings whose choices are shown by name, not by key.
CHOICE_NAMES = {"theme": theme_names, "speech_output": speech_output_names}


class SettingsDialog(QDialog):
    def __init__(self, values: Mapping[str, Any], voices: list[Voice] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("seesay settings"))
        self.setAccessibleName(_("seesay settings"))
        self._values = dict(values)
        self._read: dict[str, callable] = {}
        form = QFormLayout()
        for setting in SETTINGS:
            if setting.label is None:
                continue
            widget, read = self._control(setting, self._values[setting.key], voices or [])
            label = _(setting.label)
            widget.setAccessibleName(label)
            widget.setAccessibleDescription(_(setting.help))
            widget.setToolTip(_(setting.help))
            form.addRow(f"&{label}", widget)
            self._read[setting.key] = read
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        result = dict(self._values)
        result.update({key: read() for key, read in self._read.items()})
        return result

    def _control(self, setting: Setting, value: Any, voices: list[Voice]):
        if setting.key == "voice" and voices:
            return self._combo([("", _("Default voice"))] + [(v.id, f"{v.name} ({v.id})") for v in voices], value)
        if setting.choices:
            names = CHOICE_NAMES[setting.key]() if setting.key in CHOICE_NAMES else {}
            return self._combo([(choice, names.get(choice, choice)) for choice in setting.choices], value)
        if setting.type is int:
            spin = QSpinBox()
            spin.setRange(setting.minimum or 0, setting.maximum or 10_000)
            spin.setValue(int(value))
            return spin, spin.value
        edit = QLineEdit(str(value))
        if not setting.is_folder:
            return edit, edit.text
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton(_("Choose folder…"))
        browse.setAccessibleName(_("Choose folder for {label}").format(label=_(setting.label)))
        browse.clicked.connect(lambda: self._choose_folder(edit))
        box.addWidget(edit, 1)
        box.addWidget(browse)
        row.setFocusProxy(edit)
        return row, lambda: edit.text().strip()

    @staticmethod
    def _combo(items: list[tuple[str, str]], value: Any):
        combo = QComboBox()
        for key, text in items:
            combo.addItem(text, key)
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))
        return combo, combo.currentData

    def _choose_folder(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"), edit.text())
        if folder:
            edit.setText(folder)
