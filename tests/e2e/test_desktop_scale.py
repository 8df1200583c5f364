"""A desktop at 150% (X11's ``Xft.dpi`` at 144, as GNOME, KDE and Xfce set it for their scale).
seesay's capture passes the screen's scale (Qt has it from the desktop) on to the text reader,
which reads the programs as drawn that much bigger: their buttons are said as buttons and a
list's selected row first, as at 100%. From the pixels alone a program's text at 150% (15-21
pixels high) is a page's at 100%, and its buttons' frames are not a button's frames at 100%'s
measures. Two desktops at 150%: GNOME's fractional scaling (programs drawn at 200%, the screen
reduced by a quarter: here zenity's question drawn with ``GDK_SCALE=2``, captured, reduced and
shown full screen) and Qt's own (a Qt program draws itself at 150% from ``Xft.dpi``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import desktop_with_window_manager, end_process, screenshot, wait_until, xdotool
from fixtures.real_programs import PROGRAMS, QT_TABLE

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not __import__("shutil").which("zenity"), reason="needs zenity")]
SHOW = Path(__file__).resolve().parents[1] / "fixtures" / "show_image.py"


def desktop_at(display: str, dpi: int) -> None:
    """The desktop's scale, as a desktop session sets it: ``Xft.dpi`` in the root window's resources."""
    from Xlib import Xatom, display as xdisplay

    connection = xdisplay.Display(display)
    try:
        connection.screen().root.change_property(connection.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8,
                                                 f"Xft.dpi:\t{dpi}\n".encode())
        connection.sync()
    finally:
        connection.close()


def shown(env: dict, command: list[str]) -> tuple[subprocess.Popen, str]:
    """A program started and its window active."""
    program = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    assert wait_until(lambda: xdotool(env["DISPLAY"], "search", "--onlyvisible", "--pid", str(program.pid)), 30)
    window = xdotool(env["DISPLAY"], "search", "--onlyvisible", "--pid", str(program.pid)).split()[0]
    xdotool(env["DISPLAY"], "windowactivate", "--sync", window)
    assert wait_until(lambda: xdotool(env["DISPLAY"], "getactivewindow") == window, 10)
    return program, window


def test_programs_on_a_desktop_at_150_percent_are_said_with_their_buttons(audio, scene_model, tmp_path):
    speech_dir = tmp_path / "speech"

    def said() -> list[str]:
        return [path.read_text().strip() for path in sorted(speech_dir.glob("*.txt"))]

    def describe(kind: str, until: str) -> str:
        count = len(said())
        result = subprocess.run([sys.executable, "-m", "seesay", "--describe", kind], env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert wait_until(lambda: until in " ".join(said()[count:]), 60), said()[count:]
        return " ".join(said()[count:])

    with desktop_with_window_manager(audio, 1920, 1200) as (env, processes):
        desktop_at(env["DISPLAY"], 144)
        env = {key: value for key, value in env.items() if key not in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS")}
        # GNOME's fractional scaling: the question drawn at 200%, the screen reduced to 150% (before
        # seesay's window is there)
        question, _window = shown({**env, "GDK_SCALE": "2"}, PROGRAMS["question"])
        try:
            wait_until(lambda: False, 1.0)  # painted
            drawn = Image.open(screenshot(env["DISPLAY"], tmp_path / "at-200.png"))
        finally:
            end_process(question)
        drawn.resize((drawn.width * 3 // 4, drawn.height * 3 // 4), Image.Resampling.BILINEAR).crop(
            (0, 0, 1920, 1200)).save(tmp_path / "at-150.png")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output", "own-voice",
             "--speech-dir", str(speech_dir)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        assert wait_until(lambda: "Ready. Drop, paste or open a picture." in said(), 60), said()

        picture, _window = shown({**env, "QT_ENABLE_HIGHDPI_SCALING": "0"},  # shown pixel for pixel
                                 [sys.executable, str(SHOW), str(tmp_path / "at-150.png"), "Save changes?"])
        try:
            heard = describe("window", "Yes")
        finally:
            end_process(picture)
        assert "Do you want to save the changes to notes.txt before closing? Buttons: No, Yes" in heard, heard

        # Qt's own: a table drawn at 150% by Qt itself
        table, window = shown(env, QT_TABLE)
        processes.append(table)
        heard = describe("window", "Resume")
        assert "Buttons: Cancel, Resume" in heard, heard
        # its row number, bold in the header's section beside it, is not read with it ("Pa", "i")
        assert "Selected: Letter to bank.docx, 3, Printing. Text:" in heard, heard
