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
