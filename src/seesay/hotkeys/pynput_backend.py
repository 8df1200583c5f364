"""Global hotkeys through pynput (X11, Windows, macOS).

pynput is imported only when the backend starts: its import fails without a display.
Callbacks run on pynput's listener thread; the app re-emits them as Qt signals.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

from seesay.core.i18n import _
from seesay.hotkeys.base import Trigger, checked_bindings

log = logging.getLogger("seesay.hotkeys")


class PynputHotkeys:
    name = "pynput"

    def __init__(self) -> None:
        self._listener = None

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        from pynput import keyboard  # raises ImportError without a display

        valid, problems = checked_bindings(bindings, keyboard.HotKey.parse)
        mapping = {keys: (lambda command_id=command_id: trigger(command_id))
                   for command_id, (keys, _name, _parsed) in valid.items()}
        if not mapping:
            return problems
        self._listener = keyboard.GlobalHotKeys(mapping)
        self._listener.start()
        ready = _became_ready(self._listener)
        if sys.platform == "darwin" and (not ready or getattr(self._listener, "IS_TRUSTED", True) is False):
            # pynput's listener runs but hears nothing without these (IS_TRUSTED: Accessibility);
            # without Input Monitoring its event tap is refused and the listener ends at once
            problems.append(_("macOS has not allowed seesay to watch the keyboard, so the global shortcuts do not "
                              "work: turn seesay on in System Settings, Privacy & Security, under Accessibility and "
                              "under Input Monitoring, then quit and start seesay again. Until then, use the tray "
                              "menu or the window."))
        elif not ready:
            problems.append(_("The global shortcuts could not be started on this desktop."))
        return problems

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener.join(2)
            self._listener = None


def _became_ready(listener, timeout: float = 3.0) -> bool:
    """pynput's own ``wait()`` has no timeout and never returns if the listener dies first."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and listener.is_alive() and not getattr(listener, "_ready", True):
        time.sleep(0.02)
    return listener.is_alive()
