"""What seesay says for each way a desktop's screenshot portal can answer, over a real private D-Bus
session bus with a stand-in portal (fixtures/stand_in_portal.py): the real portals here never ask the
person, refuse or go quiet. The real portal, on a real Wayland desktop: tests/e2e/test_wayland_portal.py."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import wait_until
from fixtures.stand_in_portal import Answer, private_bus, screenshot_file, stand_in_portal

pytestmark = pytest.mark.skipif(not shutil.which("dbus-daemon"), reason="needs dbus-daemon (Debian: dbus-daemon)")


@pytest.fixture(scope="module")
def bus():
    with private_bus() as address:
        yield address


@pytest.fixture
def portal(bus, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
    with stand_in_portal(bus) as serving:
        yield serving


def test_a_desktop_that_asks_first_is_explained_once_and_its_picture_described(portal):
    from seesay.capture.wayland import WaylandCapturer, prompt_explanation

    said = []
    capturer = WaylandCapturer(explain=said.append)
    shot = screenshot_file(tempfile.gettempdir())
    portal.answer = Answer(uri=shot.as_uri(), delay=1.6)  # the person reads the question, then allows
    capture = capturer.screen(None)
    assert capture.image.size == (320, 200) and capture.image.getpixel((5, 5)) == (0, 90, 200)
    assert said == [prompt_explanation()] and "Choose Allow" in said[0]
    assert not shot.exists()  # made for seesay in the temporary folder: removed once read
    shot = screenshot_file(tempfile.gettempdir())
    portal.answer = Answer(uri=shot.as_uri(), delay=1.6)
    capturer.screen(None)
    assert len(said) == 1  # once a run, not at every slow answer


def test_a_quick_answer_is_not_explained_and_a_file_elsewhere_is_kept(portal, tmp_path):
    from seesay.capture.wayland import WaylandCapturer

    said = []
    shot = screenshot_file(tmp_path)  # as a desktop that keeps screenshots in the person's folder
    portal.answer = Answer(uri=shot.as_uri())
    assert WaylandCapturer(explain=said.append).screen(None).image.size == (320, 200)
    assert said == [] and shot.exists()


@pytest.mark.parametrize(("code", "words"), [(2, "Your desktop refused to take the screenshot"),
                                             (1, "The screenshot was cancelled")])
def test_refused_and_cancelled_are_said(portal, code, words):
    from seesay.capture.base import CaptureError
    from seesay.capture.wayland import WaylandCapturer

    portal.answer = Answer(code=code)
    with pytest.raises(CaptureError) as refused:
        WaylandCapturer().screen(None)
    assert words in refused.value.message


def test_no_answer_is_said_and_the_question_taken_off_the_screen(portal):
    from seesay.capture.base import CaptureError
    from seesay.capture.portal import take_screenshot

    portal.answer = Answer(delay=None)
    with pytest.raises(CaptureError) as silent:
        take_screenshot(answer_timeout=1.5)
    assert "did not answer the request for a screenshot within 2 seconds" in silent.value.message
    assert wait_until(lambda: any(method == "Close" and "/request/" in path for method, path in portal.calls), 5), \
        portal.calls


def test_a_link_or_a_fifo_in_the_portals_place_is_not_read(portal, tmp_path):
    import os

    from seesay.capture.base import CaptureError
    from seesay.capture.wayland import WaylandCapturer

    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    link = Path(tempfile.gettempdir()) / "out-link.png"
    link.symlink_to(secret)
    fifo = Path(tempfile.gettempdir()) / "out-fifo.png"
    os.mkfifo(fifo)
    try:
        for path, words in ((link, "could not be opened"), (fifo, "not a picture file")):
            portal.answer = Answer(uri=path.as_uri())
            with pytest.raises(CaptureError) as refused:
                WaylandCapturer().screen(None)
            assert words in refused.value.message
        assert secret.exists() and link.is_symlink() and fifo.exists()  # nothing of theirs removed
    finally:
        link.unlink()
        fifo.unlink()


def test_a_desktop_without_the_portal_says_what_to_do_instead(bus, monkeypatch):
    from seesay.capture.base import CaptureError
    from seesay.capture.select import describe_capture_route
    from seesay.capture.wayland import WaylandCapturer

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    with pytest.raises(CaptureError) as missing:
        WaylandCapturer().screen(None)
    assert "offers no screenshot portal" in missing.value.message
    assert "seesay --describe clipboard" in missing.value.hint
    name, reason = describe_capture_route()
    assert name == "portal" and "offers no screenshot portal" in reason


# ---- GlobalShortcuts: written from the portal's documentation; no desktop here implements it --------
KEYS = {"describe_screen": "<ctrl>+<alt>+<shift>+d", "describe_window": "<ctrl>+<alt>+<shift>+w"}


@pytest.mark.parametrize("xwayland", [False, True])
def test_wayland_keys_through_the_global_shortcuts_portal(portal, monkeypatch, xwayland):
    from seesay.hotkeys.portal_backend import PortalShortcuts
    from seesay.hotkeys.select import create_hotkeys

    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    if xwayland:  # pynput would hear keys only while an X program has focus: the portal still wins
        monkeypatch.setenv("DISPLAY", ":99")
    else:
        monkeypatch.delenv("DISPLAY", raising=False)
    said, pressed = [], []
    backend = create_hotkeys(report=said.append)
    assert isinstance(backend, PortalShortcuts)  # the desktop offers the portal: it is used
    assert backend.start(KEYS, pressed.append) == []
    try:
        assert wait_until(lambda: len(portal.shortcuts) == 2, 10), portal.calls
        assert portal.shortcuts["describe_screen"]["preferred_trigger"] == "CTRL+ALT+SHIFT+d"
        assert portal.shortcuts["describe_window"]["description"] == "Describe the active window"
        # pressed until heard: the backend listens once the desktop has answered the binding
        assert wait_until(lambda: portal.press("describe_window") or pressed, 5, interval=0.2), portal.calls
        assert set(pressed) == {"describe_window"}
        assert said == []
    finally:
        backend.stop()
    assert wait_until(lambda: ("Close", portal.session) in portal.calls, 5), portal.calls


def test_keys_the_desktop_refuses_are_said(portal):
    from seesay.hotkeys.portal_backend import PortalShortcuts

    portal.bind_code = 2
    said = []
    backend = PortalShortcuts(report=said.append)
    backend.start(KEYS, print)
    try:
        assert wait_until(lambda: said, 10)
        assert "did not accept seesay's global shortcuts" in said[0] and "seesay --describe" in said[0]
    finally:
        backend.stop()
