"""The window and the settings dialog in German, Spanish, French and Brazilian Portuguese, at the
default text size and at 200%: every translated text fits its button, label and field (measured from
the widgets' geometry and font metrics, as ``test_magnification`` does for English), in the smallest
window it must fit. German words are long ("Bildschirmaufnahme", "Zwischenablage"), and a label that
fits in English may not in German. SEESAY_SHOTS keeps a screenshot of each."""

from __future__ import annotations

import pytest

from gui.test_magnification import (WINDOW_SIZE, describe, problems, settings_dialog_at, shoot,  # noqa: F401
                                   window_at)  # window_at: a fixture
from seesay.core import i18n, settings

pytestmark = pytest.mark.slow


@pytest.fixture(params=["de", "es", "fr", "pt_BR"])
def language(request, monkeypatch, qapp):
    from seesay.app.qt_translations import install_qt_translations

    monkeypatch.setattr(i18n, "_translations", i18n._translations)  # put back after the test
    monkeypatch.setattr(i18n, "_language", i18n._language)
    assert i18n.use_language(request.param).language == request.param
    translator = install_qt_translations(qapp)  # Qt's own words (OK, Cancel) in the language too
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("percent", [100, 200])
def test_the_window_fits_every_translated_text(qtbot, window_at, language, percent):  # noqa: F811
    window = window_at("yellow-on-black", percent)
    window.show_status(i18n._("Ready. Drop, paste or open a picture."))
    describe(window, "a red circle on a white background")
    shoot(window, f"window-{language}-{percent}")
    assert (window.width(), window.height()) == WINDOW_SIZE[percent], "the window cannot shrink that far"
    assert problems(window) == []


@pytest.mark.parametrize("percent", [100, 200])
def test_the_settings_dialog_fits_every_translated_text(qtbot, window_at, language, percent):  # noqa: F811
    dialog = settings_dialog_at(qtbot, window_at("yellow-on-black", percent), percent, f"settings-{language}-{percent}")
    assert problems(dialog) == []


def test_the_settings_dialog_leaves_room_on_the_screen_for_its_title_bar(qtbot, language):
    """Seen on the German screenshots: as tall as the screen, the dialog's frame put OK and Cancel below
    the screen's edge."""
    from seesay.app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings.defaults())
    qtbot.addWidget(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height() * 0.9 and dialog.width() <= screen.width() * 0.95


def test_every_choice_in_the_settings_dialog_is_named_in_the_language(qtbot, language):
    """Seen on the German screenshots: "off", "monitor", "auto" and "colour" were shown as the settings
    file's keys. Only the names of number formats and the themes' colours may read alike."""
    from PySide6.QtWidgets import QComboBox

    from seesay.app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings.defaults())
    qtbot.addWidget(dialog)
    shown = {combo.itemData(i): combo.itemText(i) for combo in dialog.findChildren(QComboBox)
             for i in range(combo.count())}
    formats = {"fp32", "fp16", "bf16", "int8"}
    untranslated = sorted(key for key, text in shown.items() if key == text and key not in formats)
    assert untranslated == [], untranslated
    assert shown["off"] != "Off" and shown["auto"] != "Automatic"  # in the language, not English
