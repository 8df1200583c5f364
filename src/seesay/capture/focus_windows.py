"""The focused element through UI Automation (Windows). Written against the documented COM API
(IUIAutomation::GetFocusedElement); not run on these build machines, which have no Windows."""

from __future__ import annotations

from seesay.capture.base import Rect
from seesay.capture.focus import FocusedElement, FocusUnavailable
from seesay.core.i18n import _


def find_focused_uia() -> FocusedElement:
    try:
        import comtypes.client

        comtypes.client.GetModule("UIAutomationCore.dll")
        from comtypes.gen.UIAutomationClient import CUIAutomation, IUIAutomation

        automation = comtypes.client.CreateObject(CUIAutomation, interface=IUIAutomation)
        element = automation.GetFocusedElement()
    except ImportError:
        raise FocusUnavailable(_("the UI Automation library (comtypes) is missing")) from None
    except Exception as error:  # COMError: no focus, an elevated program has it
        raise FocusUnavailable(_("UI Automation did not answer ({detail})").format(detail=type(error).__name__)) from None
    if element is None:
        raise FocusUnavailable(_("no element has keyboard focus"))
    box = element.CurrentBoundingRectangle
    width, height = box.right - box.left, box.bottom - box.top
    if width <= 1 or height <= 1:
        raise FocusUnavailable(_("the focused element has no size on the screen"))
    return FocusedElement(Rect(box.left, box.top, width, height), str(element.CurrentLocalizedControlType or ""),
                          str(element.CurrentName or ""))
