"""Capture on Wayland: the whole desktop from the screenshot portal, the other scopes cut from it.

The portal gives the whole desktop, never a window or a spot. Where the compositor says where the
focused window and monitor are (sway), they are cut from the desktop; elsewhere the whole screen is
described (every monitor), with a note saying why where a window was asked for. Wayland tells no program where the mouse pointer is, or where
another program's windows are, so the area under the mouse and the focused element are described as
the whole screen, with that said first. A rectangle a screen reader gives is cut exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PIL import Image

from seesay.capture.base import Capture, CaptureError, Rect
from seesay.capture.portal import take_screenshot
from seesay.capture.screen import MIN_RECT_SIDE, clean_label
from seesay.core.i18n import _


def prompt_explanation() -> str:
    """Said when the desktop is slow to answer the first request: it is most likely asking the person."""
    return _("Your desktop is asking whether seesay may take screenshots. Choose Allow to have the screen "
             "described; the desktop remembers the answer, so it asks only once.")


class WaylandCapturer:
    name = "portal"
    #: The desktop answers a request later, by a D-Bus signal: the caller runs it off the GUI thread.
    answers_later = True

    def __init__(self, explain: Callable[[str], None] | None = None) -> None:
        #: Called with ``prompt_explanation()`` (on the capturing thread) while the desktop asks the person.
        self.explain = explain
        self._explained = False

    # ---- the scopes ----------------------------------------------------------------------------
    def screen(self, pointer: tuple[int, int] | None, all_monitors: bool = False) -> Capture:
        """The monitor with the focus where the compositor says which (sway), else every monitor."""
        desktop = self._desktop()
        if not all_monitors:
            from seesay.capture.sway import sway_focused_output

            found = sway_focused_output()
            if found is not None and found[0] != found[1]:  # more than one monitor
                visible = _in_pixels(found[0], found[1], desktop.size)
                if visible is not None:
                    return Capture(_cut(desktop, visible), "screen", _("screen"))
        return Capture(desktop, "screen", _("screen"))

    def region(self, pointer: tuple[int, int] | None, size: int) -> Capture:
        note = _("On Wayland seesay cannot tell where the mouse pointer is, so the whole screen is described.")
        return Capture(self._desktop(), "mouse", _("screen"), note=note)

    def focus(self, pointer: tuple[int, int] | None, fallback_size: int, own_pid: int | None = None) -> Capture:
        note = _("On Wayland seesay cannot tell where the focused element is on the screen, so the whole screen is "
                 "described.")
        return Capture(self._desktop(), "focus", _("screen"), note=note)

    def window(self, pointer: tuple[int, int] | None, own_window_ids: set[int] = frozenset()) -> Capture:
        from seesay.capture.sway import sway_focused_window

        found = sway_focused_window()
        desktop = self._desktop()
        if found is None:
            note = (_("The active window could not be found, so the whole screen is described.")
                    if os.environ.get("SWAYSOCK") or os.environ.get("I3SOCK") else  # sway, but no window has focus
                    _("This desktop does not tell seesay where the active window is, so the whole screen is "
                      "described."))
            return Capture(desktop, "window", _("screen"), note=note)
        window, pid, layout = found
        if pid == os.getpid() or window.id in own_window_ids:
            return Capture(desktop, "window", _("screen"),
                           note=_("seesay's own window was active, so the whole screen is described."))
        visible = _in_pixels(window.rect, layout, desktop.size)
        if visible is None:
            return Capture(desktop, "window", _("screen"), note=_(
                "The active window could not be found, so the whole screen is described."))
        label = _("window {title}").format(title=window.title) if window.title else _("active window")
        return Capture(_cut(desktop, visible), "window", label, window_title=window.title or None,
                       app_name=window.app_name or None)

    def area(self, rect: Rect, label: str | None = None) -> Capture:
        """Exactly ``rect`` in the desktop's pixels, said with ``label`` first (as on X11)."""
        desktop = self._desktop()
        bounds = Rect(0, 0, *desktop.size)
        visible = rect.intersection(bounds)
        if visible is None or visible.width < MIN_RECT_SIDE or visible.height < MIN_RECT_SIDE:
            raise CaptureError(_("The rectangle {rect} is outside the screen, which is {width} by {height} pixels "
                                 "from {left},{top}.").format(
                rect=f"{rect.left},{rect.top},{rect.width},{rect.height}", width=bounds.width, height=bounds.height,
                left=0, top=0))
        label = clean_label(label)
        return Capture(_cut(desktop, visible), "rect", label or _("screen area"),
                       element=f"{label}:" if label else None)

    # ---- the one screenshot each scope starts from -----------------------------------------------
    def _desktop(self) -> Image.Image:
        return take_screenshot(on_prompt=self._explain_prompt)

    def _explain_prompt(self) -> None:
        if self.explain is not None and not self._explained:
            self._explained = True  # once a run: a later slow answer is not another question
            self.explain(prompt_explanation())


def _in_pixels(rect: Rect, layout: Rect, size: tuple[int, int]) -> Rect | None:
    """``rect`` in the compositor's layout coordinates as a rectangle of the screenshot (which covers the
    whole layout, in pixels: more of them than layout units on a scaled output)."""
    if layout.width <= 0 or layout.height <= 0:
        return None
    scale_x, scale_y = size[0] / layout.width, size[1] / layout.height
    scaled = Rect(round((rect.left - layout.left) * scale_x), round((rect.top - layout.top) * scale_y),
                  round(rect.width * scale_x), round(rect.height * scale_y))
    visible = scaled.intersection(Rect(0, 0, *size))
    return visible if visible is not None and visible.width >= 2 and visible.height >= 2 else None


def _cut(picture: Image.Image, rect: Rect) -> Image.Image:
    return picture.crop((rect.left, rect.top, rect.left + rect.width, rect.top + rect.height))
