"""Captures for the describe commands, on the GUI thread, without seesay's own window in them.

A capture takes a few milliseconds (mss), so it happens the moment the key is pressed and
the picture, not the job of taking it, goes to the worker. If seesay's window is showing,
it is hidden for the capture and shown again after.
"""

from __future__ import annotations

import time

from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from seesay.capture.base import Capture, CaptureError
from seesay.capture.screen import MssCapturer
from seesay.core.i18n import _
from seesay.core.requests import DescribeRequest

#: Time for the X server to unmap seesay's window and repaint what was beneath.
HIDE_SETTLE_SECONDS = 0.08


class CaptureController:
    def __init__(self, window: QWidget, capturer: MssCapturer | None = None) -> None:
        self._window = window
        self._capturer = capturer or MssCapturer()

    def request(self, kind: str, values: dict) -> DescribeRequest:
        """Capture ``kind`` now and wrap it as a request; raises ``CaptureError`` with the reason."""
        capture = self.capture(kind, values)
        return DescribeRequest(capture.image, capture.label, kind, note=capture.note)

    def capture(self, kind: str, values: dict) -> Capture:
        if kind == "clipboard":
            return self._clipboard()
        pointer = QCursor.pos()
        point = (pointer.x(), pointer.y())
        hidden = self._hide_own_window()
        try:
            if kind == "screen":
                return self._capturer.screen(point, all_monitors=values.get("screen_area") == "all")
            if kind == "mouse":
                return self._capturer.region(point, int(values.get("mouse_area", 500)))
            if kind == "window":
                return self._capturer.window(point, {int(self._window.winId())})
            raise CaptureError(_("Unknown capture {kind}.").format(kind=kind))
        finally:
            if hidden:
                self._window.show()

    def _hide_own_window(self) -> bool:
        window = self._window
        if not window.isVisible() or window.isMinimized():
            return False
        window.hide()
        deadline = time.monotonic() + HIDE_SETTLE_SECONDS
        while time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        return True

    @staticmethod
    def _clipboard() -> Capture:
        from PIL import Image

        from seesay.app.intake import png_bytes

        image = QApplication.clipboard().image()
        if image.isNull():
            raise CaptureError(_("The clipboard holds no picture."))
        import io

        picture = Image.open(io.BytesIO(png_bytes(image)))
        picture.load()
        return Capture(picture, "clipboard", _("clipboard image"))
