"""Global keys on Wayland through the desktop's GlobalShortcuts portal
(``org.freedesktop.portal.GlobalShortcuts``: KDE Plasma, GNOME 48 and later, Hyprland).

A session is created, seesay's commands are bound to it with their keys as the preferred triggers
(the desktop may show them to the person to confirm or change), and the portal's ``Activated``
signal names the command when its keys are pressed. Everything runs on the backend's own thread:
the desktop may take as long as the person does. What the desktop refuses, or binds to other keys,
is told through ``report`` (spoken and shown by the app).

Written against the portal's documented interface (version 1 and 2) and run here only against a
stand-in portal on a private bus (tests/integration/test_portal_answers.py): no desktop that
implements GlobalShortcuts can run on the test machines.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from seesay.core.i18n import _
from seesay.hotkeys.base import Trigger, checked_bindings

log = logging.getLogger("seesay.hotkeys")

SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
SESSION = "org.freedesktop.portal.Session"
#: How long the desktop may take over binding (the person may be asked to confirm the keys).
BIND_TIMEOUT = 300.0
#: pynput's names for modifiers, and the XDG shortcuts specification's.
MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "cmd": "LOGO", "super": "LOGO", "alt_gr": "ALT"}


def xdg_trigger(keys: str) -> str:
    """seesay's keys ("<ctrl>+<alt>+<shift>+d") as the portal's preferred trigger ("CTRL+ALT+SHIFT+d")."""
    parts = [part.strip() for part in keys.split("+") if part.strip()]
    if not parts:
        raise ValueError(keys)
    named = []
    for part in parts:
        bare = part.strip("<>").lower()
        if part.startswith("<") and bare in MODIFIERS:
            named.append(MODIFIERS[bare])
        elif part.startswith("<"):
            named.append(bare[:1].upper() + bare[1:] if len(bare) > 1 else bare)  # <f5> -> F5
        elif len(part) == 1:
            named.append(part.lower())
        else:
            raise ValueError(keys)
    if named[-1] in MODIFIERS.values():
        raise ValueError(keys)
    return "+".join(named)


class PortalShortcuts:
    name = "GlobalShortcuts portal"

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        #: Called (on the backend's thread) with what the person should hear about the keys.
        self.report = report or (lambda text: log.warning("%s", text))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bus = None
        self._session: str | None = None

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        valid, problems = checked_bindings(bindings, xdg_trigger)
        if valid:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, args=(valid, trigger), name="seesay-shortcuts",
                                            daemon=True)
            self._thread.start()
        return problems

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    # ---- on the backend's thread ---------------------------------------------------------------
    def _run(self, valid: dict[str, tuple[str, str, str]], trigger: Trigger) -> None:
        from seesay.capture.base import CaptureError
        from seesay.capture.portal import session_bus

        try:
            with session_bus() as bus:
                session = self._create_session(bus)
                try:
                    self._bind(bus, session, valid)
                    self._listen(bus, session, trigger)
                finally:
                    self._close(bus, session)
        except CaptureError as error:
            self.report(_("Global shortcuts could not be set up through your desktop ({detail}).").format(
                detail=error.message))
        except TimeoutError:
            self.report(_("Your desktop did not answer seesay's request for global shortcuts."))
        except Exception as error:  # a portal answering in a way the documentation does not describe
            log.exception("GlobalShortcuts portal failed")
            self.report(_("Global shortcuts could not be set up through your desktop ({detail}).").format(
                detail=type(error).__name__))

    def _create_session(self, bus) -> str:
        from seesay.capture.base import CaptureError
        from seesay.capture.portal import ask

        code, results = ask(bus, SHORTCUTS, "CreateSession", "a{sv}", (),
                            {"session_handle_token": ("s", "seesay_keys")}, answer_timeout=30)
        if code != 0 or "session_handle" not in results:
            raise CaptureError(_("it refused a shortcuts session"))
        return str(results["session_handle"][1])

    def _bind(self, bus, session: str, valid: dict[str, tuple[str, str, str]]) -> None:
        from seesay.capture.portal import ask

        shortcuts = [(command, {"description": ("s", name), "preferred_trigger": ("s", wanted)})
                     for command, (_keys, name, wanted) in valid.items()]
        code, results = ask(bus, SHORTCUTS, "BindShortcuts", "oa(sa{sv})sa{sv}", (session, shortcuts, ""), {},
                            answer_timeout=BIND_TIMEOUT)
        if code != 0:
            self.report(_("Your desktop did not accept seesay's global shortcuts; bind keys to seesay --describe "
                          "commands in its keyboard settings instead (see the README)."))
            return
        bound = {command: dict(options) for command, options in results.get("shortcuts", ("a(sa{sv})", []))[1]}
        missing = [valid[command][1] for command in valid if command not in bound]
        if missing:
            self.report(_("Your desktop left these commands without keys: {commands}.").format(
                commands=", ".join(missing)))

    def _listen(self, bus, session: str, trigger: Trigger) -> None:
        from jeepney import MatchRule, message_bus

        from seesay.capture.portal import call

        rule = MatchRule(type="signal", interface=SHORTCUTS, member="Activated")
        with bus.filter(rule) as presses:
            call(bus, message_bus.AddMatch(rule))
            while not self._stop.is_set():
                try:
                    signal = bus.recv_until_filtered(presses, timeout=0.2)
                except TimeoutError:
                    continue
                if str(signal.body[0]) == session:
                    trigger(str(signal.body[1]))

    @staticmethod
    def _close(bus, session: str) -> None:
        from jeepney import DBusAddress, new_method_call

        from seesay.capture.portal import PORTAL

        try:
            bus.send(new_method_call(DBusAddress(session, bus_name=PORTAL, interface=SESSION), "Close"))
        except Exception:
            pass
