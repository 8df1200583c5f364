"""Every command a key, the tray or another process can trigger, declared once.

Each command has an id (also used by ``seesay --describe KIND``), default global keys and a
translatable description: the tray menu, the window, the settings and the README all follow.

Default keys are Ctrl+Alt+Shift plus a letter. Screen readers own Insert/CapsLock (NVDA, JAWS,
Orca) and Windows owns Win+letter; Ctrl+Alt+letter is taken by many desktops (Ctrl+Alt+D shows
the desktop on some, Ctrl+Alt+T opens a terminal). Ctrl+Alt+Shift+letter is free in NVDA, JAWS,
Orca, Windows, GNOME and KDE defaults, and the letters are mnemonic.
"""

from __future__ import annotations

from dataclasses import dataclass

from seesay.core.i18n import _


def N_(message: str) -> str:  # noqa: N802 - gettext "translate later"
    return message


@dataclass(frozen=True)
class Command:
    id: str
    #: pynput's hotkey syntax
    default_keys: str
    description: str
    #: For ``describe_*``: the capture kind.
    capture: str | None = None
    #: The help of its keys' setting and flag (``--hotkey-describe-screen``).
    keys_help: str = ""

    @property
    def setting_key(self) -> str:
        return f"hotkey_{self.id}"


COMMANDS: tuple[Command, ...] = (
    Command("describe_screen", "<ctrl>+<alt>+<shift>+d", N_("Describe the screen"), capture="screen",
            keys_help=N_("global keys that describe the screen")),
    Command("describe_window", "<ctrl>+<alt>+<shift>+w", N_("Describe the active window"), capture="window",
            keys_help=N_("global keys that describe the active window")),
    Command("describe_mouse", "<ctrl>+<alt>+<shift>+m", N_("Describe the area under the mouse"), capture="mouse",
            keys_help=N_("global keys that describe the area under the mouse pointer")),
    Command("describe_focus", "<ctrl>+<alt>+<shift>+f", N_("Describe the element with keyboard focus"),
            capture="focus", keys_help=N_("global keys that describe the element with keyboard focus")),
    Command("describe_clipboard", "<ctrl>+<alt>+<shift>+v", N_("Describe the clipboard image"), capture="clipboard",
            keys_help=N_("global keys that describe the clipboard image")),
    Command("ask", "<ctrl>+<alt>+<shift>+a", N_("Ask about the last picture"),
            keys_help=N_("global keys that open the question field, to ask about the last picture")),
    Command("stop", "<ctrl>+<alt>+<shift>+s", N_("Stop speaking"), keys_help=N_("global keys that stop speaking")),
    Command("repeat", "<ctrl>+<alt>+<shift>+r", N_("Repeat the last description"),
            keys_help=N_("global keys that repeat the last description")),
    Command("copy", "<ctrl>+<alt>+<shift>+c", N_("Copy the last description"),
            keys_help=N_("global keys that copy the last description to the clipboard")),
)
BY_ID = {command.id: command for command in COMMANDS}
BY_CAPTURE = {command.capture: command for command in COMMANDS if command.capture}


#: Key names as the person's keyboard labels them (German keyboards say Strg and Umschalt).
KEY_NAMES = {"ctrl": N_("Ctrl"), "alt": N_("Alt"), "shift": N_("Shift"), "cmd": N_("Cmd"), "space": N_("Space"),
             "enter": N_("Enter"), "esc": N_("Esc"), "tab": N_("Tab"), "backspace": N_("Backspace"),
             "delete": N_("Delete"), "insert": N_("Insert"), "home": N_("Home"), "end": N_("End"),
             "page_up": N_("Page Up"), "page_down": N_("Page Down"), "up": N_("Up"), "down": N_("Down"),
             "left": N_("Left"), "right": N_("Right")}


def readable_keys(keys: str) -> str:
    """``<ctrl>+<alt>+<shift>+d`` -> ``Ctrl+Alt+Shift+D`` (``Strg+Alt+Umschalt+D`` in German)."""
    parts = [part.strip("<>") for part in keys.split("+") if part]
    return "+".join(_(KEY_NAMES[part]) if part in KEY_NAMES else part.capitalize() if len(part) > 1 else part.upper()
                    for part in parts)
