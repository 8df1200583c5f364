"""Windows global keys through RegisterHotKey (hotkeys/windows_backend.py). There is no Windows
here: the key parsing runs as it is; user32's four calls are stood in for by a queue that behaves
as the documented API does (WM_HOTKEY carries the id given to RegisterHotKey; a key another
program owns fails with ERROR_HOTKEY_ALREADY_REGISTERED)."""

from __future__ import annotations

import queue
import threading

import pytest

from seesay.hotkeys import windows_backend as win
from seesay.hotkeys.windows_backend import WindowsHotkeys, parse_keys


@pytest.mark.parametrize(("keys", "expected"), [
    ("<ctrl>+<alt>+<shift>+d", (win.MOD_CONTROL | win.MOD_ALT | win.MOD_SHIFT, ord("D"))),
    ("<cmd>+<f12>", (win.MOD_WIN, 0x7B)),
    ("<ctrl>+<alt>+7", (win.MOD_CONTROL | win.MOD_ALT, ord("7"))),
    ("<ctrl>+<shift>+<page_down>", (win.MOD_CONTROL | win.MOD_SHIFT, 0x22)),
    ("<alt>+,", (win.MOD_ALT, 0xBC)),
])
def test_keys_in_settings_syntax_become_modifiers_and_a_virtual_key(keys, expected):
    assert parse_keys(keys) == expected


@pytest.mark.parametrize("keys", ["", "<ctrl>+<alt>", "<ctrl>+dd", "<ctrl>+a+b", "<ctrl>+<nonsense>", "<ctrl>++d"])
def test_keys_that_cannot_be_registered_are_refused(keys):
    with pytest.raises(ValueError):
        parse_keys(keys)


class StandInUser32:
    """RegisterHotKey, UnregisterHotKey, GetMessageW and PostThreadMessageW, as documented."""

    def __init__(self, taken: set[tuple[int, int]]):
        self.taken, self.registered, self.messages = taken, {}, queue.Queue()
        self.thread_id = None

    def current_thread_id(self):
        self.thread_id = threading.get_ident()
        return self.thread_id

    def make_queue(self):
        pass

    def register(self, hotkey_id, modifiers, key):
        if (modifiers & ~win.MOD_NOREPEAT, key) in self.taken:
            return win.ERROR_HOTKEY_ALREADY_REGISTERED
        assert threading.get_ident() == self.thread_id  # WM_HOTKEY goes to the registering thread
        self.registered[hotkey_id] = (modifiers, key)
        return 0

    def unregister(self, hotkey_id):
        assert threading.get_ident() == self.thread_id
        del self.registered[hotkey_id]

    def next_message(self):
        return self.messages.get(timeout=10)

    def post_quit(self, thread_id):
        assert thread_id == self.thread_id
        self.messages.put(None)

    def press(self, modifiers, key):
        """What Windows does when the person presses a registered combination."""
        (hotkey_id,) = [number for number, (mods, vk) in self.registered.items()
                        if (mods & ~win.MOD_NOREPEAT, vk) == (modifiers, key)]
        self.messages.put((win.WM_HOTKEY, hotkey_id))


def test_registered_keys_trigger_their_command_and_a_key_another_program_owns_is_reported():
    chord = win.MOD_CONTROL | win.MOD_ALT | win.MOD_SHIFT
    user32 = StandInUser32(taken={(chord, ord("S"))})
    backend = WindowsHotkeys(win32_factory=lambda: user32)
    pressed = queue.Queue()
    problems = backend.start({"describe_screen": "<ctrl>+<alt>+<shift>+d", "stop": "<ctrl>+<alt>+<shift>+s",
                              "repeat": "<ctrl>+<alt>+<shift>+rr", "copy": ""}, pressed.put)
    assert problems == [
        "The keys <ctrl>+<alt>+<shift>+rr for \u201cRepeat the last description\u201d could not be understood; "
        "that shortcut is off. Change it in Settings.",
        "Ctrl+Alt+Shift+S for \u201cStop speaking\u201d is already used by another program, so that shortcut is off. "
        "Choose other keys in Settings.",
    ]
    assert all(modifiers & win.MOD_NOREPEAT for modifiers, _key in user32.registered.values())  # a held key: once
    user32.press(chord, ord("D"))
    assert pressed.get(timeout=5) == "describe_screen"
    backend.stop()
    assert user32.registered == {}  # given back to Windows when seesay stops or the keys change
    assert backend._thread is None
