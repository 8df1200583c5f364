"""How the whole application looks: colour themes and the text size.

Three high-contrast themes and "system", which follows the desktop. Every text in the
high-contrast themes has at least 7:1 contrast (WCAG 1.4.6), placeholders included: a style
sheet's ``color`` alone draws them at half opacity (about 5:1), so each theme names its own.
Every theme draws a thick, clearly coloured focus frame, because a keyboard user must see
where they are at a glance. "system" keeps the desktop's palette, including its high-contrast
mode where Qt reports one (``QStyleHints.accessibility().contrastPreference()``).

The text size is one number, the description's size in points; every other text in the window and
in every dialog follows it through the application's style sheet, so no dialog can be left behind.
Scroll bars and their arrows grow with it too (``ScaledStyle``): a 14 px bar is not found at 400%.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QPolygonF
from PySide6.QtWidgets import QApplication, QProxyStyle, QScrollBar, QStyle

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


class ScaledStyle(QProxyStyle):
    """The desktop's style with scroll bars (and so their arrow buttons, which are as long as the
    bar is wide) scaled by the text size: 4 times as wide at 400% as at 100%. Above 100% the arrows
    in those buttons are drawn 60% as wide as the button (the desktop's stay 8 px or so)."""

    SCALED = (QStyle.PixelMetric.PM_ScrollBarExtent, QStyle.PixelMetric.PM_ScrollBarSliderMin)

    def pixelMetric(self, metric, option=None, widget=None):  # noqa: N802 - Qt override
        value = super().pixelMetric(metric, option, widget)
        if metric in self.SCALED:
            return max(value, round(value * _text_points() / FONT_DEFAULT))
        return value

    ARROWS = {QStyle.PrimitiveElement.PE_IndicatorArrowUp: (0, -1),
              QStyle.PrimitiveElement.PE_IndicatorArrowDown: (0, 1),
              QStyle.PrimitiveElement.PE_IndicatorArrowLeft: (-1, 0),
              QStyle.PrimitiveElement.PE_IndicatorArrowRight: (1, 0)}

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 - Qt override
        """A scroll bar's arrow under a style sheet (the themes): drawn to its button's size."""
        if element in self.ARROWS and isinstance(widget, QScrollBar) and _text_points() > FONT_DEFAULT:
            _draw_arrow(painter, option.rect, self.ARROWS[element], option.palette)
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802 - Qt override
        """A scroll bar drawn by the desktop's style ("system"): its small arrows drawn over to size."""
        super().drawComplexControl(control, option, painter, widget)
        if control != QStyle.ComplexControl.CC_ScrollBar or _text_points() <= FONT_DEFAULT:
            return
        vertical = option.orientation == Qt.Orientation.Vertical
        forwards = -1 if not vertical and option.direction == Qt.LayoutDirection.RightToLeft else 1
        for sub, sign in ((QStyle.SubControl.SC_ScrollBarSubLine, -forwards),
                          (QStyle.SubControl.SC_ScrollBarAddLine, forwards)):
            rect = self.subControlRect(control, option, sub, widget)
            _draw_arrow(painter, rect, (0, sign) if vertical else (sign, 0), option.palette)


def _draw_arrow(painter, rect, direction: tuple[int, int], palette) -> None:
    """A filled triangle 60% as wide as ``rect``, pointing in ``direction`` ((0, -1) is up)."""
    if rect.width() < 8 or rect.height() < 8:
        return
    half = min(rect.width(), rect.height()) * 0.3
    centre = QPointF(rect.center())
    dx, dy = direction
    tip = centre + QPointF(dx * half / 2, dy * half / 2)
    back = centre - QPointF(dx * half / 2, dy * half / 2)
    across = QPointF(dy * half, dx * half)  # at right angles to the direction
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(QPalette.ColorRole.ButtonText))
    painter.drawPolygon(QPolygonF([back + across, back - across, tip]))
    painter.restore()


_scaled_style: ScaledStyle | None = None


def _text_points() -> int:
    app = QApplication.instance()
    return int(app.property(_TEXT_SIZE) or FONT_DEFAULT) if app is not None else FONT_DEFAULT


def apply_text_size(app: QApplication, description_points: int) -> None:
    """Set the text size of every window and dialog, open or still to come.

    Through the application's style sheet, not ``QApplication.setFont``: Qt does not carry a new
    application font to widgets that a style sheet has already polished.
    """
    app.setProperty(_TEXT_SIZE, int(description_points))
    global _scaled_style
    if _scaled_style is None:  # once; a new style would reset the theme's palette
        palette = app.palette()
        _scaled_style = ScaledStyle(app.style().name())  # kept here: Qt calls its Python methods
        app.setStyle(_scaled_style)
        app.setPalette(palette)
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
