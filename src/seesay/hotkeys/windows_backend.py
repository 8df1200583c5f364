"""Global hotkeys on Windows through ``RegisterHotKey``, the API made for them.

Why not pynput's low-level keyboard hook there: a hook sees every key press on the system and
Windows waits for it to answer; a hook inside a busy Python process (a model loading, the GIL
held) delays every key the person types, and Windows silently removes a hook that does not answer
in time (``LowLevelHooksTimeout``), after which the keys do nothing. For someone whose only input
is the keyboard, both are unacceptable. ``RegisterHotKey`` costs nothing per key press: Windows
posts ``WM_HOTKEY`` only for the registered combinations, and it tells us when another program
already owns one (reported aloud, like every other problem).

A small thread of our own registers the keys (``hWnd`` NULL: ``WM_HOTKEY`` goes to the queue of the
thread that registered them), runs a ``GetMessageW`` loop and calls ``trigger`` for each press;
``stop()`` posts ``WM_QUIT`` to it and it unregisters the keys on its way out. Qt's native event
filter would also work, but would tie the backend to Qt and the GUI thread.

Written against the documented Win32 API (winuser.h); run on the Linux build machines only with
``user32`` stood in for (tests/unit/test_windows_hotkeys.py), since there is no Windows here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from seesay.core.i18n import _
from seesay.hotkeys.base import Trigger, checked_bindings

log = logging.getLogger("seesay.hotkeys")

MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x0001, 0x0002, 0x0004, 0x0008, 0x4000
WM_HOTKEY, WM_QUIT = 0x0312, 0x0012
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
MODIFIERS = {"ctrl": MOD_CONTROL, "ctrl_l": MOD_CONTROL, "ctrl_r": MOD_CONTROL, "alt": MOD_ALT, "alt_l": MOD_ALT,
             "alt_r": MOD_ALT, "alt_gr": MOD_ALT | MOD_CONTROL, "shift": MOD_SHIFT, "shift_l": MOD_SHIFT,
             "shift_r": MOD_SHIFT, "cmd": MOD_WIN, "cmd_l": MOD_WIN, "cmd_r": MOD_WIN}
#: pynput's names of special keys -> Windows virtual-key codes.
VIRTUAL_KEYS = {"space": 0x20, "enter": 0x0D, "tab": 0x09, "esc": 0x1B, "backspace": 0x08, "insert": 0x2D,
                "delete": 0x2E, "home": 0x24, "end": 0x23, "page_up": 0x21, "page_down": 0x22, "left": 0x25,
                "up": 0x26, "right": 0x27, "down": 0x28, "print_screen": 0x2C, "pause": 0x13, "menu": 0x5D,
                **{f"f{number}": 0x6F + number for number in range(1, 25)}}
#: Keys with the same virtual-key code on every layout (OEM keys such as ';' move between layouts).
PUNCTUATION = {",": 0xBC, "-": 0xBD, ".": 0xBE, "=": 0xBB}


def parse_keys(keys: str) -> tuple[int, int]:
    """pynput's syntax (``<ctrl>+<alt>+<shift>+d``) -> (modifiers, virtual-key code); ValueError."""
    parts = [part.strip().lower() for part in keys.replace(" ", "").split("+")]
    if not keys.strip() or any(not part for part in parts):
        raise ValueError(keys)
    modifiers, key = 0, None
    for part in parts:
        name = part[1:-1] if part.startswith("<") and part.endswith(">") else None
        if name in MODIFIERS:
            modifiers |= MODIFIERS[name]
            continue
        if key is not None:  # two keys that are not modifiers
            raise ValueError(keys)
        if name is not None and name in VIRTUAL_KEYS:
            key = VIRTUAL_KEYS[name]
        elif name is None and len(part) == 1 and (part.isascii() and part.isalnum()):
            key = ord(part.upper())  # VK_A..VK_Z and VK_0..VK_9 are the characters' codes
        elif name is None and part in PUNCTUATION:
            key = PUNCTUATION[part]
        else:
            raise ValueError(keys)
    if key is None:
        raise ValueError(keys)
    return modifiers, key


def windows_user32():
    """user32 and kernel32 with the argument types this backend uses (Windows only)."""
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)
    user32.RegisterHotKey.argtypes = (wintypes.HWND, ctypes.c_int, wintypes.UINT, wintypes.UINT)
    user32.RegisterHotKey.restype = wintypes.BOOL
    user32.UnregisterHotKey.argtypes = (wintypes.HWND, ctypes.c_int)
    user32.GetMessageW.argtypes = (ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT)
    user32.GetMessageW.restype = wintypes.BOOL
    user32.PostThreadMessageW.argtypes = (wintypes.DWORD, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM)
    user32.PeekMessageW.argtypes = (ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT,
                                    wintypes.UINT)
    return _Win32(user32, ctypes.WinDLL("kernel32"), ctypes, wintypes)


class _Win32:
    """The few calls the message loop makes, so that tests can stand in for them off Windows."""

    def __init__(self, user32, kernel32, ctypes, wintypes) -> None:
        self._user32, self._kernel32, self._ctypes, self._wintypes = user32, kernel32, ctypes, wintypes

    def current_thread_id(self) -> int:
        return self._kernel32.GetCurrentThreadId()

    def make_queue(self) -> None:
        """A thread has a message queue only once it calls a message function: make it now, so that
        ``stop()``'s WM_QUIT cannot be posted into nothing."""
        message = self._wintypes.MSG()
        self._user32.PeekMessageW(self._ctypes.byref(message), None, 0, 0, 0)  # PM_NOREMOVE

    def register(self, hotkey_id: int, modifiers: int, key: int) -> int:
        """0 when registered, else the Win32 error code."""
        if self._user32.RegisterHotKey(None, hotkey_id, modifiers, key):
            return 0
        return self._ctypes.get_last_error() or -1

    def unregister(self, hotkey_id: int) -> None:
        self._user32.UnregisterHotKey(None, hotkey_id)

    def next_message(self) -> tuple[int, int] | None:
        """(message, wParam), or None on WM_QUIT or an error."""
        message = self._wintypes.MSG()
        if self._user32.GetMessageW(self._ctypes.byref(message), None, 0, 0) <= 0:
            return None
        return message.message, message.wParam

    def post_quit(self, thread_id: int) -> None:
        self._user32.PostThreadMessageW(thread_id, WM_QUIT, 0, 0)


class WindowsHotkeys:
    name = "RegisterHotKey"

    def __init__(self, win32_factory=windows_user32) -> None:
        self._win32_factory = win32_factory
        self._win32 = None
        self._thread: threading.Thread | None = None
        self._thread_id = 0

    def start(self, bindings: Mapping[str, str], trigger: Trigger) -> list[str]:
        valid, problems = checked_bindings(bindings, parse_keys)
        if not valid:
            return problems
        self._win32 = win32 = self._win32_factory()
        registered = threading.Event()
        results: list[str] = []
        commands: dict[int, str] = {}

        def run() -> None:  # the hotkeys' own thread: registers, listens, unregisters
            self._thread_id = win32.current_thread_id()
            win32.make_queue()
            for hotkey_id, (command_id, (keys, name, (modifiers, key))) in enumerate(valid.items(), 1):
                error = win32.register(hotkey_id, modifiers | MOD_NOREPEAT, key)  # held: one press
                if error == 0:
                    commands[hotkey_id] = command_id
                elif error == ERROR_HOTKEY_ALREADY_REGISTERED:
                    results.append(_("{keys} for \u201c{command}\u201d is already used by another program, so that "
                                     "shortcut is off. Choose other keys in Settings.").format(
                        keys=readable(keys), command=name))
                else:
                    results.append(_("{keys} for \u201c{command}\u201d could not be set up (Windows error {code}); "
                                     "that shortcut is off.").format(keys=readable(keys), command=name, code=error))
            registered.set()
            try:
                while (message := win32.next_message()) is not None:
                    if message[0] == WM_HOTKEY and message[1] in commands:
                        trigger(commands[message[1]])
            finally:
                for hotkey_id in commands:
                    win32.unregister(hotkey_id)

        self._thread = threading.Thread(target=run, name="seesay-hotkeys", daemon=True)
        self._thread.start()
        if not registered.wait(5):
            log.warning("RegisterHotKey thread did not answer")
            return [*problems, _("The global shortcuts could not be started on this desktop.")]
        return [*problems, *results]

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._thread_id:
            self._win32.post_quit(self._thread_id)
        self._thread.join(2)
        self._thread, self._thread_id = None, 0


def readable(keys: str) -> str:
    from seesay.core.commands import readable_keys

    return readable_keys(keys)
