"""The window in German, as a German-speaking person meets it (Qt offscreen, the trained scene model):
seesay's own words from its catalogue, Qt's buttons from Qt's translation. No translation model is
on this computer here, so the caption is English, after the one sentence that says so (captions
in German: ``test_translated_descriptions.py``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QGroupBox, QLabel, QPushButton

from fixtures.scenes import Scene
from gui.conftest import copy_scene_picture, spoken
from seesay.core import i18n

pytestmark = pytest.mark.slow


@pytest.fixture
def german(monkeypatch, qapp):
    from seesay.app.qt_translations import install_qt_translations

    monkeypatch.setattr(i18n, "_translations", i18n._translations)  # put back after the test
    monkeypatch.setattr(i18n, "_language", i18n._language)
    assert i18n.use_language("de").language == "de"
    translator = install_qt_translations(qapp)
    assert translator is not None, "PySide6's qtbase_de.qm was not found"
    yield
    qapp.removeTranslator(translator)


def test_the_window_speaks_and_shows_german(qtbot, make_app, tmp_path, german):
    app = make_app()
    qtbot.waitUntil(lambda: "Bereit" in app.window.status.text(), timeout=30000)
    labels = {label.text() for label in app.window.findChildren(QLabel)}
    buttons = {button.text() for button in app.window.findChildren(QPushButton)}
    assert "&Verlauf" in labels
    assert any("Bild öffnen…" in text for text in buttons), buttons

    app.handle_message({"command": "copy"})
    qtbot.waitUntil(lambda: "Es wurde noch nichts beschrieben, daher gibt es nichts zu kopieren." in spoken(tmp_path))

    scene = Scene("blue", "triangle", "white")
    copy_scene_picture(scene)
    app.handle_command("describe_clipboard")
    qtbot.waitUntil(lambda: any(text.endswith(scene.caption) for text in spoken(tmp_path)), timeout=20000)
    qtbot.waitUntil(lambda: "Beschrieben: Bild aus der Zwischenablage" in app.window.status.text(), timeout=5000)
    app.handle_command("copy")
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1] == "Kopiert.")


def test_the_settings_dialog_in_german_offers_each_language_by_its_own_name(qtbot, make_app, german):
    from seesay.app.settings_dialog import SettingsDialog

    app = make_app()
    dialog = SettingsDialog(app.values)
    qtbot.addWidget(dialog)
    assert [box.title() for box in dialog.findChildren(QGroupBox)][:2] == ["Sprachausgabe", "Beschreibung"]
    (language,) = [combo for combo in dialog.findChildren(QComboBox) if combo.accessibleName() == "Sprache"]
    names = [language.itemText(index) for index in range(language.count())]
    assert names == ["Systemsprache", "English", "Deutsch", "Español", "Français", "Português (Brasil)"]
    box = dialog.findChild(QDialogButtonBox)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"  # Qt's own word


def test_the_global_shortcuts_are_listed_in_german_with_german_key_names(qtbot, make_app, german):
    app = make_app()
    app.window.set_shortcuts({"describe_screen": "<ctrl>+<alt>+<shift>+d"})
    labels = [label.text() for label in app.window.findChildren(QLabel)]
    assert any("Strg+Alt+Umschalt+D: Bildschirm beschreiben" in text for text in labels), labels
