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
