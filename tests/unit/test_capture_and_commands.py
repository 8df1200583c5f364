"""Capture geometry, platform reasons, commands as data, and the local command socket."""

from __future__ import annotations

import threading

import pytest

from seesay.capture.base import Rect
from seesay.capture.screen import unavailable_reason
from seesay.core import settings
from seesay.core.commands import BY_ID, COMMANDS, readable_keys
from seesay.hotkeys.null_backend import NoHotkeys
from seesay.hotkeys.select import create_hotkeys


def test_area_under_the_mouse_is_moved_inside_the_monitor_at_its_edges():
    monitor = Rect(0, 0, 1920, 1080)
    assert Rect(-100, -100, 500, 500).clamp_inside(monitor) == Rect(0, 0, 500, 500)
    assert Rect(1700, 900, 500, 500).clamp_inside(monitor) == Rect(1420, 580, 500, 500)
    assert Rect(700, 300, 500, 500).clamp_inside(monitor) == Rect(700, 300, 500, 500)
    assert Rect(0, 0, 3000, 3000).clamp_inside(monitor) == monitor
    second = Rect(1920, 0, 1280, 1024)  # a monitor to the right
    assert Rect(1800, 100, 400, 400).clamp_inside(second) == Rect(1920, 100, 400, 400)


def test_wayland_without_x_explains_instead_of_capturing_black(monkeypatch):
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.delenv("DISPLAY", raising=False)
    reason = unavailable_reason()
    assert "Wayland" in reason and "seesay --describe clipboard" in reason
    hotkeys = create_hotkeys()
    assert isinstance(hotkeys, NoHotkeys)
    assert "seesay --describe screen" in hotkeys.start({"describe_screen": "<ctrl>+<alt>+<shift>+d"}, print)[0]


def test_no_display_at_all(monkeypatch):
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    assert unavailable_reason() == "There is no display to capture."
    assert isinstance(create_hotkeys(), NoHotkeys)


def test_every_command_has_a_setting_and_readable_default_keys():
    for command in COMMANDS:
        assert settings.BY_KEY[command.setting_key].default == command.default_keys
        assert readable_keys(command.default_keys).startswith("Ctrl+Alt+Shift+")
    assert {c.capture for c in COMMANDS if c.capture} == {"screen", "window", "mouse", "focus", "clipboard"}
    assert len({c.default_keys for c in COMMANDS}) == len(COMMANDS)
    assert readable_keys(BY_ID["describe_screen"].default_keys) == "Ctrl+Alt+Shift+D"


def test_a_command_reaches_the_running_instance_over_the_local_socket(qapp_offscreen, tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from seesay.app.instance import InstanceServer, send_to_running

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    server = InstanceServer()
    assert server.listen()
    received = []
    server.received.connect(received.append)
    answers = []
    sender = threading.Thread(target=lambda: answers.append(send_to_running({"command": "describe", "kind": "mouse"})))
    sender.start()
    for _ in range(200):
        QCoreApplication.processEvents()
        if received and not sender.is_alive():
            break
        sender.join(0.01)
    server.close()
    assert received == [{"command": "describe", "kind": "mouse"}]
    assert answers == [True]
    assert send_to_running({"command": "stop"}) is False  # nobody listening any more


@pytest.fixture
def qapp_offscreen(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def test_ask_from_the_command_line_becomes_a_message_for_the_running_seesay():
    from seesay.cli import build_parser, remote_message

    parser = build_parser()
    assert remote_message(parser.parse_args(["--ask", "what color is it?"])) == {
        "command": "ask", "question": "what color is it?"}
    assert remote_message(parser.parse_args(["--ask"])) == {"command": "ask", "question": ""}
    assert remote_message(parser.parse_args([])) == {"command": "show"}


@pytest.mark.parametrize("trusted, alive", [(False, True), (True, False)])
def test_macos_without_keyboard_permission_says_which_settings_to_change(monkeypatch, trusted, alive):
    """macOS cannot run here: pynput's keyboard module is replaced by one that behaves as pynput does
    on a Mac without Accessibility (the listener runs, untrusted) or Input Monitoring (it ends at once)."""
    import sys
    import types

    from seesay.hotkeys import pynput_backend

    class Listener:
        IS_TRUSTED = trusted

        def __init__(self, mapping):
            self.mapping = mapping

        def start(self):
            pass

        def is_alive(self):
            return alive

        def stop(self):
            pass

        def join(self, timeout=None):
            pass

    fake = types.SimpleNamespace(HotKey=types.SimpleNamespace(parse=lambda keys: keys), GlobalHotKeys=Listener)
    monkeypatch.setitem(sys.modules, "pynput", types.SimpleNamespace(keyboard=fake))
    monkeypatch.setattr(pynput_backend.sys, "platform", "darwin")
    problems = pynput_backend.PynputHotkeys().start({"describe_screen": "<ctrl>+<alt>+<shift>+d"}, print)
    assert len(problems) == 1
    assert "Accessibility" in problems[0] and "Input Monitoring" in problems[0]


def test_the_focused_element_is_said_by_role_and_name():
    from seesay.capture.base import Rect
    from seesay.capture.focus import FocusedElement

    assert FocusedElement(Rect(0, 0, 10, 10), "image", "team photo").spoken() == "Image, team photo"
    assert FocusedElement(Rect(0, 0, 10, 10), "push button", "").spoken() == "Button, no label"
    assert FocusedElement(Rect(0, 0, 10, 10), "slider", "Volume").spoken() == "Slider, Volume"


def test_without_an_accessibility_bus_the_focus_lookup_says_why(monkeypatch, tmp_path):
    from seesay.capture.focus import FocusUnavailable, find_focused

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    with pytest.raises(FocusUnavailable, match="accessibility bus is not running"):
        find_focused()


def test_the_same_keys_written_in_another_order_are_one_chord():
    """"<shift>+<ctrl>+<alt>+d" is Ctrl+Alt+Shift+D: set for two commands, it is reported."""
    from seesay.hotkeys.base import checked_bindings

    valid, problems = checked_bindings({"describe_screen": "<ctrl>+<alt>+<shift>+d",
                                        "describe_window": "<shift>+<ctrl>+<alt>+D"}, parse=lambda keys: keys)
    assert list(valid) == ["describe_screen"]
    assert problems == ["Ctrl+Alt+Shift+D is set for both \u201cDescribe the screen\u201d and "
                        "\u201cDescribe the active window\u201d; only the first works."]


def test_saved_settings_of_the_wrong_kind_are_refused_with_a_message(tmp_path):
    """null or false saved for a folder became a folder named "None" or "False"."""
    import json

    from seesay.core import config

    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"speech_dir": None, "model_dir": False, "rate": True, "font_size": 40,
                                "theme": "white-on-black", "text_words": "60"}))
    values, problems = config.load_saved(path)
    assert values == {"font_size": 40, "theme": "white-on-black", "text_words": 60}
    assert len(problems) == 3 and all("is not valid" in problem for problem in problems)
    assert any("speech_dir = None" in problem for problem in problems)
