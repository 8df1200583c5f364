"""Widgets that reflow when the text is large: text wraps, buttons wrap and rearrange, and what cannot
fit scrolls up and down, never sideways (WCAG 1.4.10).

Qt's buttons never wrap their text and its grids keep their columns, so at 200% or 400% text size a
row of buttons grows wider than the screen and the window can no longer shrink to fit it. These
give every part a height for a width (``heightForWidth``), so a scroll area can lay them out at any
width and scroll the rest.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QWidget,
)

_WRAP = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
_UNBOUNDED = 1_000_000
#: A line may break here; shown as nothing, and taken out again of what ``text()`` returns.
_BREAK = "\u200b"
_LONG_WORD = re.compile(r"\S{16,}")


def breakable(text: str) -> str:
    """Long words (a folder, a model's hub name) may break after / \\ - _ . so they wrap too."""
    return _LONG_WORD.sub(lambda match: re.sub(r"([/\\\-_.])", "\\1" + _BREAK, match.group()), text)


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s\u200b]+", text.replace("&&", "&").replace("&", "")) if word]


class WrappingLabel(QLabel):
    """A word-wrapped label whose long words (paths, hub names) wrap as well."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(breakable(text))

    def text(self) -> str:
        return super().text().replace(_BREAK, "")


class _WrappedText:
    """Sizes for a control that paints its text wrapped: one line when there is room, more when not."""

    def _shown(self) -> str:  # the text painted now
        raise NotImplementedError

    def _texts(self) -> list[str]:  # every text it may show, for its preferred width
        return [self._shown()]

    def _padding(self) -> QSize:  # what the style adds around the text
        raise NotImplementedError

    def _text_size(self, width: int, text: str | None = None) -> QSize:
        return QFontMetrics(self.font()).boundingRect(QRect(0, 0, max(width, 1), _UNBOUNDED), int(_WRAP),
                                                      self._shown() if text is None else text).size()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming): the longest text on as few lines as it has
        pad = self._padding()
        widest = max((self._text_size(_UNBOUNDED, text).width() for text in self._texts()), default=0)
        return QSize(widest + pad.width(), self._text_size(_UNBOUNDED).height() + pad.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802: as narrow as the longest word
        metrics = QFontMetrics(self.font())
        words = [word for text in self._texts() for word in _words(text)]
        width = max((metrics.horizontalAdvance(word) for word in words), default=0) + self._padding().width() + 2
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        pad = self._padding()
        return self._text_size(width - pad.width()).height() + pad.height()


class WrappingButton(_WrappedText, QPushButton):
    """A push button whose text wraps at word boundaries when the button is too narrow for one line.

    Lines given with a line break stay lines (a command over its shortcut). The text, mnemonic and
    accessible name stay the button's own; only the painting and the size are changed.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(breakable(text))
        self.updateGeometry()

    def text(self) -> str:
        return super().text().replace(_BREAK, "")

    def _shown(self) -> str:
        return QPushButton.text(self)

    def _padding(self) -> QSize:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        # Sized as focused (the focus frame is thicker) and as a plain button (whether it is the dialog's
        # default changes with the focus): both change after layout, and the text must fit either way.
        option.features = QStyleOptionButton.ButtonFeature.None_
        option.state |= QStyle.StateFlag.State_HasFocus
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, QSize(0, 0), self)

    def paintEvent(self, event) -> None:  # noqa: N802: the style draws the button, then the text wrapped
        option = QStyleOptionButton()
        self.initStyleOption(option)
        text, option.text = option.text, ""
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        pad = self._padding()
        area = self.rect().adjusted(pad.width() // 2, pad.height() // 2, -(pad.width() - pad.width() // 2),
                                    -(pad.height() - pad.height() // 2))
        self.style().drawItemText(painter, area, int(Qt.AlignmentFlag.AlignCenter | _WRAP), option.palette,
                                  self.isEnabled(), text, self.foregroundRole())
        painter.end()


class ButtonGrid(QLayout):
    """Buttons in as many equal columns as their one-line texts fit; one column, wrapped, when none do."""

    def __init__(self, parent: QWidget | None = None, columns: int = 3) -> None:
        super().__init__(parent)
        self._items = []
        self._most_columns = columns

    # ---- QLayout's item list ----
    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # ---- sizes ----
    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        widest = max((item.sizeHint().width() for item in self._items), default=0)
        columns = min(self._most_columns, len(self._items)) or 1
        width = columns * widest + (columns - 1) * self.spacing() + self._margins_width()
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802: as narrow as the widest word, as high as the width now needs
        widest = max((item.minimumSize().width() for item in self._items), default=0)
        width = widest + self._margins_width()
        now = self.geometry().width() if self.geometry().width() > width else self.sizeHint().width()
        return QSize(width, self.heightForWidth(now))

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def _margins_width(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right()

    def columns_for(self, width: int) -> int:
        widest = max((item.sizeHint().width() for item in self._items if not item.isEmpty()), default=1)
        spacing = max(self.spacing(), 0)
        columns = self._most_columns
        while columns > 1 and columns * widest + (columns - 1) * spacing > width:
            columns -= 1
        return columns

    def _arrange(self, rect: QRect, place: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        items = [item for item in self._items if not item.isEmpty()]
        spacing = max(self.spacing(), 0)
        columns = self.columns_for(area.width())
        cell = max(1, (area.width() - (columns - 1) * spacing) // columns)
        y = area.top()
        for start in range(0, len(items), columns):
            row = items[start:start + columns]
            height = max(_height_for_width(item, cell) for item in row)
            if place:
                for column, item in enumerate(row):
                    item.setGeometry(QRect(area.left() + column * (cell + spacing), y, cell, height))
            y += height + spacing
        return y - spacing - area.top() + margins.top() + margins.bottom() if items else 0


def _height_for_width(item, width: int) -> int:
    # Asked of the widget itself: the layout item's cached answer can lag behind a new font.
    widget = item.widget()
    if widget is not None:
        return widget.heightForWidth(width) if widget.hasHeightForWidth() else widget.sizeHint().height()
    return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()


class FittingTextView(QPlainTextEdit):
    """A read-only text box as tall as its text (or placeholder) at its width: a long text makes the
    page scroll, not the box, so nothing is hidden behind a box's own scroll bar."""

    def __init__(self, parent: QWidget | None = None, least_lines: int = 2) -> None:
        super().__init__(parent)
        self._least_lines = least_lines
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.textChanged.connect(self.updateGeometry)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def _frame(self) -> QSize:
        margins = self.contentsMargins()
        viewport = self.viewportMargins()
        return QSize(margins.left() + margins.right() + viewport.left() + viewport.right(),
                     margins.top() + margins.bottom() + viewport.top() + viewport.bottom())

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        frame = self._frame()
        margin = self.document().documentMargin()
        text_width = max(1.0, width - frame.width() - 2 * margin)
        metrics = QFontMetrics(self.font())
        text = self.toPlainText() or self.placeholderText()
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        lines = 0
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, self.font(), self.viewport())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(text_width)
                lines += 1
            layout.endLayout()
        lines = max(lines, self._least_lines)
        height = lines * metrics.lineSpacing()
        if not self.toPlainText():  # Qt paints the placeholder with the font metrics' own wrapping
            height = max(height, metrics.boundingRect(QRect(0, 0, int(text_width), _UNBOUNDED),
                                                      int(Qt.TextFlag.TextWordWrap), text).height())
        return int(height + 2 * margin) + frame.height() + 2

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(self.width() if self.width() > 100 else hint.width()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        return QSize(metrics.horizontalAdvance("M" * 8), metrics.lineSpacing() + self._frame().height())


def scrolling(content: QWidget | QLayout, parent: QWidget | None = None) -> QScrollArea:
    """``content`` in a frameless area that scrolls up and down, never sideways.

    Around controls, the area is no stop of its own: it follows the keyboard from control to control.
    Around a text with an accessible name (a message), it is a stop under that name, so the arrow
    keys can scroll the text.
    """
    area = QScrollArea(parent)
    name = content.accessibleName() if isinstance(content, QWidget) else ""
    area.setFocusPolicy(Qt.FocusPolicy.StrongFocus if name else Qt.FocusPolicy.NoFocus)
    area.setAccessibleName(name)
    if name:
        area.setAccessibleDescription(content.accessibleDescription() or name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if isinstance(content, QLayout):
        holder = QWidget()
        holder.setLayout(content)
        content = holder
    area.setWidget(content)
    return area


class WrappingComboBox(_WrappedText, QComboBox):
    """A drop-down list whose shown choice wraps instead of being cut off when the box is narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(1)
        self.view().setWordWrap(True)
        self.view().setTextElideMode(Qt.TextElideMode.ElideNone)

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def _padding(self) -> QSize:
        option = self._option()
        option.currentText = ""
        option.state |= QStyle.StateFlag.State_HasFocus  # the thicker focus frame must leave room too
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, QSize(0, 0), self)

    def _shown(self) -> str:
        return self.currentText()

    def _texts(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count())]

    def paintEvent(self, event) -> None:  # noqa: N802: the style draws the box and arrow, then the text wrapped
        option = self._option()
        text, option.currentText = option.currentText, ""
        painter = QPainter(self)
        self.style().drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option, painter, self)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        self.style().drawItemText(painter, field, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                                      | Qt.TextFlag.TextWordWrap), option.palette, self.isEnabled(),
                                  text, self.foregroundRole())
        painter.end()
