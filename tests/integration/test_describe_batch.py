"""`seesay describe a b c`: one bad file, question or failure never stops the others."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.describe_faults import DECODER_FAULT, OUT_OF_MEMORY
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RED, BLUE = Scene("red", "circle", "white"), Scene("blue", "square", "black")


def seesay(*args: str, faults: bool = False, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command; with ``faults``, the pictures of describe_faults' sizes fail."""
    start = ["-m", "seesay"] if not faults else [
        "-c", f"import sys; sys.path.insert(0, {str(FIXTURES)!r}); import describe_faults; "
              "from seesay.cli import main; sys.exit(main(sys.argv[1:]))"]
    try:
        return subprocess.run([sys.executable, *start, *args], capture_output=True, text=True, timeout=timeout,
                              env=os.environ.copy())
    except subprocess.TimeoutExpired:  # subprocess.run has ended the process it started
        pytest.fail(f"seesay {' '.join(args[:3])}… did not finish in {timeout} s")


def picture(folder: Path, name: str, scene: Scene, size=(400, 300)) -> Path:
    path = folder / name
    draw_scene(scene, size, random.Random(len(name))).save(path)
    return path


def test_a_fifo_and_a_link_to_a_device_are_reported_and_the_pictures_after_them_described(scene_model, tmp_path):
    fifo, zero = tmp_path / "x.png", tmp_path / "zero.png"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    good = picture(tmp_path, "red.png", RED)
    result = seesay("describe", "--model", str(scene_model), str(fifo), str(zero), str(good), timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{good}: {RED.caption}"]
    assert f"{fifo}: error: {fifo} is not a picture file (it is a named pipe)." in result.stderr
    assert f"{zero}: error: {zero} is not a picture file (it is a device)." in result.stderr


def test_a_picture_that_runs_out_of_memory_or_breaks_is_reported_and_the_others_described(scene_model, tmp_path):
    first = picture(tmp_path, "red.png", RED)
    starved = picture(tmp_path, "huge.png", BLUE, OUT_OF_MEMORY)
    broken = picture(tmp_path, "odd.png", BLUE, DECODER_FAULT)
    last = picture(tmp_path, "blue.png", BLUE)
    result = seesay("describe", "--model", str(scene_model), *map(str, (first, starved, broken, last)), faults=True)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{first}: {RED.caption}", f"{last}: {BLUE.caption}"], result.stderr
    assert f"{starved}: error: Not enough memory was free to describe {starved}." in result.stderr
    assert f"{broken}: error: Something went wrong while describing {broken} (RuntimeError)." in result.stderr
    assert "unexpected problem" not in result.stderr and "Traceback" not in result.stderr


def test_a_600_word_question_is_refused_with_a_reason_and_everything_else_answered(scene_model, vqa_model, tmp_path):
    files = [picture(tmp_path, "red.png", RED), picture(tmp_path, "blue.png", BLUE)]
    rambling = " ".join(["what"] * 600) + "?"
    result = seesay("describe", "--model", str(scene_model), "--vqa-model", str(vqa_model),
                    "--ask", rambling, "--ask", "what color is the shape?", *map(str, files))
    assert result.returncode == 1
    assert "unexpected problem" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{files[0]}: {RED.caption}" and lines[3] == f"{files[1]}: {BLUE.caption}", result.stderr
    assert lines[2] == "  what color is the shape? red" and lines[5] == "  what color is the shape? blue"
    for line in (lines[1], lines[4]):  # the long question, cut short where it is shown, and why it is not answered
        assert line.startswith("  what what what") and "error: The question is too long" in line
        assert len(line) < 300
