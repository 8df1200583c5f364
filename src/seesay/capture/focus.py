"""The element that has keyboard focus, from the platform's accessibility API.

A screen-reader user works where the focus is, not where the mouse is. ``find_focused`` asks
the platform's accessibility API (AT-SPI on Linux, UI Automation on Windows, the AX API on
macOS) for the focused element, its role, name and bounds; the caller captures exactly those
bounds. Each lookup is a small backend; when none answers, the reason says why, and the
caller falls back to the area under the mouse.

Linux is run and tested here (AT-SPI under Xvfb); the Windows and macOS lookups are written
against their documented APIs and have not been run.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from seesay.capture.base import Rect
from seesay.core.i18n import _

log = logging.getLogger("seesay.capture")


@dataclass(frozen=True)
class FocusedElement:
    rect: Rect
    #: what kind of thing it is, as the platform names it ("image", "push button")
    role: str
    #: its accessible name ("" when it has none: an unlabelled button)
    name: str
    app_name: str | None = None

    def spoken(self) -> str:
        """"Image, team photo" / "Button, no label": what is said before its description."""
        known = ROLES.get(self.role.lower().replace("_", " "))
        role = _(known) if known else (self.role[:1].upper() + self.role[1:] if self.role else _("Element"))
        return _("{role}, {name}").format(role=role, name=self.name.strip() or _("no label"))


def N_(message: str) -> str:  # noqa: N802 - gettext "translate later"
    return message


#: How the roles people meet most are said (AT-SPI, UI Automation and AX names); others as the platform says them.
ROLES = {
    "image": N_("Image"), "graphic": N_("Image"), "icon": N_("Icon"), "axImage": N_("Image"),
    "push button": N_("Button"), "button": N_("Button"), "toggle button": N_("Toggle button"),
    "link": N_("Link"), "canvas": N_("Canvas"), "chart": N_("Chart"), "document frame": N_("Document"),
    "document web": N_("Web page"), "frame": N_("Window"), "panel": N_("Panel"), "list item": N_("List item"),
}


class FocusUnavailable(Exception):
    """No focused element could be found; the message says why (spoken before the fallback)."""


def find_focused(own_pid: int | None = None) -> FocusedElement:
    """The element with keyboard focus, not in seesay itself (``own_pid``). Raises ``FocusUnavailable``."""
    if sys.platform.startswith("linux"):
        from seesay.capture.focus_atspi import find_focused_atspi

        return find_focused_atspi(own_pid)
    if sys.platform == "win32":
        from seesay.capture.focus_windows import find_focused_uia

        return find_focused_uia()
    if sys.platform == "darwin":
        from seesay.capture.focus_macos import find_focused_ax

        return find_focused_ax()
    raise FocusUnavailable(_("this system offers no way to ask which element has focus"))
