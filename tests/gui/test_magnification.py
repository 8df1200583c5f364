"""The window and its dialogs at 100%, 200% and 400% text size, in every theme.

The bar is WCAG 1.4.4 (text resized to 200% without loss) and 1.4.10 (reflow: at 400% nothing needs
scrolling in two directions), and 1.4.6 (contrast at least 7:1) for the high-contrast themes. Whether a
text fits is measured from each widget's own geometry and its font metrics, never from pixels.

Set SEESAY_SHOTS to a folder to keep a screenshot of every window and dialog measured here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette, QRegion, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionSlider,
    QWidget,
)

from seesay.app.main_window import FONT_DEFAULT, MainWindow
from seesay.app.model_dialog import ModelDialog
from seesay.app.settings_dialog import SettingsDialog
from seesay.app.themes import THEMES, apply_theme
from seesay.core import settings
from seesay.core.commands import COMMANDS
from seesay.core.requests import DescribeRequest, Description
from seesay.vision.model_store import ModelStore

PERCENTS = (100, 200, 400)
ALL_THEMES = (*THEMES, "system")
#: The smallest window every text must fit at 100% and 200%. At 400%, WCAG's reflow case is a
#: 1280 px wide screen (320 CSS px at 400%): the window there is 1280x1024.
SMALL = (800, 600)
WINDOW_SIZE = {100: SMALL, 200: SMALL, 400: (1280, 1024)}
LONG_CAPTION = ("a kitchen with a wooden table, four chairs and a window over the sink; on the table there is a "
                "bowl of oranges, a blue teapot and an open newspaper, and a cat sleeps on the chair nearest the "
                "door. The last words of this caption are: seven green apples.")


def points(percent: int) -> int:
    return FONT_DEFAULT * percent // 100


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SEESAY_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def window_at(qtbot):
    def make(theme: str, percent: int) -> MainWindow:
        apply_theme(QApplication.instance(), theme)
        window = MainWindow(points(percent))
        qtbot.addWidget(window)
        window.show_status("Ready. Drop, paste or open a picture.")
        window.set_shortcuts({c.id: c.default_keys for c in COMMANDS})
        window.resize(*WINDOW_SIZE[percent])
        window.show()
        qtbot.waitExposed(window)
        settle()
        return window

    yield make
    apply_theme(QApplication.instance(), "yellow-on-black")
    MainWindow(FONT_DEFAULT).deleteLater()  # the application's text size back to the default


def describe(window: MainWindow, caption: str = LONG_CAPTION) -> None:
    request = DescribeRequest(source="kitchen.png", label="kitchen.png", origin="file")
    window.show_description(Description(request=request, text=caption, seconds=1.0,
                                        details="Certainty: high\n" + caption))
    settle()


def settle() -> None:
    """Let the layouts finish: a taller description asks its page, which then asks the scroll area."""
    for _ in range(5):
        QApplication.processEvents()


def text_widgets(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QAbstractButton, QComboBox, QSpinBox, QLineEdit, QPlainTextEdit, QListWidget, QGroupBox)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root)
            and not isinstance(w.parent(), (QComboBox, QSpinBox))]


def overflow(widget: QWidget) -> str | None:
    """Why the widget's text does not fit its own area, or None when it fits."""
    metrics = QFontMetrics(widget.font())
    area = widget.contentsRect()
    if isinstance(widget, QLabel):
        text = re.sub(r"&(?!&)", "", QLabel.text(widget))  # as shown (a label may add places to break)
        if not text:
            return None
        flags = Qt.TextFlag.TextWordWrap if widget.wordWrap() else 0
        need = metrics.boundingRect(QRect(0, 0, area.width(), 100_000), int(flags), text)
        if need.width() > area.width() or need.height() > area.height():
            return f"label {text[:40]!r} needs {need.size()} in {area.size()}"
        return None
    if isinstance(widget, QAbstractButton):
        if widget.hasHeightForWidth():  # its text wraps: as wide as its longest word, tall enough for the rest
            least, tall = widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
            if widget.width() < least or widget.height() < tall:
                return f"button {widget.text()[:40]!r} needs {least} wide, {tall} high in {widget.size()}"
            return None
        hint = widget.sizeHint()
        if widget.width() < hint.width() or widget.height() < hint.height():
            return f"button {widget.text()[:40]!r} needs {hint} in {widget.size()}"
        return None
    if isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                               QStyle.SubControl.SC_ComboBoxEditField, widget)
        if widget.hasHeightForWidth():  # the shown choice wraps
            need = metrics.boundingRect(QRect(0, 0, field.width(), 100_000), int(Qt.TextFlag.TextWordWrap),
                                        widget.currentText())
            if need.width() > field.width() or need.height() > field.height():
                return f"combo box {widget.currentText()!r} needs {need.size()} in {field.size()}"
            return None
        if metrics.horizontalAdvance(widget.currentText()) > field.width() or metrics.height() > field.height():
            return f"combo box {widget.currentText()!r} needs {metrics.horizontalAdvance(widget.currentText())}x" \
                   f"{metrics.height()} in {field.size()}"
        return None
    if isinstance(widget, (QSpinBox, QLineEdit)):
        edit = widget.lineEdit() if isinstance(widget, QSpinBox) else widget
        inner = edit.contentsRect()
        shown = edit.text() or edit.placeholderText()
        if metrics.height() > inner.height():
            return f"field {widget.accessibleName()!r} is {inner.height()} px high for {metrics.height()} px text"
        if not edit.text() and metrics.horizontalAdvance(shown) > inner.width() - 8:
            return f"placeholder {shown!r} needs {metrics.horizontalAdvance(shown)} in {inner.width()}"
        return None
    if isinstance(widget, QPlainTextEdit):
        view = widget.viewport().rect()
        if widget.horizontalScrollBar().maximum() > 0:
            return f"{widget.accessibleName()} scrolls sideways"
        if metrics.lineSpacing() > view.height():
            return f"{widget.accessibleName()} shows {view.height()} px of a {metrics.lineSpacing()} px line"
        if not widget.toPlainText() and widget.placeholderText():
            margin = int(widget.document().documentMargin())
            need = metrics.boundingRect(QRect(0, 0, view.width() - 2 * margin, 100_000),
                                        int(Qt.TextFlag.TextWordWrap), widget.placeholderText())
            if need.height() > view.height() - 2 * margin:
                return f"placeholder of {widget.accessibleName()} needs {need.height()} px in {view.height()}"
        return None
    if isinstance(widget, QListWidget):
        if widget.horizontalScrollBar().maximum() > 0:
            return f"{widget.accessibleName()} scrolls sideways"
        view = widget.viewport().rect()
        for row in range(widget.count()):
            item = widget.item(row)
            rect = widget.visualItemRect(item)
            need = metrics.boundingRect(QRect(0, 0, view.width(), 100_000), int(Qt.TextFlag.TextWordWrap),
                                        item.text())
            if rect.width() > view.width() or rect.height() < need.height():
                return f"history item needs {need.size()} in {rect.size()} (list {view.size()})"
        return None
    if isinstance(widget, QGroupBox):
        if metrics.horizontalAdvance(widget.title().replace("&", "")) > widget.width():
            return f"group title {widget.title()!r} is wider than its box"
    return None


def clipped_by_parent(widget: QWidget, top: QWidget) -> str | None:
    """Whether a parent cuts the widget off (a scroll area's viewport may: it scrolls to it)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and child is not top:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and parent is parent.parentWidget().viewport():
            # It may scroll up and down, never sideways (WCAG 1.4.10).
            left, right = widget.mapTo(parent, widget.rect().topLeft()).x(), widget.mapTo(parent, widget.rect().topRight()).x()
            if left < 0 or right >= parent.width():
                return f"{type(widget).__name__} spans {left}..{right}, past the sides of a scroll area {parent.width()} wide"
            return None
        if not parent.rect().contains(child.geometry()):
            return f"{type(child).__name__} {child.geometry()} sticks out of {type(parent).__name__} {parent.rect()}"
        child, parent = parent, parent.parentWidget()
    return None


def problems(root: QWidget) -> list[str]:
    found = []
    for widget in text_widgets(root):
        for problem in (overflow(widget), clipped_by_parent(widget, root)):
            if problem:
                found.append(f"{widget.accessibleName() or type(widget).__name__}: {problem}")
    return found


# ---- one setting scales every text -----------------------------------------------------------------
def test_every_text_in_the_window_and_its_dialogs_grows_with_the_text_size(qtbot, window_at, tmp_path):
    measured = {}
    for percent in PERCENTS:
        window = window_at("yellow-on-black", percent)
        settings_dialog = SettingsDialog(settings.defaults(), parent=window)
        model_dialog = ModelDialog(ModelStore(tmp_path / "models"), "base", "The model is missing.", parent=window)
        widgets = {"status": window.status, "description": window.description, "details": window.details,
                   "history": window.history, "history label": window.history_label, "shortcuts": window.shortcuts,
                   "ask label": window.ask_bar.label, "question": window.ask_bar.field,
                   **{f"button {b.accessibleName()}": b for b in window.buttons},
                   "settings dialog label": settings_dialog.findChildren(QLabel)[0],
                   "settings dialog combo box": settings_dialog.findChildren(QComboBox)[0],
                   "settings dialog OK": next(b for b in settings_dialog.findChildren(QAbstractButton)
                                              if b.text().replace("&", "") == "OK"),
                   "model dialog message": model_dialog.message,
                   "model dialog button": model_dialog.download_button}
        for widget in widgets.values():
            widget.ensurePolished()  # as when shown: the style sheet sets the font
        measured[percent] = {name: widget.font().pointSizeF() for name, widget in widgets.items()}
        settings_dialog.deleteLater()
        model_dialog.deleteLater()
        window.close()
    for name, size in measured[100].items():
        assert measured[200][name] >= 1.9 * size, f"{name}: {size} pt at 100% but {measured[200][name]} at 200%"
        assert measured[400][name] >= 3.8 * size, f"{name}: {size} pt at 100% but {measured[400][name]} at 400%"
    assert min(measured[100].values()) >= 12, f"text smaller than 12 pt at 100%: {measured[100]}"


# ---- nothing clipped, nothing overlapped -----------------------------------------------------------
@pytest.mark.parametrize("percent", PERCENTS)
@pytest.mark.parametrize("theme", ALL_THEMES)
def test_the_window_fits_every_text(qtbot, window_at, theme, percent):
    window = window_at(theme, percent)
    shoot(window, f"window-{theme}-{percent}-empty")
    assert (window.width(), window.height()) == WINDOW_SIZE[percent], "the window cannot shrink that far"
    assert problems(window) == []
    describe(window)
    describe(window, "a red circle on a white background")
    shoot(window, f"window-{theme}-{percent}")
    assert (window.width(), window.height()) == WINDOW_SIZE[percent]
    assert problems(window) == []


@pytest.mark.parametrize("percent", PERCENTS)
def test_the_last_line_of_a_long_description_can_be_seen(qtbot, window_at, percent):
    window = window_at("yellow-on-black", percent)
    describe(window)
    window.description.setFocus()
    qtbot.keyClick(window.description, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    shoot(window, f"window-long-caption-{percent}")
    cursor = window.description.textCursor()
    assert cursor.atEnd()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
    line = window.description.cursorRect(cursor).united(window.description.cursorRect())
    line.setRight(line.left() + 1)
    visible = window.description.viewport().visibleRegion()
    assert QRegion(line).subtracted(visible).isEmpty(), (
        f"the last line {line} is not within the visible part {visible.boundingRect()} of the description")


@pytest.mark.parametrize("theme", ALL_THEMES)
def test_scroll_bars_and_their_arrows_grow_with_the_text_size(qtbot, window_at, theme):
    widths = {}
    for percent in (100, 400):
        window = window_at(theme, percent)
        describe(window, "\n".join([LONG_CAPTION] * 12))  # the details scroll
        dialog = SettingsDialog(settings.defaults(), parent=window)
        qtbot.addWidget(dialog)
        dialog.resize(*WINDOW_SIZE[percent])
        dialog.show()
        qtbot.waitExposed(dialog)
        settle()
        shoot(window, f"scroll-bars-{theme}-{percent}")
        bars = {"details": window.details.verticalScrollBar(),
                "settings": dialog.findChild(QScrollArea).verticalScrollBar()}
        assert all(bar.isVisible() for bar in bars.values()), {name: bar.isVisible() for name, bar in bars.items()}
        widths[percent] = {name: bar.width() for name, bar in bars.items()}
        for name, bar in bars.items():  # the arrow buttons are as long as the bar is wide
            option = QStyleOptionSlider()
            bar.initStyleOption(option)
            arrow = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                               QStyle.SubControl.SC_ScrollBarAddLine, bar)
            widths[percent][f"{name} arrow"] = arrow.height()
            if percent == 400:  # the arrow drawn in it is large too (the desktop style's: 8 px at most)
                image = bar.grab().toImage()
                ink = bar.palette().color(QPalette.ColorRole.ButtonText).rgb()
                drawn = [y for y in range(arrow.top(), arrow.bottom() + 1)
                         if any(image.pixel(x, y) == ink for x in range(arrow.left() + 3, arrow.right() - 2))]
                assert len(drawn) >= arrow.height() / 5, f"{name}: the arrow is {len(drawn)} px high in {arrow}"
        dialog.close()
        window.close()
    for name, width in widths[100].items():
        assert widths[400][name] >= 3.5 * width, f"{name}: {width} px at 100%, {widths[400][name]} px at 400%"


# ---- dialogs -----------------------------------------------------------------------------------------
def settings_dialog_at(qtbot, window: MainWindow, percent: int, shot: str) -> SettingsDialog:
    """The settings dialog over ``window``, shown in the smallest size it must fit at ``percent``."""
    dialog = SettingsDialog(settings.defaults(), parent=window)
    qtbot.addWidget(dialog)
    dialog.resize(*WINDOW_SIZE[percent])
    dialog.show()
    qtbot.waitExposed(dialog)
    shoot(dialog, shot)
    assert (dialog.width(), dialog.height()) == WINDOW_SIZE[percent], "the settings dialog cannot shrink that far"
    return dialog


@pytest.mark.parametrize("percent", PERCENTS)
@pytest.mark.parametrize("theme", ALL_THEMES)
def test_the_settings_dialog_fits_and_every_control_is_reached_by_scrolling(qtbot, window_at, theme, percent):
    dialog = settings_dialog_at(qtbot, window_at(theme, percent), percent, f"settings-{theme}-{percent}")
    assert problems(dialog) == []
    controls = [w for w in dialog.findChildren(QWidget) if w.accessibleName()
                and isinstance(w, (QComboBox, QSpinBox, QLineEdit))]
    assert len(controls) >= len([s for s in settings.SETTINGS if s.label])
    area = dialog.findChild(QScrollArea)
    assert area is not None, "the settings dialog does not scroll"
    for control in controls:
        control.setFocus(Qt.FocusReason.TabFocusReason)
        area.ensureWidgetVisible(control)
        QApplication.processEvents()
        rect = QRegion(control.rect())
        assert rect.subtracted(control.visibleRegion()).isEmpty(), f"{control.accessibleName()} cannot be seen whole"
    titles = {box.title().replace("&", "") for box in dialog.findChildren(QGroupBox)}
    assert {"Speech", "Description", "Keys", "Appearance"} <= titles


@pytest.mark.parametrize("percent", PERCENTS)
def test_the_model_dialog_fits_every_text(qtbot, window_at, tmp_path, percent):
    window = window_at("yellow-on-black", percent)
    dialog = ModelDialog(ModelStore(tmp_path / "models"), "base",
                         "The description model is not on this computer yet.", parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(*WINDOW_SIZE[percent])
    QApplication.processEvents()
    shoot(dialog, f"model-dialog-{percent}")
    width, height = WINDOW_SIZE[percent]
    assert dialog.width() <= width and dialog.height() <= height, f"the dialog is {dialog.size()}"
    assert problems(dialog) == []


# ---- contrast ----------------------------------------------------------------------------------------
def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_text_colour_of_the_high_contrast_themes_has_at_least_7_to_1(theme):
    colours = THEMES[theme]
    background = QColor(colours.background)
    pairs = {"text": (colours.text, colours.background), "placeholder": (colours.placeholder, colours.background),
             "selected text": (colours.selection_text, colours.selection_background),
             "focus frame": (colours.focus, colours.background)}
    for name, (foreground, behind) in pairs.items():
        assert contrast(QColor(foreground), QColor(behind)) >= 7, f"{theme}: {name} {foreground} on {behind}"
    assert background == QColor(colours.background)


@pytest.mark.parametrize("theme", list(THEMES))
def test_placeholders_are_drawn_at_7_to_1(qtbot, window_at, theme):
    """What is painted, not only what the theme says: a style sheet's colour dims placeholders by itself."""
    window = window_at(theme, 100)
    background = QColor(THEMES[theme].background)
    fields = [w for w in window.findChildren(QWidget)
              if isinstance(w, (QPlainTextEdit, QLineEdit)) and w.placeholderText()]
    assert window.description in fields
    for field in fields:
        image = field.grab().toImage()
        frame = 8  # the border and focus frame are not text
        best = max(contrast(image.pixelColor(x, y), background)
                   for x in range(frame, image.width() - frame) for y in range(frame, image.height() - frame))
        assert best >= 7, f"{field.accessibleName()}: placeholder drawn at {best:.1f}:1 at most"
