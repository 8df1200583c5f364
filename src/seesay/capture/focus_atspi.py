"""The focused element through AT-SPI, the accessibility bus Orca reads on Linux.

AT-SPI has no "which element has focus" call: the tree is walked from the desktop, through the
application whose window is active, down the branches that are showing, to the element whose
state says FOCUSED. The walk is bounded (elements and time) so a huge web page cannot stall
the capture. D-Bus is spoken with jeepney (pure Python, no GLib), on a private connection to
the accessibility bus that is opened for the lookup and closed after it.
"""

from __future__ import annotations

import time

from seesay.capture.base import Rect
from seesay.capture.focus import FocusedElement, FocusUnavailable
from seesay.core.i18n import _

REGISTRY = "org.a11y.atspi.Registry"
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
#: AT-SPI state bits (AtspiStateType)
ACTIVE, FOCUSED, SHOWING = 1, 12, 25
#: The walk stops after this many elements or seconds.
MAX_ELEMENTS = 4000
MAX_SECONDS = 1.5
CALL_TIMEOUT = 0.5


def find_focused_atspi(own_pid: int | None = None) -> FocusedElement:
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        raise FocusUnavailable(_("the D-Bus library jeepney is missing")) from None
    try:
        with open_dbus_connection(bus="SESSION") as session:
            reply = session.send_and_get_reply(new_method_call(
                DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus"), "GetAddress"),
                timeout=CALL_TIMEOUT)
            address = _body(reply)[0]
    except FocusUnavailable:
        raise
    except Exception as error:  # no session bus, no AT-SPI bus launcher
        raise FocusUnavailable(_("the accessibility bus is not running ({detail})").format(
            detail=type(error).__name__)) from None
    try:
        with open_dbus_connection(bus=address) as bus:
            return _Walk(bus, new_method_call, DBusAddress, own_pid).find()
    except FocusUnavailable:
        raise
    except Exception as error:  # the bus went away, a program answered nonsense
        raise FocusUnavailable(_("the accessibility bus did not answer ({detail})").format(
            detail=type(error).__name__)) from None


def _body(reply):
    from jeepney import MessageType

    if reply.header.message_type == MessageType.error:
        raise RuntimeError(str(reply.body[0]) if reply.body else "D-Bus error")
    return reply.body


class _Walk:
    def __init__(self, bus, new_method_call, address_type, own_pid) -> None:
        self._bus, self._call, self._address = bus, new_method_call, address_type
        self._own_pid = own_pid
        self._visited = 0
        self._deadline = time.monotonic() + MAX_SECONDS

    def find(self) -> FocusedElement:
        applications = [app for app in self._children((REGISTRY, ROOT)) if not self._is_own(app)]
        if not applications:
            raise FocusUnavailable(_("no program shows its controls on the accessibility bus"))
        # the application with the active window first: that is where the keyboard is
        ordered = sorted(applications, key=lambda app: not any(
            self._has(window, ACTIVE) for window in self._children(app)))
        for application in ordered:
            found = self._search(application)
            if found is not None:
                return self._describe(found, application)
        raise FocusUnavailable(_("no element has keyboard focus"))

    def _search(self, start):
        """Depth first, through what is showing, to the first element with focus."""
        stack = [start]
        while stack:
            if self._visited >= MAX_ELEMENTS or time.monotonic() > self._deadline:
                raise FocusUnavailable(_("the accessibility tree is too large to search in time"))
            node = stack.pop()
            self._visited += 1
            states = self._states(node)
            if node is not start and FOCUSED in states:
                return node
            if node is start or SHOWING in states:
                stack.extend(reversed(self._children(node)))
        return None

    def _describe(self, node, application) -> FocusedElement:
        left, top, width, height = self._invoke(node, COMPONENT, "GetExtents", "u", (0,))[0]  # 0: on the screen
        if width <= 1 or height <= 1:
            raise FocusUnavailable(_("the focused element has no size on the screen"))
        role = self._invoke(node, ACCESSIBLE, "GetRoleName")[0]  # "image", "push button": AT-SPI's own words
        return FocusedElement(Rect(int(left), int(top), int(width), int(height)), str(role), self._name(node),
                              app_name=self._name(application) or None)

    # ---- D-Bus calls -----------------------------------------------------------------------
    def _invoke(self, node, interface, method, signature=None, args=()):
        name, path = node
        message = self._call(self._address(path, bus_name=name, interface=interface), method, signature, args)
        return _body(self._bus.send_and_get_reply(message, timeout=CALL_TIMEOUT))

    def _children(self, node) -> list[tuple[str, str]]:
        try:
            return [tuple(child) for child in self._invoke(node, ACCESSIBLE, "GetChildren")[0]]
        except Exception:  # an application that quit in the meantime
            return []

    def _states(self, node) -> set[int]:
        try:
            words = self._invoke(node, ACCESSIBLE, "GetState")[0]
        except Exception:
            return set()
        return {index * 32 + bit for index, word in enumerate(words) for bit in range(32) if word >> bit & 1}

    def _has(self, node, state: int) -> bool:
        return state in self._states(node)

    def _name(self, node) -> str:
        try:
            value = self._invoke(node, "org.freedesktop.DBus.Properties", "Get", "ss", (ACCESSIBLE, "Name"))[0]
        except Exception:
            return ""
        return str(value[1] if isinstance(value, tuple) else value)

    def _is_own(self, node) -> bool:
        if self._own_pid is None:
            return False
        try:
            message = self._call(self._address("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                                               interface="org.freedesktop.DBus"),
                                 "GetConnectionUnixProcessID", "s", (node[0],))
            return _body(self._bus.send_and_get_reply(message, timeout=CALL_TIMEOUT))[0] == self._own_pid
        except Exception:
            return False

