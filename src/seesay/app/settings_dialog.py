"""The settings dialog, generated from the settings table: a control per setting that has a label, in
the table's groups (speech, description, keys, appearance), in an area that scrolls up and down so
that every control can be reached at any text size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seesay.app.reflow import WrappingButton, WrappingComboBox, scrolling
from seesay.app.themes import theme_names
from seesay.app.voice import speech_output_names
from seesay.core.i18n import _, language_names
from seesay.core.settings import GROUPS, SETTINGS, Setting
from seesay.speech.base import Voice

def _switch_names() -> dict[str, str]:
    return {"off": _("Off"), "on": _("On")}


def _device_names() -> dict[str, str]:
    return {"auto": _("Automatic"), "cpu": _("Processor (CPU)"), "cuda": _("NVIDIA graphics card (CUDA)"),
            "mps": _("Apple graphics (MPS)")}


def _precision_names() -> dict[str, str]:
    return {"auto": _("Automatic")}  # the others are the formats' own names (fp32, int8...)


def _screen_area_names() -> dict[str, str]:
    return {"monitor": _("The monitor under the mouse"), "all": _("All monitors")}


def _tray_icon_names() -> dict[str, str]:
    return {"colour": _("Colour"), "light": _("Light: a white eye, for dark panels"),
            "dark": _("Dark: a black eye, for light panels")}


#: Settings whose choices are shown by name, in the person's language, not by key.
CHOICE_NAMES = {"theme": theme_names, "speech_output": speech_output_names, "language": language_names,
                "device": _device_names, "precision": _precision_names, "screen_area": _screen_area_names,
                "tray_icon": _tray_icon_names, "detail": _switch_names, "keep_in_index": _switch_names,
                "autostart": _switch_names}
#: Settings that name a model: a name seesay knows, a hub id (owner/name) or a folder that is there.
MODEL_NAME_KEYS = ("model", "vqa_model", "itm_model")


def model_name_problem(value: str) -> str | None:
    """Why ``value`` cannot name a model, or None. A hub id that is not downloaded yet is fine
    here (the model dialog offers the download); a folder that is not there never is."""
    from seesay.vision.model_store import parse_model_name

    ref = parse_model_name(value) if value.strip() else None
    if ref is None or ref.folder is None or ref.folder.is_dir():
        return None
    return _("There is no folder {folder}. Give a hub id (owner/name) or a folder that holds the model.").format(
        folder=ref.folder)


class SettingsDialog(QDialog):
    def __init__(self, values: Mapping[str, Any], voices: list[Voice] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("seesay settings"))
        self.setAccessibleName(_("seesay settings"))
        self._values = dict(values)
        self._read: dict[str, callable] = {}
        #: model settings: (control, the line under it that says what is wrong with the name)
        self._checked: dict[str, tuple[QWidget, QLabel]] = {}
        self._warned: dict[str, str] = {}  # a model not downloaded, said once: OK again keeps it
        self._spoken: dict[str, str] = {}  # a problem shown with a command line: what is said instead
        groups = QVBoxLayout()
        for group, title in GROUPS.items():
            box = QGroupBox(_(title))
            # Each label above its control, both the whole width: room to wrap at any text size.
            rows = QVBoxLayout(box)
            for setting in SETTINGS:
                if setting.label is None or setting.group != group:
                    continue
                widget, read = self._control(setting, self._values[setting.key], voices or [])
                label = _(setting.label)
                for named in filter(None, (widget, widget.focusProxy())):  # a folder row: its text field too
                    named.setAccessibleName(label)
                    named.setAccessibleDescription(_(setting.help))
                    named.setToolTip(_(setting.help))
                shown = QLabel(f"&{label}")
                shown.setWordWrap(True)
                shown.setBuddy(widget)
                rows.addWidget(shown)
                rows.addWidget(widget)
                if setting.key in MODEL_NAME_KEYS:
                    problem = QLabel()
                    problem.setWordWrap(True)
                    problem.hide()
                    rows.addWidget(problem)
                    self._checked[setting.key] = (widget, problem)
                rows.addSpacing(rows.spacing() * 2)
                self._read[setting.key] = read
            if rows.count():
                groups.addWidget(box)
        groups.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.scroll_area = scrolling(groups, self)
        self.scroll_area.setAccessibleName(_("Settings"))
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """As large as the settings need, but never larger than the screen: the rest scrolls. The window
        manager adds a title bar and a frame, which Qt cannot know before the dialog is shown: with the
        whole screen's height, OK and Cancel were below the screen's edge (openbox, 1280x1024)."""
        content = self.scroll_area.widget().sizeHint()
        screen = (self.parentWidget() or self).screen().availableGeometry()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        self.resize(min(content.width() + bar + 40, screen.width() * 95 // 100),
                    min(content.height() + 120, screen.height() * 9 // 10))

    def accept(self) -> None:
        """OK: kept open on a model name that cannot be right, with the reason under its field and
        the focus in it (read out with the field's name), so it is corrected before it is saved. A
        caption check model newly named that is not on this computer is said once (nothing else
        would say it: captions just go unchecked); OK again keeps it."""
        for key, (widget, problem_label) in self._checked.items():
            value = str(self._read[key]())
            changed = value != str(self._values.get(key, ""))  # a folder gone since is not the dialog's to refuse
            problem = model_name_problem(value) if changed else None
            if problem is None and changed and key == "itm_model" and self._warned.get(key) != value:
                problem = self._not_downloaded(value)
                self._warned[key] = value
            field = widget.focusProxy() or widget
            problem_label.setText(problem or "")
            problem_label.setVisible(problem is not None)
            field.setAccessibleDescription(self._spoken.get(problem, problem) or field.toolTip())
            if problem is not None:
                self.scroll_area.ensureWidgetVisible(widget)
                field.setFocus()
                return
        super().accept()

    def _not_downloaded(self, name: str) -> str | None:
        """What to say of a hub model that is not on this computer yet, or None when it is there."""
        from seesay.core import paths
        from seesay.vision.model_store import ModelStore, parse_model_name

        ref = parse_model_name(name) if name.strip() else None
        if ref is None or ref.hub_id is None:
            return None
        folder = self._read["model_dir"]() if "model_dir" in self._read else self._values.get("model_dir", "")
        if ModelStore(paths.model_dir(str(folder or ""))).is_available(name):
            return None
        shown = _("{model} is not on this computer: captions stay unchecked until it is downloaded with: "
                  "seesay download {model}. Press OK again to keep it.").format(model=ref.hub_id)
        self._spoken[shown] = _("{model} is not on this computer: captions stay unchecked until it is downloaded. "
                                "Press OK again to keep it.").format(model=ref.hub_id)
        return shown

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
        browse = WrappingButton(_("Choose folder…"))
        browse.setAccessibleDescription(_("Choose the folder in a file dialog"))
        policy = browse.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        browse.setSizePolicy(policy)
        browse.setAccessibleName(_("Choose folder for {label}").format(label=_(setting.label)))
        browse.clicked.connect(lambda: self._choose_folder(edit))
        box.addWidget(edit, 1)
        box.addWidget(browse)
        row.setFocusProxy(edit)
        return row, lambda: edit.text().strip()

    @staticmethod
    def _combo(items: list[tuple[str, str]], value: Any):
        combo = WrappingComboBox()
        for key, text in items:
            combo.addItem(text, key)
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))
        return combo, combo.currentData

    def _choose_folder(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"), edit.text())
        if folder:
            edit.setText(folder)
