"""seesay's icon, drawn in code: an eye with a sound wave, readable on light and dark panels."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_draw(size))
    return icon


def _draw(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16.0
    # A yellow disc with a black rim reads on both light and dark panels.
    painter.setPen(QPen(QColor("#000000"), max(1.0, unit)))
    painter.setBrush(QColor("#FFD700"))
    painter.drawEllipse(QRectF(unit * 0.5, unit * 0.5, size - unit, size - unit))
    eye = QPainterPath()
    eye.moveTo(QPointF(unit * 2.5, unit * 8))
    eye.quadTo(QPointF(unit * 8, unit * 2.5), QPointF(unit * 13.5, unit * 8))
    eye.quadTo(QPointF(unit * 8, unit * 13.5), QPointF(unit * 2.5, unit * 8))
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawPath(eye)
    painter.setBrush(QColor("#000000"))
    painter.drawEllipse(QPointF(unit * 8, unit * 8), unit * 2.2, unit * 2.2)
    painter.end()
    return pixmap
