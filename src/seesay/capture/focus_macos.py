"""The focused element through the macOS accessibility (AX) API: the system-wide element's
focused UI element, its position, size, role and title. Needs the Accessibility permission
seesay already asks for its global keys. Not run on these build machines, which have no Mac."""

from __future__ import annotations

from seesay.capture.base import Rect
from seesay.capture.focus import FocusedElement, FocusUnavailable
from seesay.core.i18n import _


def find_focused_ax() -> FocusedElement:
    try:
        import ApplicationServices as ax
    except ImportError:
        raise FocusUnavailable(_("the macOS accessibility library (pyobjc ApplicationServices) is missing")) from None

    def attribute(element, name):
        error, value = ax.AXUIElementCopyAttributeValue(element, name, None)
        return value if error == 0 else None

    focused = attribute(ax.AXUIElementCreateSystemWide(), ax.kAXFocusedUIElementAttribute)
    if focused is None:
        raise FocusUnavailable(_("no element has keyboard focus, or seesay may not use the Accessibility "
                                 "permission"))
    position, size = attribute(focused, ax.kAXPositionAttribute), attribute(focused, ax.kAXSizeAttribute)
    if position is None or size is None:
        raise FocusUnavailable(_("the focused element has no size on the screen"))
    _ok, point = ax.AXValueGetValue(position, ax.kAXValueCGPointType, None)
    _ok, extent = ax.AXValueGetValue(size, ax.kAXValueCGSizeType, None)
    if extent.width <= 1 or extent.height <= 1:
        raise FocusUnavailable(_("the focused element has no size on the screen"))
    name = attribute(focused, ax.kAXTitleAttribute) or attribute(focused, ax.kAXDescriptionAttribute) or ""
    role = attribute(focused, ax.kAXRoleDescriptionAttribute) or attribute(focused, ax.kAXRoleAttribute) or ""
    return FocusedElement(Rect(int(point.x), int(point.y), int(extent.width), int(extent.height)), str(role),
                          str(name))
