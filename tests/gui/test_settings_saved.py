"""What the settings dialog saves: only what the person changed there, never the flags of this run."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QComboBox, QSpinBox

from seesay.app.settings_dialog import SettingsDialog
from seesay.core import config

pytestmark = pytest.mark.slow


def change_in_dialog(app, label: str, value) -> None:
    """Open the settings dialog on the app's values, change one control as a person would, press OK."""
    dialog = SettingsDialog(app.values)
    controls = [*dialog.findChildren(QComboBox), *dialog.findChildren(QSpinBox)]
    (control,) = [w for w in controls if w.accessibleName() == label]
    if isinstance(control, QSpinBox):
        control.setValue(value)
    else:
        control.setCurrentIndex(control.findData(value))
    dialog.accept()
    app.apply_settings(dialog.values())


def test_one_run_flags_are_never_saved(qtbot, make_app):
    """Started with --speech silent --rate 400 --voice de (and a model folder and speech folder):
    changing the theme saves the theme, and nothing of this run."""
    app = make_app(save=True, rate=400, voice="de")
    change_in_dialog(app, "Theme", "black-on-white")
    assert json.loads(config.config_file().read_text()) == {"theme": "black-on-white"}
    assert app.values["rate"] == 400 and app.values["theme"] == "black-on-white"  # still in use for this run


def test_two_seesays_do_not_undo_each_others_changes(qtbot, make_app):
    first, second = make_app(save=True), make_app(save=True)
    change_in_dialog(first, "Speaking rate", 220)
    change_in_dialog(second, "Theme", "white-on-black")
    assert json.loads(config.config_file().read_text()) == {"rate": 220, "theme": "white-on-black"}


def test_a_broken_settings_file_is_kept_when_the_dialog_saves(qtbot, make_app):
    path = config.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"rate": 220, "theme": ')  # broken while seesay ran
    app = make_app(save=True)
    change_in_dialog(app, "Text size", 40)
    (kept,) = path.parent.glob("settings.json.bad-*")
    assert kept.read_text() == '{"rate": 220, "theme": '
    assert str(kept) in app.window.status.text()
    assert json.loads(path.read_text()) == {"font_size": 40}
