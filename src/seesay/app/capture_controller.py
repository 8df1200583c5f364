"""Captures for the describe commands, on the GUI thread, without seesay's own window in them.

A capture takes a few milliseconds (mss), so it happens when the key is pressed and the
picture, not the job of taking it, goes to the worker. If seesay's window is showing, it is
hidden (``WindowConcealer``), the capture is taken once the desktop has repainted (a timer,
never a wait), and the window comes back without taking the focus. Presses closer together
than ``MIN_INTERVAL`` are coalesced: the latest one is captured at the end of the interval, so a
held or hammered key costs at most one capture per interval and the last press is always the
one described.

A capturer that answers later (the desktop portal on Wayland: a D-Bus request answered by a
signal, perhaps after the desktop has asked the person) is run on a thread of its own, so the
window never stops responding while it waits; its result comes back to the GUI thread by a
signal. Presses meanwhile are coalesced as above and captured once it has answered.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from seesay.app import intake
from seesay.app.conceal import WindowConcealer
from seesay.capture.base import Capture, CaptureError, Rect
from seesay.capture.screen import parse_rect
from seesay.capture.select import Capturer, create_capturer
from seesay.core.i18n import _
from seesay.core.requests import DescribeRequest

#: Time for the X server to unmap seesay's window and repaint what was beneath.
HIDE_SETTLE_MS = 35
#: A capture the desktop answers later (the Wayland portal) that is one plain colour right after seesay's
#: window was hidden is taken again after this long, once.
PLAIN_AGAIN_SECONDS = 0.3
#: At most one capture per this many seconds; presses in between are coalesced into the last.
MIN_INTERVAL = 0.1
#: Detail asked for this soon after a capture of the same kind (a double press) describes that
#: capture again rather than a new one: the screen is the same, and the worker can reuse the
#: caption and text it already made for it.
REUSE_SECONDS = 1.0


class _FromCaptureThread(QObject):
    """Carries a capture taken on its own thread, and what it needs said meanwhile, to the GUI thread
    (its slots are this object's own methods, so the signals are queued to the thread it lives on)."""

    captured = Signal(object, object)  # (kind, detail), Capture or Exception
    explain = Signal(str)

    def __init__(self, on_captured: Callable[[tuple, object], None], say: Callable[[str], None] | None) -> None:
        super().__init__()
        self._on_captured, self._say = on_captured, say
        self.captured.connect(self._deliver_capture)
        self.explain.connect(self._deliver_explanation)

    @Slot(object, object)
    def _deliver_capture(self, asked, result) -> None:
        self._on_captured(asked, result)

    @Slot(str)
    def _deliver_explanation(self, text: str) -> None:
        if self._say is not None:
            self._say(text)


class CaptureController:
    """``schedule(kind)`` captures soon and hands the request (or the error) to the callbacks."""

    def __init__(self, window: QWidget, on_request: Callable[[DescribeRequest], None],
                 on_error: Callable[[Exception], None], values: Callable[[], dict],
                 capturer: Capturer | None = None, explain: Callable[[str], None] | None = None) -> None:
        """``explain(text)``: tells the person something while a capture waits (the desktop asking
        whether seesay may take screenshots, on Wayland)."""
        self._window = window
        self._on_request = on_request
        self._on_error = on_error
        self._values = values
        self._from_thread = _FromCaptureThread(self._captured, explain)
        self._capturer = capturer or create_capturer(self._from_thread.explain.emit)
        #: A capture is being taken on its own thread (only capturers that answer later).
        self._in_flight = False
        self._pending_kind: str | None = None
        self._pending_detail = False
        #: For a "rect" capture: the rectangle and the label said first.
        self._pending_area: tuple[Rect, str | None] | None = None
        self._last: tuple[DescribeRequest, float] | None = None
        self._last_capture = 0.0
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_pending)
        self._concealer = WindowConcealer(window)
        self.captures = 0

    def schedule(self, kind: str, detail: bool = False) -> None:
        """``detail``: also describe the capture's regions with their place."""
        if detail and self._last is not None and self._pending_kind is None:
            last, taken = self._last
            self._last = None  # once: a third press is a new capture (and a held key is coalesced)
            if last.origin == kind and time.monotonic() - taken < REUSE_SECONDS:
                self._on_request(DescribeRequest(last.source, last.label, kind, note=last.note, context=last.context,
                                                 detail=True, about=last.id))
                return
        self._pending_kind = kind  # a newer press replaces one not yet captured
        self._pending_detail = detail
        if self._timer.isActive():
            return
        wait = self._last_capture + MIN_INTERVAL - time.monotonic()
        if wait > 0:
            self._timer.start(int(wait * 1000) + 1)
        else:
            self._run_pending()

    def schedule_area(self, rect: str, label: str | None = None) -> None:
        """Describe exactly the screen rectangle ``rect`` ("X,Y,WIDTH,HEIGHT", as a screen reader
        gives the location of the object it is on), ``label`` said first ("graphic, team photo").
        A rectangle that cannot be described is said to be so, before anything is hidden."""
        try:
            area = parse_rect(rect)
        except CaptureError as error:
            self._on_error(error)
            return
        self._pending_area = (area, label)
        self.schedule("rect")

    def _run_pending(self) -> None:
        kind, self._pending_kind = self._pending_kind, None
        if kind is None:
            return
        if self._in_flight:  # the desktop is still answering the last one: this one follows it
            self._pending_kind = kind
            return
        detail = self._pending_detail
        if kind == "clipboard":  # the same intake as pasting into the window (pictures or copied files)
            self._last_capture = time.monotonic()
            self._from_clipboard(detail)
            return
        if not self._concealer.concealed and self._concealer.conceal():
            self._pending_kind, self._pending_detail = kind, detail
            self._timer.start(HIDE_SETTLE_MS)  # capture once the desktop has repainted
            return
        self._last_capture = time.monotonic()
        try:
            take = self._capture_call(kind, self._values())
            if getattr(self._capturer, "answers_later", False):
                self._in_flight = True
                threading.Thread(target=self._take_in_thread, args=(take, (kind, detail), self._concealer.concealed),
                                 name="seesay-capture", daemon=True).start()
                return
            capture = take()
        except Exception as error:  # CaptureError, or mss failing in a way it does not name
            self._captured((kind, detail), error)
            return
        self._captured((kind, detail), capture)

    def _take_in_thread(self, take: Callable[[], Capture], asked: tuple[str, bool], concealed: bool = False) -> None:
        try:
            result = take()
            if concealed and _one_colour(result.image):
                # seesay's window was just hidden: a compositor may still be drawing what was beneath
                # it (seen under sway: a plain background where a full-screen window was), so a plain
                # capture is taken once more before "nothing to see" is said
                time.sleep(PLAIN_AGAIN_SECONDS)
                result = take()
        except Exception as error:  # CaptureError, or a D-Bus library failing in a way it does not name
            result = error
        self._from_thread.captured.emit(asked, result)

    def _captured(self, asked: tuple[str, bool], result: Capture | Exception) -> None:
        """On the GUI thread, with the capture or why there is none."""
        kind, detail = asked
        if self._in_flight:
            self._in_flight = False
            if self._pending_kind is not None:  # pressed while the desktop answered: captured next
                self._timer.start(0)
        self._concealer.reveal()
        if isinstance(result, Exception):
            self._on_error(result)
            return
        capture = result
        self.captures += 1
        context = capture.element or capture.window_title or capture.app_name or None
        # A rectangle from a screen reader is one element, as the focused one is: the pipeline
        # describes it as one picture (origin "focus"), not as a screen with a layout.
        origin = "focus" if kind == "rect" else kind
        request = DescribeRequest(capture.image, capture.label, origin, note=capture.note, context=context,
                                  detail=detail, drawn_at=capture.drawn_at)
        self._last = None if detail or kind == "rect" else (request, time.monotonic())
        self._on_request(request)

    def capture(self, kind: str, values: dict) -> Capture:
        """Capture the screen, mouse area or window right now (seesay's window, if showing, is in it)."""
        return self._capture_call(kind, values)()

    def _capture_call(self, kind: str, values: dict) -> Callable[[], Capture]:
        """The capture to take, with what only the GUI thread can know (the pointer, seesay's window,
        the screen's scale) read now: the call itself may run on another thread."""
        take, scale = self._capture_of(kind, values, pointer_in_screen_pixels()), desktop_scale()
        return lambda: replace(take(), drawn_at=scale)

    def _capture_of(self, kind: str, values: dict, point: tuple[int, int]) -> Callable[[], Capture]:
        capturer = self._capturer
        if kind == "screen":
            return lambda: capturer.screen(point, all_monitors=values.get("screen_area") == "all")
        if kind == "mouse":
            return lambda: capturer.region(point, int(values.get("mouse_area", 500)))
        if kind == "window":
            own = {int(self._window.winId())}
            return lambda: capturer.window(point, own)
        if kind == "focus":
            return lambda: capturer.focus(point, int(values.get("mouse_area", 500)), own_pid=os.getpid())
        if kind == "rect" and self._pending_area is not None:
            area, self._pending_area = self._pending_area, None
            return lambda: capturer.area(*area)
        raise CaptureError(_("Unknown capture {kind}.").format(kind=kind))

    def _from_clipboard(self, detail: bool) -> None:
        result = intake.from_mime(QApplication.clipboard().mimeData(), "clipboard")
        if result.refusals:
            self._on_error(CaptureError(" ".join(result.refusals)))
        for request in result.requests:
            self._on_request(replace(request, detail=detail))


def pointer_in_screen_pixels() -> tuple[int, int]:
    """Where the mouse is, in the screen's own pixels: what mss captures in, and what window
    managers, AT-SPI and screen readers give rectangles in.

    Qt gives logical pixels. Under desktop scaling (QT_SCALE_FACTOR, GNOME/KDE scaling through Qt,
    Windows at 150%) those are the real ones divided by the scale, measured from the top-left corner
    of the screen the pointer is on, which Qt keeps in real pixels. macOS works in points throughout
    (Quartz, and mss with it), so nothing is scaled there."""
    pointer = QCursor.pos()
    screen = _pointer_screen()
    if screen is None or sys.platform == "darwin":
        return pointer.x(), pointer.y()
    origin, ratio = screen.geometry().topLeft(), screen.devicePixelRatio()
    return (round(origin.x() + (pointer.x() - origin.x()) * ratio),
            round(origin.y() + (pointer.y() - origin.y()) * ratio))


def desktop_scale() -> float | None:
    """The scale the desktop draws its programs at on the screen the pointer is on (1.5 at 150%),
    as Qt has it from the system (X11's Xft.dpi, Windows' DPI, Wayland's output scale), without a
    QT_SCALE_FACTOR given to seesay alone; None on macOS (Quartz, and mss with it, work in points)."""
    screen = _pointer_screen()
    if screen is None or sys.platform == "darwin":
        return None
    try:
        own = float(os.environ.get("QT_SCALE_FACTOR") or 1) or 1.0
    except ValueError:
        own = 1.0
    return round(screen.devicePixelRatio() / own, 2)


def _pointer_screen():
    """The screen the mouse pointer is on (the first, if Qt cannot tell; None without one)."""
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def _one_colour(image) -> bool:
    """Every pixel the same colour, give or take a level (a background with nothing on it)."""
    return all(high - low <= 2 for low, high in image.convert("RGB").getextrema())
