"""Keep seesay's own window out of a capture without taking the focus.

A capture hides seesay's window and shows it again. Showing a window used to activate it: a
window manager gives the focus to a window that is mapped (openbox's ``focusNew``, Windows'
foreground rules for the process that was last given input), so the person lost their place in
the program they were in and their screen reader announced a focus change they had not made.

Now the window is shown again *without activating* (``WA_ShowWithoutActivating``: on X11 Qt
maps it with ``_NET_WM_USER_TIME`` 0, which EWMH window managers read as "do not focus"; on
Windows it is shown with ``SW_SHOWNOACTIVATE``; on macOS it is ordered front without becoming
key). Only when seesay's own window was the active one is it activated again, so the focus
ends where it was (the window manager moved it to another window while seesay's was hidden, so
a screen reader may announce that window and then seesay's again; nothing can keep the focus
on a window that is not mapped).

Tried and rejected: moving the window beyond the edge of the screen instead of hiding it (no
unmap, so no focus change at all) -- openbox pulls a window that a program moves off the screen
back until a corner of it shows, and that corner was in the picture; making it transparent --
without a compositor (Xvfb, many lightweight X desktops) opacity changes nothing on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


SHOW_WITHOUT_ACTIVATING = "_q_showWithoutActivating"


class WindowConcealer:
    """``conceal()`` hides a showing window (True when it did); ``reveal()`` shows it again."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._concealed = False
        self._was_active = False

    @property
    def concealed(self) -> bool:
        return self._concealed

    def conceal(self) -> bool:
        window = self._window
        if self._concealed or not window.isVisible() or window.isMinimized():
            return False
        self._was_active = window.isActiveWindow()
        window.hide()
        self._concealed = True
        return True

    def reveal(self) -> None:
        if not self._concealed:
            return
        self._concealed = False
        window = self._window
        handle = window.windowHandle()
        # Qt copies WA_ShowWithoutActivating to its window's "_q_showWithoutActivating" property
        # only when the window is created; it is that property the platform reads at each show.
        attribute = Qt.WidgetAttribute.WA_ShowWithoutActivating
        had_attribute = window.testAttribute(attribute)
        before = handle.property(SHOW_WITHOUT_ACTIVATING) if handle is not None else None
        window.setAttribute(attribute, True)
        if handle is not None:
            handle.setProperty(SHOW_WITHOUT_ACTIVATING, True)
        window.show()
        window.setAttribute(attribute, had_attribute)  # later shows (Show window, the tray) activate it
        if handle is not None:
            handle.setProperty(SHOW_WITHOUT_ACTIVATING, bool(before))
        if self._was_active:  # the person was in seesay's window: the focus goes back to it
            window.activateWindow()
