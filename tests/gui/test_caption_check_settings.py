"""The caption check in the settings dialog (Qt offscreen, the real app and worker): a person finds the
image-text matching model and the number of captions to choose from by Tab, changes them by typing,
and the change is saved, takes effect at once and leaves this run's flags unsaved."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from fixtures.scenes import Scene, draw_scene
from gui.test_caption_check_window import drop_files
from seesay.app.settings_dialog import SettingsDialog
from seesay.core import config

pytestmark = pytest.mark.slow
ITM_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm"


def open_dialog(qtbot, app) -> SettingsDialog:
    dialog = SettingsDialog(app.values)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def tab_to(qtbot, dialog, name: str):
    """Press Tab until the control read out as ``name`` has the focus, as a person listening would."""
    for _press in range(200):
        focused = QApplication.focusWidget()
        if focused is not None and focused.accessibleName() == name:
            return focused
        qtbot.keyClick(focused or dialog, Qt.Key.Key_Tab)
    raise AssertionError(f"{name!r} was never reached by Tab")


def type_over(qtbot, control, text: str) -> None:
    qtbot.keyClick(control, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(control, text)


def saved() -> dict:
    return json.loads(config.config_file().read_text())


def test_the_caption_check_is_found_by_tab_changed_by_typing_and_saved(qtbot, make_app, tmp_path):
    app = make_app(save=True, candidates=2, memory_budget=65536)  # --candidates 2: this run only
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)
    dialog = open_dialog(qtbot, app)
    field = tab_to(qtbot, dialog, "Caption check model")
    assert "image-text matching" in field.accessibleDescription()
    type_over(qtbot, field, str(ITM_MODEL))
    qtbot.keyClick(field, Qt.Key.Key_Return)  # OK
    assert dialog.result() == dialog.DialogCode.Accepted
    app.apply_settings(dialog.values())
    assert saved() == {"itm_model": str(ITM_MODEL)}  # not the run's --candidates 2
    assert app.values["candidates"] == 2

    scene = Scene("red", "circle", "white")  # checked from now on: the details show the match
    picture = tmp_path / "scene.png"
    draw_scene(scene, (400, 300), random.Random(4)).save(picture)
    drop_files(app.window, [picture])
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=60000)
    shown = re.search(r"Picture, \d+% sure, fits the picture (\d+)%: (.+)", app.window.details.toPlainText())
    assert shown and int(shown[1]) >= 90 and shown[2] == scene.caption, app.window.details.toPlainText()

    dialog = open_dialog(qtbot, app)
    spin = tab_to(qtbot, dialog, "Captions to choose from")
    assert spin.value() == 2 and "CapFilt" in spin.accessibleDescription()
    type_over(qtbot, spin, "9")  # more than 8 is not taken
    assert spin.value() != 9
    type_over(qtbot, spin, "3")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    app.apply_settings(dialog.values())
    assert saved() == {"itm_model": str(ITM_MODEL), "candidates": 3}


def test_a_caption_check_folder_that_is_not_there_is_said_and_not_saved(qtbot, make_app, tmp_path):
    app = make_app(save=True)
    dialog = open_dialog(qtbot, app)
    field = tab_to(qtbot, dialog, "Caption check model")
    missing = tmp_path / "no-such-model"
    type_over(qtbot, field, str(missing))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert QApplication.focusWidget() is field  # back in the field, with the reason read out
    assert f"There is no folder {missing}" in field.accessibleDescription()
    assert any(f"There is no folder {missing}" in label.text() and label.isVisible()
               for label in dialog.findChildren(QLabel))  # and shown under it
    type_over(qtbot, field, "Salesforce/blip-itm-large-coco")  # a hub id not downloaded: said once
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.isVisible() and QApplication.focusWidget() is field
    assert any("downloaded with: seesay download Salesforce/blip-itm-large-coco" in label.text()
               and label.isVisible() for label in dialog.findChildren(QLabel))  # the command line is shown
    assert field.accessibleDescription() == ("Salesforce/blip-itm-large-coco is not on this computer: captions stay "
                                             "unchecked until it is downloaded. Press OK again to keep it.")  # read out
    qtbot.keyClick(field, Qt.Key.Key_Return)  # OK again: kept
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.values()["itm_model"] == "Salesforce/blip-itm-large-coco"


def test_a_model_folder_gone_since_does_not_hold_other_changes_back(qtbot, make_app, tmp_path):
    app = make_app(save=True, itm_model=str(tmp_path / "deleted-model"))  # named, then deleted
    dialog = open_dialog(qtbot, app)
    size = tab_to(qtbot, dialog, "Text size")
    type_over(qtbot, size, "40")
    qtbot.keyClick(size, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
