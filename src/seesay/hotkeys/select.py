"""Pick the hotkey backend: RegisterHotKey on Windows, pynput where it can listen (X11, macOS), the
desktop's GlobalShortcuts portal on Wayland where it offers one, else a no-op one that explains why."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from seesay.core.i18n import _
from seesay.hotkeys.base import HotkeyBackend
from seesay.hotkeys.null_backend import NoHotkeys

log = logging.getLogger("seesay.hotkeys")



def os_shortcut_hint() -> str:
    return _("Bind keys in your desktop's keyboard settings to commands such as "
             "\u201cseesay --describe screen\u201d (see the README).")


#: How long start-up waits to learn whether the desktop offers the GlobalShortcuts portal.
PORTAL_PROBE_SECONDS = 2.0


def create_hotkeys(report: Callable[[str], None] | None = None) -> HotkeyBackend:
    """``report(text)``: what the person should hear about the keys later (from the backend's thread)."""
    if sys.platform.startswith("linux"):
        from seesay.capture.select import is_wayland_session

        # on Wayland, even with Xwayland's DISPLAY: pynput would hear keys only while an X program has focus
        if is_wayland_session() and wayland_shortcuts_portal_version() is not None:
            from seesay.hotkeys.portal_backend import PortalShortcuts

            return PortalShortcuts(report)
        if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
            return NoHotkeys(_("Global shortcuts are not available on Wayland.") + " " + os_shortcut_hint())
        if not os.environ.get("DISPLAY"):
            return NoHotkeys(_("Global shortcuts need a display.") + " " + os_shortcut_hint())
    if sys.platform == "win32":  # RegisterHotKey, not a keyboard hook in a busy process (see windows_backend)
        from seesay.hotkeys.windows_backend import WindowsHotkeys

        return WindowsHotkeys()
    try:
        import pynput  # noqa: F401  (checks it is installed; the keyboard part is imported on start)
    except Exception as error:  # not installed, or its platform backend failed
        log.warning("pynput unavailable: %s", error)
        return NoHotkeys(_("Global shortcuts are off: pynput could not be loaded ({detail}).").format(
            detail=error) + " " + os_shortcut_hint())
    from seesay.hotkeys.pynput_backend import PynputHotkeys

    return PynputHotkeys()


def wayland_shortcuts_portal_version(timeout: float = PORTAL_PROBE_SECONDS) -> int | None:
    """The version of the desktop's GlobalShortcuts portal, or None when it offers none."""
    from seesay.capture.base import CaptureError
    from seesay.capture.portal import portal_version

    try:
        return portal_version("org.freedesktop.portal.GlobalShortcuts", timeout)
    except CaptureError:
        return None
