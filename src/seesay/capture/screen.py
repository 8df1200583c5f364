"""Screen, region and window capture with mss (X11, Windows, macOS)."""

from __future__ import annotations

import os
import sys

from PIL import Image

from seesay.capture.base import Capture, CaptureError, Rect
from seesay.capture.windows import ActiveWindow, find_active_window
from seesay.core.i18n import _



def unavailable_reason() -> str | None:
    """Why screen capture cannot work here, or None when it can."""
    if sys.platform.startswith("linux"):
        if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
            return _("This is a Wayland session without X11, where seesay cannot see the screen yet. "
                     "Describe a screenshot instead: take one with your desktop's shortcut and paste it (Ctrl+V), "
                     "or bind a key to: seesay --describe clipboard")
        if not os.environ.get("DISPLAY"):
            return _("There is no display to capture.")
    if sys.platform == "darwin":
        from seesay.capture.macos_permissions import screen_recording_allowed

        if screen_recording_allowed(ask=True) is False:
            # the first sentence is what ``seesay doctor`` shows: it names the setting
            return _("macOS has not allowed seesay to record the screen: turn seesay on in System Settings, "
                     "Privacy & Security, Screen Recording, then quit and start seesay again. Until then "
                     "it would see only the desktop background.")
    return None


#: A rectangle narrower or lower than this is too small to describe (a line, a dot).
MIN_RECT_SIDE = 8
#: How much of a rectangle's text, or of a label, is repeated back (it comes from another program).
ECHO_CHARS = 40
LABEL_CHARS = 200


def parse_rect(text: str) -> Rect:
    """``"X,Y,WIDTH,HEIGHT"`` in screen pixels (as a screen reader gives an object's location), or
    ``CaptureError`` with a message that says what is wrong with it, to be spoken."""
    shown = " ".join(str(text).split())[:ECHO_CHARS] or _("(none)")
    try:
        left, top, width, height = (int(part) for part in str(text).replace(" ", "").split(","))
    except ValueError:
        raise CaptureError(_("The rectangle {rect} is not four whole numbers: X,Y,WIDTH,HEIGHT in screen pixels, "
                             "for example 100,200,640,480.").format(rect=shown)) from None
    if width <= 0 or height <= 0:
        raise CaptureError(_("The rectangle {rect} has no area: its width and height must be more than 0.")
                           .format(rect=shown))
    if width < MIN_RECT_SIDE or height < MIN_RECT_SIDE:
        raise CaptureError(_("The rectangle {rect} is too small to describe: it must be at least {size} pixels wide "
                             "and high.").format(rect=shown, size=MIN_RECT_SIDE))
    return Rect(left, top, width, height)


def clean_label(label: str | None) -> str | None:
    """A label from another program (a screen reader's role and name), on one line and not too long."""
    text = " ".join(str(label or "").split())[:LABEL_CHARS].strip(" :")
    return text or None


class MssCapturer:
    name = "mss"

    def monitors(self) -> list[Rect]:
        with self._mss() as grabber:
            return [Rect(m["left"], m["top"], m["width"], m["height"]) for m in grabber.monitors]

    def screen(self, pointer: tuple[int, int] | None, all_monitors: bool = False) -> Capture:
        """The monitor under the pointer (or all monitors together)."""
        active = find_active_window()  # its name is said first, for context
        return Capture(self._monitor_image(pointer, all_monitors), "screen", _("screen"),
                       window_title=active.title if active else None, app_name=active.app_name if active else None)

    def _monitor_image(self, pointer: tuple[int, int] | None, all_monitors: bool = False) -> Image.Image:
        monitors = self.monitors()
        if all_monitors or len(monitors) == 1:
            return self.grab(monitors[0])
        return self.grab(next((m for m in monitors[1:] if pointer and m.contains(*pointer)), monitors[1]))

    def region(self, pointer: tuple[int, int], size: int) -> Capture:
        """A square of ``size`` pixels centred on the pointer, moved to stay on its monitor."""
        monitors = self.monitors()
        monitor = next((m for m in monitors[1:] if m.contains(*pointer)), monitors[0])
        square = Rect(pointer[0] - size // 2, pointer[1] - size // 2, size, size).clamp_inside(monitor)
        return Capture(self.grab(square), "mouse", _("area under the mouse"))

    def focus(self, pointer: tuple[int, int], fallback_size: int, own_pid: int | None = None) -> Capture:
        """Exactly the element with keyboard focus, its role and name said first ("Image, team
        photo:"); the area under the mouse, with the reason, when no focus can be found."""
        from seesay.capture.focus import FocusUnavailable, find_focused

        try:
            element = find_focused(own_pid)
        except FocusUnavailable as reason:
            area = self.region(pointer, fallback_size)
            note = _("No element with keyboard focus could be found: {reason}. The area under the mouse is "
                     "described instead.").format(reason=str(reason))
            return Capture(area.image, "focus", area.label, note=note)
        monitors = self.monitors()
        visible = element.rect.clamp_inside(monitors[0])
        return Capture(self.grab(visible), "focus", _("focused element"), element=element.spoken() + ":",
                       app_name=element.app_name)

    def area(self, rect: Rect, label: str | None = None) -> Capture:
        """Exactly ``rect`` (cut to the screen), said with ``label`` first, as a focused element is:
        what a screen reader sends for the object it is on ("graphic, team photo")."""
        desktop = self.monitors()[0]
        visible = rect.intersection(desktop)
        if visible is None or visible.width < MIN_RECT_SIDE or visible.height < MIN_RECT_SIDE:
            raise CaptureError(_("The rectangle {rect} is outside the screen, which is {width} by {height} pixels "
                                 "from {left},{top}.").format(
                rect=f"{rect.left},{rect.top},{rect.width},{rect.height}", width=desktop.width,
                height=desktop.height, left=desktop.left, top=desktop.top))
        label = clean_label(label)
        return Capture(self.grab(visible), "rect", label or _("screen area"), element=f"{label}:" if label else None)

    def window(self, pointer: tuple[int, int] | None, own_window_ids: set[int] = frozenset()) -> Capture:
        """The active window; the monitor under the pointer, with a note, when it cannot be found."""
        active: ActiveWindow | None = find_active_window()
        if active is None or active.id in own_window_ids or active.rect.width < 2 or active.rect.height < 2:
            note = (_("seesay's own window was active, so the whole screen is described.")
                    if active is not None and active.id in own_window_ids
                    else _("The active window could not be found, so the whole screen is described."))
            return Capture(self._monitor_image(pointer), "window", _("screen"), note=note)
        screen_rect = self.monitors()[0]
        visible = active.rect.clamp_inside(screen_rect)  # unchanged when it is already on the screen
        label = _("window {title}").format(title=active.title) if active.title else _("active window")
        return Capture(self.grab(visible), "window", label, window_title=active.title, app_name=active.app_name)

    def grab(self, area: Rect) -> Image.Image:
        with self._mss() as grabber:
            shot = grabber.grab({"left": area.left, "top": area.top, "width": area.width, "height": area.height})
            return Image.frombytes("RGB", shot.size, shot.bgra, "raw", "BGRX")

    @staticmethod
    def _mss():
        reason = unavailable_reason()
        if reason:
            raise CaptureError(reason)
        try:
            import mss

            factory = getattr(mss, "MSS", None) or mss.mss
            return factory()
        except Exception as error:  # ScreenShotError: cannot connect to the display
            raise CaptureError(_("The screen could not be captured ({detail}).").format(detail=error)) from None

