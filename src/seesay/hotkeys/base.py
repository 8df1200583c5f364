"""The interface every global-hotkey backend offers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

#: ``trigger(command_id)``, called on the backend's own thread.
Trigger = Callable[[str], None]


class HotkeyBackend(Protocol):
    name: str

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        """Listen for ``bindings`` (command id -> keys); returns a message per binding that failed."""

    def stop(self) -> None: ...
