"""No global hotkeys: the app still starts, and says how to bind keys instead."""

from __future__ import annotations

from collections.abc import Mapping

from seesay.hotkeys.base import Trigger


class NoHotkeys:
    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        return [self.reason] if any(bindings.values()) else []

    def stop(self) -> None:
        pass
