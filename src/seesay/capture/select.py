"""Pick the screen capture backend for this session: the desktop portal on Wayland, mss on X11,
Windows and macOS, and one that only says why when there is no screen to capture.

A Wayland session is told by ``XDG_SESSION_TYPE=wayland`` or a ``WAYLAND_DISPLAY``. There, mss would
see only the programs that run through Xwayland (native windows come out black), so the portal is
used even when ``DISPLAY`` is set too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

from seesay.capture.base import Capture, CaptureError, Rect


class Capturer(Protocol):
    name: str

    def screen(self, pointer: tuple[int, int] | None, all_monitors: bool = False) -> Capture: ...

    def region(self, pointer: tuple[int, int], size: int) -> Capture: ...

    def window(self, pointer: tuple[int, int] | None, own_window_ids: set[int] = frozenset()) -> Capture: ...

    def focus(self, pointer: tuple[int, int], fallback_size: int, own_pid: int | None = None) -> Capture: ...

    def area(self, rect: Rect, label: str | None = None) -> Capture: ...


class NoCapture:
    """Every capture fails with the reason (spoken): the null backend at the end of the list."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def _refuse(self, *_args, **_kwargs) -> Capture:
        raise CaptureError(self.reason)

    screen = region = window = focus = area = _refuse


def is_wayland_session(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return sys.platform.startswith("linux") and (
        environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(environ.get("WAYLAND_DISPLAY")))


def create_capturer(explain: Callable[[str], None] | None = None) -> Capturer:
    """``explain(text)``: says something the person should know while a capture waits (the desktop
    asking for permission the first time)."""
    if is_wayland_session():
        from seesay.capture.wayland import WaylandCapturer

        return WaylandCapturer(explain)
    from seesay.capture.screen import MssCapturer, unavailable_reason

    reason = unavailable_reason()
    if reason and sys.platform.startswith("linux"):  # no display at all
        return NoCapture(reason)
    return MssCapturer()


def describe_capture_route(timeout: float = 5.0) -> tuple[str, str | None]:
    """The backend's name and why it cannot capture here (None when it can): for ``seesay doctor``."""
    if is_wayland_session():
        from seesay.capture.portal import portal_unavailable_reason

        return "portal", portal_unavailable_reason(timeout)
    from seesay.capture.screen import unavailable_reason

    return "mss", unavailable_reason()

