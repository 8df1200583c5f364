"""Real programs on a high-DPI screen at 200% (GTK and Qt scaled twice, the terminal in a font twice
its default's size, on a 2560x1600 screen), as a laptop with a sharp screen, a Mac's Retina
screenshot or a person who has turned the desktop's scale up for their sight shows them. Said as at
100%: their words in order, their buttons as buttons, the selected row first, and no icon, grown
to the size of a thumbnail, taken for a picture ("Picture in the centre: a blue square" for the
question dialog's icon, three pictures in the file chooser)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixtures.real_programs import PROGRAMS, WANTED, take_screenshots
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner
from seesay.vision.ocr import create_text_reader

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("xterm") and shutil.which("zenity")),
                                 reason="needs xterm and zenity (scripts/apt-packages.txt installs them)")]


@pytest.fixture(scope="module")
def seen(tmp_path_factory, scene_model: Path):
    """Each program at 200%, looked at once for the module (one X server): (picture, what was seen)."""
    shots = take_screenshots(tmp_path_factory.mktemp("real-programs-200"), scale=2)
    reader, problem = create_text_reader()
    assert problem is None, problem
    captioner = load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model)
    return {name: (shot, look(shot, captioner, reader)) for name, shot in shots.items()}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_picture_is_invented_on_a_program_at_200_percent(seen, name):
    shot, what = seen[name]
    assert shot.size == (2560, 1600)
    said = say(what, {"confidence_plain": 0, "confidence_hedge": 0, "text_words": 500})
    assert what.layout.pictures == () and not what.is_one_picture, what.layout
    assert "Picture" not in said.spoken and said.mode == "screen", said.spoken


def test_the_words_of_programs_at_200_percent_are_read_in_order(seen):
    from fixtures.text_pages import words_right

    scores = {name: words_right(words, seen[name][1].read.text) for name, words in WANTED.items()}
    print({name: f"{score:.0%}" for name, score in scores.items()})
    # the terminals' font here is a little smaller than twice their default's (6x13 pixels): their
    # text is not told to be drawn bigger, and is read as it is ("Budget 2026.o0ds")
    terminals = ("prose", "listing", "man page")
    assert all(score >= (0.85 if name in terminals else 0.95) for name, score in scores.items()), scores


@pytest.mark.parametrize("name, buttons", [("question", "No, Yes"), ("gtk list", "Cancel, OK"),
                                           ("gtk list, dark", "Cancel, OK"), ("qt table", "Cancel, Resume"),
                                           ("qt table, dark", "Cancel, Resume")])
def test_a_programs_buttons_at_200_percent_are_said_as_buttons(seen, name, buttons):
    said = say(seen[name][1], {"text_words": 500})
    assert said.spoken.endswith(f"Buttons: {buttons}"), said.spoken


@pytest.mark.parametrize("name", ["gtk list", "gtk list, dark", "qt table", "qt table, dark"])
def test_the_selected_row_at_200_percent_is_said_first_and_whole(seen, name):
    said = say(seen[name][1], {})
    assert said.spoken.startswith("Selected: Letter to bank.docx"), said.spoken
    assert all(word in said.spoken.split(".")[1] for word in ("3", "Printing")), said.spoken
    assert said.spoken.count("Selected") == 1, said.spoken


@pytest.mark.parametrize("name", ["file chooser", "file chooser, dark"])
def test_a_file_choosers_selected_file_at_200_percent_is_said_without_its_icon(seen, name):
    said = say(seen[name][1], {"text_words": 500})
    assert said.spoken.startswith("Selected: Budget 2026.ods"), said.spoken

