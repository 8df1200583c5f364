"""macOS's Screen Recording permission, asked through CoreGraphics with ctypes (no Qt, no pyobjc).

Without that permission macOS does not refuse a screenshot: it returns the desktop wallpaper
(and the menu bar), with every window left out, so seesay would describe an empty desktop.
``screen_recording_allowed`` tells that case apart, so capture can say what to do instead.

``CGPreflightScreenCaptureAccess`` and ``CGRequestScreenCaptureAccess`` exist from macOS 10.15
(earlier versions need no permission). The request shows the system's prompt only the first
time; after the user allows seesay in System Settings, macOS grants it from seesay's next start.
Written from Apple's documentation; it cannot run on the Linux build machines.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger("seesay.capture")

COREGRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"


def _coregraphics():
    try:
        return ctypes.cdll.LoadLibrary(COREGRAPHICS)
    except OSError:
        return None


def _bool_function(library, name: str):
    function = getattr(library, name, None)  # missing before macOS 10.15
    if function is not None:
        function.restype = ctypes.c_bool
        function.argtypes = []
    return function


def screen_recording_allowed(ask: bool = False) -> bool | None:
    """True or False on macOS 10.15 and later; None elsewhere, or when it cannot be told.

    With ``ask``, a first refusal also makes macOS show its permission prompt (once) and list
    seesay under Privacy & Security > Screen Recording.
    """
    if sys.platform != "darwin":
        return None
    library = _coregraphics()
    preflight = _bool_function(library, "CGPreflightScreenCaptureAccess") if library is not None else None
    if preflight is None:
        return None
    try:
        if preflight():
            return True
        request = _bool_function(library, "CGRequestScreenCaptureAccess") if ask else None
        return bool(request()) if request is not None else False
    except Exception:  # a foreign-function failure must never stop capture
        log.info("screen recording permission check failed", exc_info=True)
        return None
