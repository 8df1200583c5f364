"""Real programs on a high-DPI screen at 200% (GTK and Qt scaled twice, the terminal in a font twice
its default's size, on a 2560x1600 screen), as a laptop with a sharp screen, a Mac's Retina
screenshot or a person who has turned the desktop's scale up for their sight shows them; and at
150% as GNOME's fractional scaling and a Mac's scaled modes show them: drawn at 200%, then reduced
to a 1920x1200 screen, looked at with the desktop's scale (1.5) that the capture passes on. Said as
at 100%: their words in order, their buttons as buttons, the selected row first, and no icon, grown
to the size of a thumbnail, taken for a picture ("Picture in the centre: a blue square" for the
question dialog's icon, three pictures in the file chooser)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from fixtures.real_programs import PROGRAMS, WANTED, take_screenshots
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner
from seesay.vision.ocr import create_text_reader

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("xterm") and shutil.which("zenity")),
                                 reason="needs xterm and zenity (scripts/apt-packages.txt installs them)")]
#: the screen's size at each scale, and the desktop's scale the capture passes on (None at 200%:
#: told from the text alone, as for a screenshot file)
SCREENS = {200: ((2560, 1600), None), 150: ((1920, 1200), 1.5)}
SCALES = sorted(SCREENS)


@pytest.fixture(scope="module")
def seen(tmp_path_factory, scene_model: Path):
    """Each program at 200%, and at 150% (the same, reduced), looked at once for the module (one X
    server): {percent: {name: (picture, what was seen)}}."""
    shots = take_screenshots(tmp_path_factory.mktemp("real-programs-200"), scale=2)
    reader, problem = create_text_reader()
    assert problem is None, problem
    captioner = load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model)
    seen = {}
    for percent, (size, drawn_at) in SCREENS.items():
        # a compositor's reduction of what was drawn at 200% (GNOME's fractional scaling): bilinear
        pictures = {name: shot if shot.size == size else shot.resize(size, Image.Resampling.BILINEAR)
                    for name, shot in shots.items()}
        seen[percent] = {name: (picture, look(picture, captioner, reader, drawn_at=drawn_at))
                         for name, picture in pictures.items()}
    return seen


@pytest.mark.parametrize("percent, name", [
    pytest.param(percent, name, marks=pytest.mark.xfail(strict=False, reason=(
        "not yet, in about half the runs: openbox's title bar, drawn at 100% on the 200% desktop and "
        "reduced to 150% with it (a gradient 9 pixels high at the usual size), joins the dark header "
        "bar's icons into what is taken for a picture")) if (percent, name) == (150, "file chooser, dark") else ())
    for percent in SCALES for name in sorted(PROGRAMS)])
def test_no_picture_is_invented_on_a_program_at_high_dpi(seen, percent, name):
    shot, what = seen[percent][name]
    assert shot.size == SCREENS[percent][0]
    said = say(what, {"confidence_plain": 0, "confidence_hedge": 0, "text_words": 500})
    assert what.layout.pictures == () and not what.is_one_picture, what.layout
    assert "Picture" not in said.spoken and said.mode == "screen", said.spoken


@pytest.mark.parametrize("percent", SCALES)
def test_the_words_of_programs_at_high_dpi_are_read_in_order(seen, percent):
    from fixtures.text_pages import words_right

    scores = {name: words_right(words, seen[percent][name][1].read.text) for name, words in WANTED.items()}
    print({name: f"{score:.0%}" for name, score in scores.items()})
    # the terminals' font here is a little smaller than twice their default's (6x13 pixels): their
    # text is not told to be drawn bigger, and is read as it is ("Budget 2026.o0ds")
    terminals = ("prose", "listing", "man page")
    assert all(score >= (0.85 if name in terminals else 0.95) for name, score in scores.items()), scores


@pytest.mark.parametrize("name, buttons", [("question", "No, Yes"), ("gtk list", "Cancel, OK"),
                                           ("gtk list, dark", "Cancel, OK"), ("qt table", "Cancel, Resume"),
                                           ("qt table, dark", "Cancel, Resume")])
@pytest.mark.parametrize("percent", SCALES)
def test_a_programs_buttons_at_high_dpi_are_said_as_buttons(seen, percent, name, buttons):
    said = say(seen[percent][name][1], {"text_words": 500})
    assert said.spoken.endswith(f"Buttons: {buttons}"), said.spoken


@pytest.mark.parametrize("percent", SCALES)
@pytest.mark.parametrize("name", ["gtk list", "gtk list, dark", "qt table", "qt table, dark"])
def test_the_selected_row_at_high_dpi_is_said_first_and_whole(seen, percent, name):
    said = say(seen[percent][name][1], {})
    assert said.spoken.startswith("Selected: Letter to bank.docx"), said.spoken
    assert all(word in said.spoken.split(".")[1] for word in ("3", "Printing")), said.spoken
    assert said.spoken.count("Selected") == 1, said.spoken


@pytest.mark.parametrize("percent", SCALES)
@pytest.mark.parametrize("name", ["file chooser", "file chooser, dark"])
def test_a_file_choosers_selected_file_at_high_dpi_is_said_without_its_icon(seen, percent, name):
    said = say(seen[percent][name][1], {"text_words": 500})
    assert said.spoken.startswith("Selected: Budget 2026.ods"), said.spoken

