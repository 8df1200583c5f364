"""Which window is active, and where: X11 through EWMH (_NET_ACTIVE_WINDOW), Windows through
user32 (GetForegroundWindow), macOS through Quartz's window list. None when it cannot be
told (no EWMH window manager, Wayland): window capture then falls back to the screen and says so.

Only the X11 lookup can be exercised on the Linux test machines; the Windows and macOS ones
follow their platforms' documented APIs and fail soft (None) if anything is missing.
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
    lookup = None
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY"):
        lookup = _x11_active_window
    elif sys.platform == "win32":
        lookup = _windows_active_window
    elif sys.platform == "darwin":
        lookup = _macos_active_window
    if lookup is None:
        return None
    try:
        return lookup()
    except Exception:  # a missing library, no EWMH window manager, a window that just closed
        log.info("active window lookup failed", exc_info=True)
        return None


def _windows_active_window() -> ActiveWindow | None:
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = user32.GetForegroundWindow()
    if not handle:
        return None
    rect = wintypes.RECT()
    user32.GetWindowRect(handle, ctypes.byref(rect))
    length = user32.GetWindowTextLengthW(handle)
    title = ctypes.create_unicode_buffer(length + 1)
    user32.GetWindowTextW(handle, title, length + 1)
    process_id = wintypes.DWORD()
    user32.GetWindowThreadProcessId(handle, ctypes.byref(process_id))
    app_name = ""
    process = kernel32.OpenProcess(0x1000, False, process_id.value)  # PROCESS_QUERY_LIMITED_INFORMATION
    if process:
        size = wintypes.DWORD(1024)
        path = ctypes.create_unicode_buffer(size.value)
        if kernel32.QueryFullProcessImageNameW(process, 0, path, ctypes.byref(size)):
            app_name = os.path.splitext(os.path.basename(path.value))[0]
        kernel32.CloseHandle(process)
    return ActiveWindow(id=int(handle), rect=Rect(rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top),
                        title=title.value, app_name=app_name)


def _macos_active_window() -> ActiveWindow | None:
    from AppKit import NSWorkspace  # pyobjc-framework-Cocoa
    from Quartz import (  # pyobjc-framework-Quartz
        CGWindowListCopyWindowInfo,
        kCGNullWindowID,
        kCGWindowListExcludeDesktopElements,
        kCGWindowListOptionOnScreenOnly,
    )

    front = NSWorkspace.sharedWorkspace().frontmostApplication()
    windows = CGWindowListCopyWindowInfo(kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
                                         kCGNullWindowID)
    for info in windows or []:  # front to back: the first normal window of the frontmost app
        if info.get("kCGWindowOwnerPID") == front.processIdentifier() and info.get("kCGWindowLayer") == 0:
            bounds = info["kCGWindowBounds"]
            return ActiveWindow(id=int(info["kCGWindowNumber"]),
                                rect=Rect(int(bounds["X"]), int(bounds["Y"]), int(bounds["Width"]),
                                          int(bounds["Height"])),
                                title=str(info.get("kCGWindowName") or ""), app_name=str(front.localizedName()))
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
