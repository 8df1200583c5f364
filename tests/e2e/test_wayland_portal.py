"""Wayland, for real: headless sway, PipeWire and xdg-desktop-portal (wlr for the screenshot, gtk for
the Access implementation the portal needs before it offers Screenshot at all) on a private session
bus. A scene shown full-screen by a Wayland-native Qt window is captured through the Screenshot portal,
pixel for pixel, and seesay says what it is, started as a user would start it on that desktop."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from fixtures.desktop import wait_until
from fixtures.scenes import Scene, draw_scene
from fixtures.wayland import missing_programs, wayland_desktop

MISSING = missing_programs()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(MISSING), reason="needs sway, grim, pipewire, dbus and xdg-desktop-portal with "
                                 "its wlr and gtk implementations (scripts/apt-packages.txt installs them); missing: "
                                 + ", ".join(MISSING))]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 1280, 800
#: Where xdg-desktop-portal-wlr 0.7 writes every screenshot (grim, readable by every user).
WLR_SCREENSHOT = Path("/tmp/out.png")


@pytest.fixture(scope="module")
def desktop():
    with wayland_desktop(WIDTH, HEIGHT) as env:
        yield env


@pytest.fixture
def wayland(desktop, monkeypatch):
    """This process as a client of that desktop, as seesay started in it would be (no X11)."""
    for key, value in desktop.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DISPLAY", raising=False)
    return {**os.environ}


def show(env: dict, picture: Path, title: str = "scene-display") -> subprocess.Popen:
    """A Wayland-native Qt window showing ``picture`` (sway makes "scene-display" full-screen)."""
    process = subprocess.Popen([sys.executable, str(FIXTURES / "show_image.py"), str(picture), title],
                               env={**env, "QT_QPA_PLATFORM": "wayland"}, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout.readline().strip() == "shown"
    return process


def hide(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)
    process.stdout.close()


def alike(first: Image.Image, second: Image.Image) -> bool:
    """The same picture, give or take a level of rounding."""
    if first.size != second.size:
        return False
    difference = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    return max(high for _low, high in difference.getextrema()) <= 2


def test_a_wayland_window_is_captured_through_the_portal_pixel_for_pixel(wayland, tmp_path):
    from seesay.capture.base import Rect
    from seesay.capture.select import create_capturer, describe_capture_route
    from seesay.capture.wayland import WaylandCapturer

    assert describe_capture_route() == ("portal", None)  # the portal offers Screenshot here
    capturer = create_capturer()
    assert isinstance(capturer, WaylandCapturer)
    picture = draw_scene(Scene("blue", "circle", "white"), (WIDTH, HEIGHT), random.Random(5))
    picture.save(tmp_path / "scene.png")
    shown = show(wayland, tmp_path / "scene.png")
    try:
        captures = []
        # the window is drawn a moment after it is shown: look until the screen is the picture
        assert wait_until(lambda: captures.append(capturer.screen(None)) or alike(captures[-1].image, picture), 15), \
            "the screen never became the picture shown"
        screen = captures[-1]
        assert screen.label == "screen" and screen.image.size == (WIDTH, HEIGHT) and screen.note is None
        # the portal's file (world-readable in /tmp with xdg-desktop-portal-wlr) is gone once read
        assert not WLR_SCREENSHOT.exists()
        # what Wayland does not tell: said first, and the whole screen described
        mouse = capturer.region((10, 10), 300)
        assert alike(mouse.image, picture) and "cannot tell where the mouse pointer is" in mouse.note
        assert "cannot tell where the focused element is" in capturer.focus((10, 10), 300).note
        # a rectangle from a screen reader is cut exactly
        area = capturer.area(Rect(100, 50, 300, 200), "graphic, logo")
        assert alike(area.image, picture.crop((100, 50, 400, 250))) and area.element == "graphic, logo:"
    finally:
        hide(shown)


def test_the_window_scope_is_cut_where_sway_says_the_window_is(wayland, tmp_path):
    picture = draw_scene(Scene("red", "square", "black"), (WIDTH, HEIGHT), random.Random(6))
    picture.save(tmp_path / "scene.png")
    Image.new("RGB", (WIDTH, HEIGHT), (0, 160, 60)).save(tmp_path / "green.png")
    from seesay.capture.wayland import WaylandCapturer

    capturer = WaylandCapturer()
    assert capturer.window(None).note.startswith("The active window could not be found")  # sway, no window yet
    background = show(wayland, tmp_path / "scene.png", "background")  # tiled: the whole screen, not full-screen
    # sway floats this one at 200,150, 400 by 300 (the fixture's sway config)
    window = show(wayland, tmp_path / "green.png", "small-window")
    try:
        captures = []
        assert wait_until(lambda: captures.append(capturer.window(None)) or captures[-1].label == "window small-window"
                          and captures[-1].image.size == (400, 300), 15), [(c.label, c.image.size) for c in captures]
        cut = captures[-1]
        assert cut.window_title == "small-window" and cut.note is None
        assert alike(cut.image, Image.new("RGB", (400, 300), (0, 160, 60)))
        whole = capturer.screen(None).image
        assert alike(whole.crop((200, 150, 600, 450)), cut.image)
        assert alike(whole.crop((0, 0, 200, 150)), picture.crop((0, 0, 200, 150)))  # the scene around it
    finally:
        hide(window)
        hide(background)


def test_on_a_scaled_screen_the_window_is_cut_in_the_pictures_pixels(tmp_path, monkeypatch):
    """At scale 2 (HiDPI) sway places windows in layout units and the screenshot has twice as many pixels."""
    from seesay.capture.wayland import WaylandCapturer

    Image.new("RGB", (WIDTH, HEIGHT), (0, 160, 60)).save(tmp_path / "green.png")
    with wayland_desktop(2 * WIDTH, 2 * HEIGHT, scale=2) as env:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("DISPLAY", raising=False)
        window = show({**os.environ}, tmp_path / "green.png", "small-window")  # 400x300 at 200,150 in layout units
        try:
            capturer, captures = WaylandCapturer(), []
            assert wait_until(lambda: captures.append(capturer.window(None)) or captures[-1].image.size == (800, 600),
                              15), [(c.label, c.image.size) for c in captures]
            whole = capturer.screen(None).image
            assert whole.size == (2 * WIDTH, 2 * HEIGHT)
            assert alike(captures[-1].image, whole.crop((400, 300, 1200, 900)))
            assert alike(captures[-1].image, Image.new("RGB", (800, 600), (0, 160, 60)))
        finally:
            hide(window)


def test_with_two_monitors_the_screen_is_the_one_with_the_focus(tmp_path, monkeypatch):
    from seesay.capture.wayland import WaylandCapturer

    picture = draw_scene(Scene("green", "square", "white"), (WIDTH, HEIGHT), random.Random(8))
    picture.save(tmp_path / "scene.png")
    with wayland_desktop(WIDTH, HEIGHT, outputs=2) as env:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("DISPLAY", raising=False)
        # the second monitor gets the focus, then the window: full-screen there
        subprocess.run(["swaymsg", "-s", env["SWAYSOCK"], "focus output HEADLESS-2"], check=True, timeout=10,
                       capture_output=True)
        shown = show({**os.environ}, tmp_path / "scene.png")
        try:
            capturer, captures = WaylandCapturer(), []
            assert wait_until(lambda: captures.append(capturer.screen(None)) or alike(captures[-1].image, picture),
                              15), [c.image.size for c in captures]
            both = capturer.screen(None, all_monitors=True).image
            assert both.size == (2 * WIDTH, HEIGHT) and alike(both.crop((WIDTH, 0, 2 * WIDTH, HEIGHT)), picture)
        finally:
            hide(shown)


class RunningSeesay:
    def __init__(self, process: subprocess.Popen, env: dict, speech: Path, messages: Path) -> None:
        self.process, self.env, self.speech, self.messages = process, env, speech, messages

    def said(self) -> list[str]:
        return [path.read_text().strip() for path in sorted(self.speech.glob("*.txt"))]

    def quit(self) -> bool:
        """SIGTERM, as at logout: True when seesay has quit within 15 s; else it is aborted (Python's
        tracebacks of every thread in ``messages``)."""
        self.process.terminate()
        try:
            self.process.wait(15)
            return True
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(15)
            return False


@pytest.fixture
def app(wayland, audio, scene_model, tmp_path):
    """seesay itself, a Wayland-native window on that desktop, speaking to files."""
    # its own temporary folder: one killed after a failure leaves its speech folder there, not in the run's
    (tmp_path / "tmp").mkdir()
    env = {**wayland, **audio, "XDG_RUNTIME_DIR": wayland["XDG_RUNTIME_DIR"], "QT_QPA_PLATFORM": "wayland",
           "TMPDIR": str(tmp_path / "tmp")}
    speech, messages = tmp_path / "speech", tmp_path / "stderr.txt"
    with open(messages, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output",
                                    "own-voice", "--speech-dir", str(speech)], env={**env, "PYTHONFAULTHANDLER": "1"},
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    running = RunningSeesay(process, env, speech, messages)
    try:
        assert wait_until(lambda: "Ready. Drop, paste or open a picture." in running.said()
                          or process.poll() is not None, 60), running.said()
        assert process.poll() is None, "seesay stopped"
        yield running
    finally:
        if process.poll() is None and not running.quit():
            process.kill()
            process.wait(15)


def test_seesay_on_wayland_describes_the_screen_through_the_portal(app, tmp_path):
    env, said = app.env, app.said
    # seesay's own window is on the screen, on sway's plain background; it is hidden for the capture
    subprocess.run(["grim", str(tmp_path / "before.png")], env=env, check=True, timeout=30)
    with Image.open(tmp_path / "before.png") as before:
        assert len(before.convert("RGB").getcolors(1 << 24)) > 10  # the window, its text
    assert subprocess.run([sys.executable, "-m", "seesay", "--describe", "screen"], env=env, timeout=60).returncode == 0
    assert wait_until(lambda: "Nothing to see: the capture is one plain colour." in said(), 30), said()
    scene = Scene("yellow", "triangle", "black")
    draw_scene(scene, (WIDTH, HEIGHT), random.Random(7)).save(tmp_path / "scene.png")
    shown = show(env, tmp_path / "scene.png")
    try:
        def on_screen() -> bool:  # drawn a moment after it is shown (later still on a busy machine)
            subprocess.run(["grim", str(tmp_path / "now.png")], env=env, check=True, timeout=30)
            with Image.open(tmp_path / "now.png") as now, Image.open(tmp_path / "scene.png") as picture:
                return alike(now, picture)

        assert wait_until(on_screen, 30, interval=0.5), "the screen never became the picture shown"
        command = subprocess.run([sys.executable, "-m", "seesay", "--describe", "screen"], env=env,
                                 capture_output=True, text=True, timeout=60)
        assert command.returncode == 0, command.stderr
        assert wait_until(lambda: scene.caption in said(), 30), (said(), seen_now(env, tmp_path / "scene.png"))
        assert not WLR_SCREENSHOT.exists()
    finally:
        hide(shown)
    # as at logout, just after a window above seesay closed: Qt 6.11's Wayland client hung in about one quit in
    # three here until seesay ended its event loop before closing its window (docs/wayland.md)
    assert app.quit(), ("seesay did not quit on SIGTERM within 15 s:\n"
                        + app.messages.read_text(errors="replace")[-4000:])


def seen_now(env: dict, picture: Path) -> str:
    """For a failure's message: what the screen shows now, and what the portal gives now."""
    from seesay.capture.portal import take_screenshot

    subprocess.run(["grim", str(picture.with_name("failed.png"))], env=env, check=True, timeout=30)
    with Image.open(picture.with_name("failed.png")) as now, Image.open(picture) as shown:
        on_screen = alike(now, shown)
        try:
            portal = take_screenshot(answer_timeout=30)
            through_portal = f"{portal.size} {len(portal.getcolors(1 << 24) or [])} colours, alike: {alike(portal, shown)}"
        except Exception as error:
            through_portal = repr(error)
    return f"the picture on the screen now: {on_screen}; through the portal now: {through_portal}"


def test_doctor_names_the_portal_and_the_key_route_on_wayland(wayland):
    from seesay import doctor

    capture, keys = doctor._capture(), doctor._hotkeys()
    assert capture.ok and capture.detail == "the desktop's screenshot portal (Wayland)"
    # xdg-desktop-portal 1.16 has no GlobalShortcuts implementation for sway: the desktop's settings it is
    assert not keys.ok and "no GlobalShortcuts portal" in keys.detail and "seesay --describe screen" in keys.fix
