"""What a capture returns, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from seesay.core.errors import SeesayError

#: The kinds of capture a command can ask for.
KINDS = ("screen", "window", "mouse", "focus", "clipboard")


class CaptureError(SeesayError):
    """The screen (or window, or clipboard) could not be captured; the message says why."""


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.left + self.width and self.top <= y < self.top + self.height

    def intersection(self, other: "Rect") -> "Rect | None":
        """The part of this rectangle inside ``other``; None when they do not overlap."""
        left, top = max(self.left, other.left), max(self.top, other.top)
        right = min(self.left + self.width, other.left + other.width)
        bottom = min(self.top + self.height, other.top + other.height)
        return Rect(left, top, right - left, bottom - top) if right > left and bottom > top else None

    def clamp_inside(self, outer: "Rect") -> "Rect":
        """This rectangle moved (not shrunk, unless it is bigger) so that it lies inside ``outer``."""
        width, height = min(self.width, outer.width), min(self.height, outer.height)
        left = min(max(self.left, outer.left), outer.left + outer.width - width)
        top = min(max(self.top, outer.top), outer.top + outer.height - height)
        return Rect(left, top, width, height)


@dataclass(frozen=True)
class Capture:
    image: Image.Image
    kind: str
    #: What the user hears it called: "screen", "window Mousepad — notes.txt", "area under the mouse".
    label: str
    #: Said before the description when the capture is not quite what was asked for.
    note: str | None = None
    window_title: str | None = None
    app_name: str | None = None
    #: The focused element's role and name ("Image, team photo:"), said first instead of the window's.
    element: str | None = None
    #: The scale the desktop draws its programs at on the captured screen (1.5 at 150%), where known.
    drawn_at: float | None = None
