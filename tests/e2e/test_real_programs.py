"""Real programs, not drawn stand-ins: terminals, GTK dialogs, a GTK list and text editor, and a Qt
table, light and dark, under Xvfb with a window manager, at their default font sizes
(``fixtures/real_programs.py``). Their words are read, in order (a terminal listing row by row, a
dialog's message and its buttons, a list's selected row); nothing on them is taken for a picture, and no caption of the
screen is spoken, however sure the model is (a photo captioner shown a dialog invents a photo)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixtures.real_programs import FILES, LETTER, PROGRAMS, QUEUE, WANTED, take_screenshots
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner
from seesay.vision.ocr import create_text_reader

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("xterm") and shutil.which("zenity")),
                                 reason="needs xterm and zenity (scripts/apt-packages.txt installs them)")]


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    """A screenshot of each program, taken once for the module (one X server)."""
    return take_screenshots(tmp_path_factory.mktemp("real-programs"))


@pytest.fixture(scope="module")
def engine(scene_model: Path):
    reader, problem = create_text_reader()
    assert problem is None, problem
    return load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model), reader


def test_the_words_of_real_programs_are_read_in_order(screens, engine):
    """Measured against tesseract on the whole screen (its own page analysis), in the same run."""
    from fixtures.text_pages import words_right
    from seesay.vision.ocr import TesseractReader, find_tessdata

    _captioner, reader = engine
    whole_page = TesseractReader(find_tessdata(), blocks=False)
    wanted = WANTED
    scores = {}
    for name, words in wanted.items():
        new, old = reader.read(screens[name]), whole_page.read(screens[name])
        scores[name] = (words_right(words, new.text), words_right(words, old.text), new.seconds, old.seconds)
        print(f"{name:<12} by blocks {scores[name][0]:.0%} in {new.seconds:.2f} s; "
              f"whole page {scores[name][1]:.0%} in {old.seconds:.2f} s")
    assert all(score >= 0.95 for score, *_rest in scores.values()), scores
    for name in ("file chooser", "file chooser, dark", "qt table, dark"):  # white on blue, tesseract reads "2026.0ds"
        assert "Budget 2026.ods" in reader.read(screens[name]).text, name
    listing = reader.read(screens["listing"]).lines
    rows = [line.text for line in listing if "root" in line.text]
    assert len(rows) >= len(FILES)  # row by row: each file's line holds its owner and its name
    assert all(any(name.split()[0].split(".")[0] in row for row in rows) for name in FILES), rows
    for name in ("gtk list", "gtk list, dark", "qt table", "qt table, dark"):  # a table row by row, header first
        lines = [line.text for line in reader.read(screens[name]).lines]
        header = next(index for index, line in enumerate(lines) if "Pages" in line)  # Qt's bold header, light and dark
        assert all(word in lines[header] for word in ("Name", "Status")), (name, lines)
        named = [next(index for index, line in enumerate(lines) if row[0].split()[0] in line) for row in QUEUE]
        assert header < named[0] and named == sorted(named), (name, lines)
        assert all(row[2] in lines[at] for row, at in zip(QUEUE, named)), (name, lines)  # its status on its line
    terminal = reader.read(screens["terminal"]).text
    assert terminal.count("root root") >= 30  # 35 rows of ls -la on screen, read row by row (whole page: by column)


def test_a_dialogs_buttons_are_said_as_buttons_after_its_message(screens, engine):
    captioner, reader = engine
    said = say(look(screens["question"], captioner, reader), {})
    assert said.spoken.endswith("Do you want to save the changes to notes.txt before closing? Buttons: No, Yes"), \
        said.spoken
    said = say(look(screens["information"], captioner, reader), {})
    assert said.spoken.endswith("The computer will restart afterwards. Buttons: OK"), said.spoken
    said = say(look(screens["prose"], captioner, reader), {})
    assert "Buttons" not in said.spoken  # text in a terminal is no button


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_picture_is_invented_on_a_real_program(screens, engine, name):
    captioner, reader = engine
    seen = look(screens[name], captioner, reader)
    said = say(seen, {"confidence_plain": 0, "confidence_hedge": 0})  # even a caption the model were sure of
    assert seen.layout.pictures == () and not seen.is_one_picture, seen.layout
    assert "Picture" not in said.spoken and seen.whole.text not in said.spoken, said.spoken
    assert said.mode == "screen"


@pytest.mark.parametrize("name", ["gtk list", "gtk list, dark", "qt table", "qt table, dark"])
def test_the_selected_row_of_a_list_is_said_first(screens, engine, name):
    """The row the keys act on, as GTK and Qt draw it (white on blue, light and dark themes)."""
    captioner, reader = engine
    said = say(look(screens[name], captioner, reader), {})
    assert said.spoken.startswith("Selected: Letter to bank.docx"), said.spoken
    assert all(word in said.spoken.split(".")[1] for word in ("3", "Printing")), said.spoken  # the whole row
    assert said.spoken.count("Selected") == 1  # no other row, no title bar, is taken for a selection


@pytest.mark.parametrize("name", ["file chooser", "file chooser, dark"])
def test_a_file_choosers_files_are_read_row_by_row_apart_from_its_places(screens, engine, name):
    """GTK's file chooser: a places panel (Recent, Home, Other Locations) beside the list of files,
    whose first row is selected. Each file's row is one line (its name, size, type and time),
    never joined to a place beside it; the selected row is said first, the places after the files."""
    captioner, reader = engine
    seen = look(screens[name], captioner, reader)
    said = say(seen, {"text_words": 500}, context="Open a document")
    assert said.spoken.startswith("Open a document. Selected: Budget 2026"), said.spoken
    assert said.spoken.count("a document") == 1 and "pen a document" in said.shown  # its title bar: said once
    assert "Spreadsheet" in said.spoken.split(". ")[1], said.spoken  # the whole row
    lines = [line.text for line in seen.read.lines]
    for file, kind in zip(sorted(FILES), ("Spreadsheet", "Document", "Document", "Text", "Text")):
        row = next(line for line in lines if file.split()[0] in line)
        assert kind in row and "bytes" in row, (file, lines)
    for place in ("Recent", "Home", "Other Locations"):
        assert place in lines, (place, lines)  # a line of its own
        assert said.spoken.index("Recipes") < said.spoken.index(place), said.spoken  # the files first
    assert said.spoken.endswith("Buttons: Cancel, OK"), said.spoken


def test_a_man_pages_options_are_read_and_the_terminals_title_said_once(screens, engine):
    """xterm's title bar ("sh", beside its menu icon read "x") is the window's name, said first, not again
    at the end; the options' lines keep their option ("-n," read with a long dash, unsure, was dropped)."""
    captioner, reader = engine
    said = say(look(screens["man page"], captioner, reader), {"text_words": 500}, context="sh")
    assert said.spoken.startswith("sh. ") and not said.spoken.rstrip(".").endswith("sh"), said.spoken
    assert "-n, show what would be copied" in said.spoken and "-q, say nothing" in said.spoken, said.spoken


def test_a_text_editors_letter_is_read_whole_and_in_order(screens, engine):
    from fixtures.text_pages import words_right

    _captioner, reader = engine
    text = reader.read(screens["editor"]).text
    assert words_right(LETTER.split(), text) >= 0.95, text
    assert "I am writing to confirm" in text, text  # its "I" was read as a bar, and left out
    assert text.index("Dear Ms Patel") < text.index("Thank you") < text.index("Yours sincerely") < text.index("Tom")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_symbol_garbage_is_spoken(screens, engine, name):
    """Icons read as letters (a window's buttons read "(6)") are shown, marked, never spoken."""
    captioner, reader = engine
    seen = look(screens[name], captioner, reader)
    said = say(seen, {"text_words": 500})
    assert all(any(ch.isalnum() for ch in word) or word == "…" for word in said.spoken.split()), said.spoken
    for line in seen.read.unsure:
        assert line.text not in said.spoken.split() and line.text in said.shown, (line.text, said.spoken)


@pytest.mark.parametrize("name, buttons", [("gtk list", "Cancel, OK"), ("gtk list, dark", "Cancel, OK"),
                                           ("editor", "Cancel, OK"), ("qt table", "Cancel, Resume"),
                                           ("qt table, dark", "Cancel, Resume")])
def test_a_row_of_buttons_is_said_as_buttons(screens, engine, name, buttons):
    """Buttons side by side, each in its own frame, read as one line of text ("Cancel Resume")."""
    captioner, reader = engine
    said = say(look(screens[name], captioner, reader), {"text_words": 500})
    assert said.spoken.endswith(f"Buttons: {buttons}"), said.spoken


def test_a_terminal_filling_a_big_screen_is_read_line_by_line(tmp_path):
    """A 1920x1080 screen of a terminal's tiny text: its lines, 13 pixels apart, ran into one band
    in the half-size copy the blocks are found on, and the screen was taken for a picture (one
    letter read of 78 lines)."""
    from fixtures.real_programs import full_screen_terminal
    from fixtures.text_pages import names_in_order

    shot, wanted = full_screen_terminal(tmp_path)
    reader, _problem = create_text_reader()
    read = reader.read(shot)
    names = [word for word in wanted if word.endswith(".txt")]
    found = names_in_order(names, read.text)  # its 6x13 font's "." is read "," or " "
    print(f"full-screen terminal: {found} of {len(names)} file names in order, {len(read.lines)} lines, "
          f"in {read.seconds:.2f} s")
    assert found >= 0.95 * len(names), read.text
    assert sum("root root" in line.text for line in read.lines) >= 75, read.text  # each file on its own line



def as_shared(picture, quality: int):
    """``picture`` saved as a JPEG of this quality and opened again, as a screenshot sent in a chat
    or saved by a phone is."""
    from io import BytesIO

    from PIL import Image

    shared = BytesIO()
    picture.save(shared, "JPEG", quality=quality)
    return Image.open(shared).convert("RGB")


@pytest.mark.parametrize("quality", [75, 90])
@pytest.mark.parametrize("name", ["gtk list", "gtk list, dark", "qt table", "qt table, dark"])
def test_the_selected_row_of_a_screenshot_shared_as_a_jpeg_is_said_whole(screens, engine, name, quality):
    """A screenshot saved or shared as a JPEG and given as a file: its colours stray a few levels and
    blur into the rows by an edge, which took half the selected row for plain text ("Selected:
    Printing", or nothing selected at all)."""
    captioner, reader = engine
    said = say(look(as_shared(screens[name], quality), captioner, reader, given=True), {"text_words": 500},
               capture=False)
    assert said.spoken.startswith("Selected: "), said.spoken
    selected = said.spoken.split(". Text:")[0]
    assert all(word in selected for word in ("Letter to bank", "3", "Printing")), said.spoken


@pytest.mark.parametrize("quality", [75, 90])
@pytest.mark.parametrize("name, buttons", [("gtk list", "Cancel, OK"), ("gtk list, dark", "Cancel, OK"),
                                           ("qt table", "Cancel, Resume"), ("qt table, dark", "Cancel, Resume")])
def test_the_buttons_of_a_screenshot_shared_as_a_jpeg_are_its_buttons(screens, engine, name, buttons, quality):
    """A JPEG's noise strays a pixel here and there from a table's grid line, which looked like the
    line ending there, as a button's frame does: a column's header was said as a button ("Buttons:
    Pages, Cancel, OK"), and Qt's row numbers ("Buttons: 3, 4, 5", as tesseract read them apart
    from their rows); a button's face, taken as the fullest of its shades' bins, was its letters' or
    its noise's (GTK's dark OK, missed), and ringing round its label kept its frame in its box (Qt's
    "Cancel Resume" read as text)."""
    captioner, reader = engine
    said = say(look(as_shared(screens[name], quality), captioner, reader, given=True), {"text_words": 500},
               capture=False)
    assert said.spoken.endswith(f"Buttons: {buttons}"), said.spoken


def test_a_dialog_shared_as_a_jpeg_says_its_title_and_message_and_not_its_icon(screens, engine):
    """The title bar's white words on a blue gradient: the gradient strays over many colour bins in
    a JPEG, the white letters fill one, and were taken for the ground (the title went unread); the
    question icon beside the message, twice its height, was read "Jo" at its start."""
    captioner, reader = engine
    said = say(look(as_shared(screens["question"], 75), captioner, reader, given=True), {}, capture=False)
    assert said.spoken == ("Text: Save changes? Do you want to save the changes to notes.txt before closing? "
                           "Buttons: No, Yes"), said.spoken


@pytest.mark.parametrize("name, words", [("question", "save the changes"), ("information", "updates are ready"),
                                         ("editor", "Thank you for your letter")])
def test_a_screenshot_shared_at_half_its_size_is_read_not_captioned_as_a_photo(screens, engine, name, words):
    """A screenshot shrunk to half (a phone's or a chat's): its 9-pixel text at 5 pixels, of which
    tesseract read nothing on the question dialog; with no words read, the dialog given alone was
    taken for a photo and said as one ("a green square on a black background"). Text that small is
    read from a copy enlarged twice."""
    from PIL import Image

    captioner, reader = engine
    screen = screens[name]
    half = screen.resize((screen.width // 2, screen.height // 2), Image.LANCZOS)
    said = say(look(half, captioner, reader, given=True), {"text_words": 500}, capture=False)
    assert said.mode == "screen" and said.spoken.startswith("Text: "), said.spoken
    assert words in said.spoken, said.spoken
