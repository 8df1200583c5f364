"""Text size, themes, keyboard reach, accessible names, settings, and a GUI that never stalls."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

from seesay.app.settings_dialog import SettingsDialog
from seesay.app.themes import THEMES
from seesay.core import config

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts"


def test_zoom_keys_change_the_text_size_within_bounds_and_it_is_remembered(qtbot, make_app):
    app = make_app(save=True)
    window = app.window
    assert window.description.font().pointSize() == 28
    seen = []
    for _ in range(20):  # Ctrl+Plus: steps in proportion to the size, as a browser's zoom
        window.zoom(+1)
        seen.append(window.description.font().pointSize())
    assert seen[:5] == [31, 35, 42, 49, 56]  # 110%, 125%, 150%, 175%, 200%
    assert seen[5:9] == [70, 84, 98, 112] and set(seen[9:]) == {112}  # 14 pt a step at 350%: 2 pt was not seen
    window.zoom(-1)
    assert window.description.font().pointSize() == 98
    for _ in range(30):
        window.zoom(-1)
    assert window.description.font().pointSize() == 12
    window.zoom(+1)
    assert json.loads(config.config_file().read_text())["font_size"] == 14
    window.zoom(0)
    assert window.description.font().pointSize() == 28


def test_zoom_shortcuts_are_bound(qtbot, make_app):
    window = make_app().window
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl++", "Ctrl+-", "Ctrl+0"} <= shortcuts


@pytest.mark.parametrize("theme", ["yellow-on-black", "white-on-black", "black-on-white", "system"])
def test_each_theme_colours_the_window_and_a_screenshot_is_kept(qtbot, make_app, theme):
    app = make_app(theme=theme)
    window = app.window
    window.resize(1000, 700)
    window.description.setPlainText("a red circle on a white background")
    qtbot.waitUntil(lambda: "Ready" in window.status.text(), timeout=30000)
    palette = QApplication.instance().palette()
    if theme in THEMES:
        assert palette.color(QPalette.ColorRole.Window) == QColor(THEMES[theme].background)
        assert palette.color(QPalette.ColorRole.WindowText) == QColor(THEMES[theme].text)
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    image.save(str(ARTIFACTS / f"window-{theme}.png"))
    if theme in THEMES:  # the description area is painted in the theme's colours
        middle = image.pixelColor(window.description.geometry().center())
        assert middle == QColor(THEMES[theme].background)


def test_every_control_is_reachable_by_tab_and_named(qtbot, make_app):
    from PySide6.QtCore import Qt

    window = make_app().window
    window.show()
    qtbot.waitExposed(window)
    seen, widget = [], window.description
    while widget not in seen:  # the Tab chain, as Qt walks it
        seen.append(widget)
        widget = widget.nextInFocusChain()
    tab_stops = [w for w in seen if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert window.description in tab_stops and window.history in tab_stops
    assert all(button in tab_stops for button in window.buttons)
    for widget in tab_stops:
        assert widget.accessibleName(), f"{widget} has no accessible name"
        assert widget.accessibleDescription(), f"{widget} has no accessible description"


def test_focus_is_drawn_as_a_thick_frame_in_the_focus_colour(qtbot, make_app):
    window = make_app(theme="yellow-on-black").window
    window.show()
    qtbot.waitExposed(window)
    window.buttons[0].setFocus()
    qtbot.waitUntil(lambda: window.buttons[0].hasFocus())
    image = window.buttons[0].grab().toImage()
    assert image.pixelColor(1, image.height() // 2) == QColor(THEMES["yellow-on-black"].focus)
    assert image.pixelColor(3, image.height() // 2) == QColor(THEMES["yellow-on-black"].focus)


def test_settings_dialog_is_generated_from_the_table_and_applies_without_restart(qtbot, make_app):
    app = make_app()
    dialog = SettingsDialog(app.values, voices=app.speaker.voices())
    qtbot.addWidget(dialog)
    names = {w.accessibleName() for w in [*dialog.findChildren(QComboBox), *dialog.findChildren(QSpinBox)]}
    assert {"Theme", "Text size", "Speaking rate", "Volume", "Device", "Precision", "Speech output"} <= names
    theme = next(w for w in dialog.findChildren(QComboBox) if w.accessibleName() == "Theme")
    theme.setCurrentIndex(theme.findData("black-on-white"))
    size = next(w for w in dialog.findChildren(QSpinBox) if w.accessibleName() == "Text size")
    size.setValue(40)
    app.apply_settings(dialog.values())
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window) == QColor("#FFFFFF")
    assert app.window.description.font().pointSize() == 40


def test_the_gui_keeps_turning_while_a_caption_runs(qtbot, make_app, slow_model):
    app = make_app(model=str(slow_model), max_new_tokens=40)
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=120000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    from PIL import Image
    from PySide6.QtGui import QImage

    QApplication.clipboard().setImage(QImage.fromData(_png(Image.effect_noise((640, 480), 50).convert("RGB"))))
    started = time.perf_counter()
    app.window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=60000)
    busy = time.perf_counter() - started
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert busy > 0.3, "the caption was too quick to show anything"
    assert max(gaps) < 0.1, f"the event loop stalled for {max(gaps) * 1000:.0f} ms during a {busy:.2f} s caption"


def _png(image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_start_at_login_setting_writes_the_autostart_entry(qtbot, make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app()
    app.apply_settings({**app.values, "autostart": "on"})
    entry = tmp_path / "config" / "autostart" / "org.seesay.Seesay.desktop"
    assert entry.is_file()
    app.apply_settings({**app.values, "autostart": "off"})
    assert not entry.exists()


def test_window_and_tray_icon_come_from_the_packaged_resources(qtbot):
    from seesay.app.icons import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {16, 48, 256} <= {size.width() for size in icon.availableSizes()}


@pytest.mark.parametrize("choice, bright", [("light", True), ("dark", False)])
def test_plain_tray_icons_for_dark_and_light_panels(qtbot, choice, bright):
    from seesay.app.icons import app_icon, tray_icon

    image = tray_icon(choice).pixmap(22, 22).toImage()
    drawn = [image.pixelColor(x, y) for x in range(22) for y in range(22) if image.pixelColor(x, y).alpha() > 200]
    assert len(drawn) > 40  # an eye, not an empty square
    assert all((color.lightness() > 200) == bright for color in drawn)  # one colour: white or black
    assert tray_icon("colour").pixmap(22, 22).toImage() == app_icon().pixmap(22, 22).toImage()
