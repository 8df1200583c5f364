"""The interface every global-hotkey backend offers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

#: ``trigger(command_id)``, called on the backend's own thread.
Trigger = Callable[[str], None]


class HotkeyBackend(Protocol):
    name: str

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        """Listen for ``bindings`` (command id -> keys); returns a message per binding that failed."""

    def stop(self) -> None: ...


def checked_bindings(bindings: Mapping[str, str], parse: Callable[[str], Any]
                     ) -> tuple[dict[str, tuple[str, str, Any]], list[str]]:
    """The bindings a backend can use: command id -> (keys, the command's name, ``parse(keys)``),
    and a message for each one it cannot (keys not understood, keys set for two commands)."""
    from seesay.core.commands import BY_ID, readable_keys
    from seesay.core.i18n import _

    valid: dict[str, tuple[str, str, Any]] = {}
    problems: list[str] = []
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for command_id, keys in bindings.items():
        if not keys:
            continue
        name = _(BY_ID[command_id].description) if command_id in BY_ID else command_id
        try:
            parsed = parse(keys)
        except ValueError:
            problems.append(_("The keys {keys} for \u201c{command}\u201d could not be understood; that shortcut "
                              "is off. Change it in Settings.").format(keys=keys, command=name))
            continue
        chord = frozenset(part for part in keys.lower().replace(" ", "").split("+") if part)  # any order
        if chord in seen:
            first_name, first_keys = seen[chord]
            problems.append(_("{keys} is set for both \u201c{first}\u201d and \u201c{second}\u201d; only the "
                              "first works.").format(keys=readable_keys(first_keys), first=first_name, second=name))
            continue
        seen[chord] = (name, keys)
        valid[command_id] = (keys, name, parsed)
    return valid, problems
