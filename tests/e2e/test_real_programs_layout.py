"""Real programs, not drawn stand-ins: a terminal and GTK dialogs under Xvfb with a window manager.
Nothing on them is taken for a picture, and no caption of the screen is spoken, however sure
the model is (a photo captioner shown a dialog invents a photo)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import desktop_with_window_manager, screenshot
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner
from seesay.vision.ocr import create_text_reader

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("xterm") and shutil.which("zenity")),
                                 reason="needs xterm and zenity (scripts/apt-packages.txt installs them)")]
PROGRAMS = {
    "terminal": ["xterm", "-geometry", "110x36+20+20", "-e", "sh", "-c",
                 "ls -la /usr/share/doc | head -50; sleep 60"],
    "question": ["zenity", "--question", "--title", "Save changes?",
                 "--text", "Do you want to save the changes to notes.txt before closing?"],
    "information": ["zenity", "--info", "--title", "Update", "--width", "500",
                    "--text", "Three updates are ready to install. The computer will restart afterwards."],
}


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    """A screenshot of each program, taken once for the module (one X server)."""
    folder = tmp_path_factory.mktemp("real-programs")
    shots = {}
    with desktop_with_window_manager({}) as (env, processes):
        for name, command in PROGRAMS.items():
            program = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(2.5)  # mapped and painted
                shots[name] = Image.open(screenshot(env["DISPLAY"], folder / f"{name}.png")).convert("RGB")
            finally:
                program.terminate()
                program.wait(10)
    return shots


@pytest.fixture(scope="module")
def engine(scene_model: Path):
    reader, problem = create_text_reader()
    assert problem is None, problem
    return load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model), reader


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_picture_is_invented_on_a_real_program(screens, engine, name):
    captioner, reader = engine
    seen = look(screens[name], captioner, reader)
    said = say(seen, {"confidence_plain": 0, "confidence_hedge": 0})  # even a caption the model were sure of
    assert seen.layout.pictures == () and not seen.is_one_picture, seen.layout
    assert "Picture" not in said.spoken and seen.whole.text not in said.spoken, said.spoken
    assert said.mode == "screen"
