"""Which window is active, and where: X11 through EWMH (_NET_ACTIVE_WINDOW); None elsewhere.

Windows and macOS get their own lookups in a later step; until then window capture falls
back to the monitor under the pointer and says so.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

from seesay.capture.base import Rect

log = logging.getLogger("seesay.capture")


@dataclass(frozen=True)
class ActiveWindow:
    id: int
    rect: Rect
    title: str
    app_name: str


def find_active_window() -> ActiveWindow | None:
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY"):
        try:
            return _x11_active_window()
        except Exception:  # no python-xlib, no EWMH window manager, a window that just closed
            log.info("active window lookup failed", exc_info=True)
    return None


def _x11_active_window() -> ActiveWindow | None:
    from Xlib import X, display

    screen_display = display.Display()
    try:
        root = screen_display.screen().root
        active = root.get_full_property(screen_display.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
        if active is None or not active.value or not active.value[0]:
            return None
        window = screen_display.create_resource_object("window", int(active.value[0]))
        geometry = window.get_geometry()
        origin = window.translate_coords(root, 0, 0)
        title_property = window.get_full_property(screen_display.intern_atom("_NET_WM_NAME"),
                                                  screen_display.intern_atom("UTF8_STRING"))
        title = title_property.value.decode("utf-8", "replace") if title_property else (window.get_wm_name() or "")
        wm_class = window.get_wm_class() or ("", "")
        return ActiveWindow(id=int(active.value[0]), rect=Rect(-origin.x, -origin.y, geometry.width, geometry.height),
                            title=str(title), app_name=str(wm_class[-1] or ""))
    finally:
        screen_display.close()
