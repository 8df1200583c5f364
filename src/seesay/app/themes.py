"""How the whole application looks: colour themes and the text size.

Three high-contrast themes and "system", which follows the desktop. Every text in the
high-contrast themes has at least 7:1 contrast (WCAG 1.4.6), placeholders included: a style
sheet's ``color`` alone draws them at half opacity (about 5:1), so each theme names its own.
Every theme draws a thick, clearly coloured focus frame, because a keyboard user must see
where they are at a glance. "system" keeps the desktop's palette, including its high-contrast
mode where Qt reports one (``QStyleHints.accessibility().contrastPreference()``).

The text size is one number, the description's size in points; every other text in the window and
in every dialog follows it through the application's style sheet, so no dialog can be left behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from seesay.core.i18n import _
from seesay.core.settings import BY_KEY


@dataclass(frozen=True)
class Theme:
    key: str
    background: str
    text: str
    focus: str
    selection_background: str
    selection_text: str
    #: Hint text in an empty field: apart from the text, but still 7:1.
    placeholder: str


THEMES = {
    "yellow-on-black": Theme("yellow-on-black", "#000000", "#FFFF00", "#00FFFF", "#FFFF00", "#000000", "#C8C800"),
    "white-on-black": Theme("white-on-black", "#000000", "#FFFFFF", "#FFFF00", "#FFFFFF", "#000000", "#C8C8C8"),
    "black-on-white": Theme("black-on-white", "#FFFFFF", "#000000", "#0000CC", "#000000", "#FFFFFF", "#4A4A4A"),
}
#: The other texts' size against the description's: 16 pt beside the default 28 pt (100%).
OTHER_TEXT_SHARE = 4 / 7
FONT_DEFAULT = BY_KEY["font_size"].default
#: Where the application keeps its look (dynamic properties), so a change to one keeps the other.
_THEME, _TEXT_SIZE = "seesay_theme", "seesay_text_size"


def theme_names() -> dict[str, str]:
    """Theme keys with their translated names, for the settings dialog."""
    return {
        "yellow-on-black": _("Yellow on black"),
        "white-on-black": _("White on black"),
        "black-on-white": _("Black on white"),
        "system": _("Follow the system"),
    }


def system_prefers_high_contrast() -> bool:
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is None:  # Qt older than 6.10
        return False
    return accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


def apply_theme(app: QApplication, key: str) -> Theme | None:
    """Apply a theme to the whole application; returns the Theme, or None for "system"."""
    app.setProperty(_THEME, key)
    theme = THEMES.get(key)
    if theme is None:
        app.setPalette(app.style().standardPalette())
    else:
        palette = QPalette()
        background, text = QColor(theme.background), QColor(theme.text)
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                     QPalette.ColorRole.Button, QPalette.ColorRole.ToolTipBase):
            palette.setColor(role, background)
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                     QPalette.ColorRole.ToolTipText, QPalette.ColorRole.BrightText):
            palette.setColor(role, text)
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(theme.placeholder))
        palette.setColor(QPalette.ColorRole.Highlight, QColor(theme.selection_background))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor(theme.selection_text))
        app.setPalette(palette)
    app.setStyleSheet(_style_sheet(app))
    return theme


def apply_text_size(app: QApplication, description_points: int) -> None:
    """Set the text size of every window and dialog, open or still to come.

    Through the application's style sheet, not ``QApplication.setFont``: Qt does not carry a new
    application font to widgets that a style sheet has already polished.
    """
    app.setProperty(_TEXT_SIZE, int(description_points))
    app.setStyleSheet(_style_sheet(app))


def other_text_points(description_points: int) -> int:
    """The size of every text but the description, never below the desktop's own."""
    return max(QApplication.font().pointSize(), 9, round(description_points * OTHER_TEXT_SHARE))


def _style_sheet(app: QApplication) -> str:
    points = int(app.property(_TEXT_SIZE) or FONT_DEFAULT)
    sizes = f"""
        * {{ font-size: {other_text_points(points)}pt; }}
        #description {{ font-size: {points}pt; }}
    """
    theme = THEMES.get(app.property(_THEME) or "")
    if theme is None:  # the desktop's own fields leave a pixel too little for large text
        return sizes + "QAbstractSpinBox, QLineEdit { padding: 2px; }" + _focus_rules(
            app.palette().color(QPalette.ColorRole.Highlight).name())
    return sizes + f"""
        QWidget {{ background: {theme.background}; color: {theme.text};
                   placeholder-text-color: {theme.placeholder}; }}
        QPushButton, QToolButton, QComboBox, QLineEdit, QSpinBox, QPlainTextEdit, QListWidget {{
            border: 2px solid {theme.text}; padding: 4px; }}
        QListWidget::item:selected {{ background: {theme.selection_background}; color: {theme.selection_text}; }}
        QProgressBar {{ border: 2px solid {theme.text}; text-align: center; }}
        QProgressBar::chunk {{ background: {theme.text}; }}
        {_focus_rules(theme.focus)}
    """


def _focus_rules(colour: str) -> str:
    return f"""
        *:focus {{ border: 4px solid {colour}; outline: none; }}
        QListWidget:focus, QPlainTextEdit:focus {{ border: 4px solid {colour}; }}
    """
