"""What a line tesseract read is: a tall line read unsurely is a photo's texture unless it is words."""

from __future__ import annotations

import pytest

from seesay.vision.line_kinds import photo_texture


@pytest.mark.parametrize("text", ["©0094 8", "ee0ee@a@", "+@ ~ 8 ®"])
def test_signs_and_digits_mixed_tall_and_unsure_are_texture(text):
    assert photo_texture(text, confidence=0.5, height=60)


@pytest.mark.parametrize("text", ["Field notes", "Price: $19.99", "Don't stop!", "12:30", "well-known", "(Beta)",
                                  "Café été", "“Quoted”", "2026-12-02"])
def test_words_and_numbers_are_never_texture(text):
    assert not photo_texture(text, confidence=0.5, height=60)


def test_a_sure_or_a_small_line_is_never_texture():
    assert not photo_texture("©0094 8", confidence=0.9, height=60)  # big and clear: read surely
    assert not photo_texture("©0094 8", confidence=0.5, height=20)  # a line of body text's height


def test_one_character_shorter_than_any_letter_is_a_mark():
    from seesay.vision.line_kinds import a_mark

    assert a_mark(5, "r")  # a photo's rounded corner
    assert not a_mark(12, "r")  # a letter of the smallest interface text is 8 pixels or more
    assert not a_mark(5, "OK")


def test_an_icon_read_as_an_unsure_word_beside_a_line_is_left_out():
    """A dialog's question icon, twice the height of its message's words, read "Jo" 0.24 sure at the
    start of the message ("Jo Do you want to save the changes ..."): left out. A word read unsurely
    at the line's own height (a file chooser's "bytes" read 0.0 sure) is kept."""
    from seesay.vision.line_kinds import kept_words

    message = [("Do", (160, 50, 193, 68), 0.97), ("you", (203, 54, 248, 74), 0.96), ("want", (259, 50, 322, 68), 0.96),
               ("to", (330, 50, 354, 68), 0.96), ("save", (366, 54, 425, 68), 0.97), ("the", (434, 46, 475, 68), 0.97),
               ("changes", (486, 46, 590, 74), 0.96)]
    assert [word for word, _box, _sure in kept_words([("Jo", (46, 42, 85, 88), 0.24), *message])] == [
        "Do", "you", "want", "to", "save", "the", "changes"]
    row = [("14", (300, 10, 318, 24), 0.93), ("bytes", (324, 10, 370, 27), 0.0), ("Text", (400, 10, 440, 24), 0.95)]
    assert [word for word, _box, _sure in kept_words(row)] == ["14", "bytes", "Text"]


def test_a_letter_standing_apart_before_a_files_name_is_its_icon():
    """GTK's file chooser at 200%, read at its usual size: each file's page icon read "B", 0.8-0.93
    sure, twice a word's gap before the name ("B Holiday photos.odt"): left out. A letter that is a
    word ("I", "A"), a number, and a letter at a word's gap, are kept."""
    from seesay.vision.line_kinds import without_an_icon_first

    def kept(words):
        return [word for word, _box, _sure in without_an_icon_first(words)]

    name = [("Holiday", (41, 55, 89, 69), 0.91), ("photos.odt", (95, 55, 163, 69), 0.85)]
    assert kept([("B", (18, 53, 30, 69), 0.92), *name]) == ["Holiday", "photos.odt"]
    assert kept([("B", (18, 122, 30, 138), 0.59), ("Recipes.md", (41, 124, 116, 138), 0.59)]) == ["Recipes.md"]
    assert kept([("I", (18, 53, 22, 69), 0.92), ("know", (33, 55, 70, 69), 0.9)]) == ["I", "know"]
    assert kept([("A", (18, 53, 30, 69), 0.92), *name]) == ["A", "Holiday", "photos.odt"]
    assert kept([("3", (18, 53, 30, 69), 0.92), *name]) == ["3", "Holiday", "photos.odt"]
    assert kept([("B", (18, 53, 30, 69), 0.92), ("Holiday", (36, 55, 84, 69), 0.91)]) == ["B", "Holiday"]
    assert kept([("B", (18, 53, 30, 69), 0.92)]) == ["B"]
    assert kept([("e", (18, 53, 30, 69), 0.5), ("4", (41, 55, 50, 69), 0.5)]) == ["e", "4"]  # judged as a whole
    row = [("Letter", (61, 46, 130, 64), 0.96), ("to", (138, 47, 160, 64), 0.93), ("bank.docx", (171, 46, 292, 64), 0.91)]
    assert kept([("za", (36, 48, 53, 64), 0.58), *row]) == ["Letter", "to", "bank.docx"]  # Qt's row number
    assert kept([("za", (36, 48, 53, 64), 0.58), *[(w, b, 0.7) for w, b, _c in row]]) == ["za", "Letter", "to", "bank.docx"]
    assert kept([("In", (36, 48, 53, 64), 0.93), *row]) == ["In", "Letter", "to", "bank.docx"]
