"""Colour themes: three high-contrast ones and "system", which follows the desktop.

Every theme draws a thick, clearly coloured focus frame, because a keyboard user must see
where they are at a glance. "system" keeps the desktop's palette, including its high-contrast
mode where Qt reports one (``QStyleHints.accessibility().contrastPreference()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from seesay.core.i18n import _


@dataclass(frozen=True)
class Theme:
    key: str
    background: str
    text: str
    focus: str
    selection_background: str
    selection_text: str


THEMES = {
    "yellow-on-black": Theme("yellow-on-black", "#000000", "#FFFF00", "#00FFFF", "#FFFF00", "#000000"),
    "white-on-black": Theme("white-on-black", "#000000", "#FFFFFF", "#FFFF00", "#FFFFFF", "#000000"),
    "black-on-white": Theme("black-on-white", "#FFFFFF", "#000000", "#0000CC", "#000000", "#FFFFFF"),
}


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
    theme = THEMES.get(key)
    if theme is None:
        app.setPalette(app.style().standardPalette())
        focus = app.palette().color(QPalette.ColorRole.Highlight).name()
        app.setStyleSheet(_focus_rules(focus))
        return None
    palette = QPalette()
    background, text = QColor(theme.background), QColor(theme.text)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                 QPalette.ColorRole.Button, QPalette.ColorRole.ToolTipBase):
        palette.setColor(role, background)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.ToolTipText, QPalette.ColorRole.BrightText, QPalette.ColorRole.PlaceholderText):
        palette.setColor(role, text)
    palette.setColor(QPalette.ColorRole.Highlight, QColor(theme.selection_background))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(theme.selection_text))
    app.setPalette(palette)
    app.setStyleSheet(f"""
        QWidget {{ background: {theme.background}; color: {theme.text}; }}
        QPushButton, QToolButton, QComboBox, QLineEdit, QSpinBox, QPlainTextEdit, QListWidget {{
            border: 2px solid {theme.text}; padding: 4px; }}
        QListWidget::item:selected {{ background: {theme.selection_background}; color: {theme.selection_text}; }}
        QProgressBar {{ border: 2px solid {theme.text}; text-align: center; }}
        QProgressBar::chunk {{ background: {theme.text}; }}
        {_focus_rules(theme.focus)}
    """)
    return theme


def _focus_rules(colour: str) -> str:
    return f"""
        *:focus {{ border: 4px solid {colour}; outline: none; }}
        QListWidget:focus, QPlainTextEdit:focus {{ border: 4px solid {colour}; }}
    """
