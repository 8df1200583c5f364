"""What a person hears when the captioner shows a known quirk (issue 21): a caption that says
nothing or only that the picture is a screen is "I can't tell", through the same certainty as a
low-confidence caption; a picture too small to caption is said as a small image."""

from __future__ import annotations

import pytest

from seesay.describe.compose import PictureSaid, certainty_of, compose, compose_answer, compose_screen

DOCUMENT = ["Dear team, the quarterly report is attached to this message.",
            "Please read the summary before Friday's meeting."]


@pytest.mark.parametrize("caption", ["", "cat", "a", "a screenshot of a website with a picture of a man",
                                     "a computer screen with a bunch of icons on it"])
def test_a_sure_caption_that_says_nothing_is_not_said(caption):
    said = compose(caption, 0.99, [], match=0.99)
    assert (said.spoken, said.certainty) == ("I can't tell what this picture shows.", "unsure")
    assert f"99% sure, fits the picture 99%: {caption}" in said.shown  # shown as it was, for sighted help


def test_a_screen_caption_is_not_spoken_on_a_text_screen_however_sure():
    said = compose("a screenshot of a text document", 0.999, DOCUMENT)
    assert said.mode == "text"
    assert said.spoken.startswith("Text: Dear team")
    assert "screenshot" not in said.spoken and "Picture:" not in said.spoken
    assert "a screenshot of a text document" in said.shown


def test_a_screen_caption_with_a_few_words_read_leads_with_the_text():
    """Four words on a screen the captioner calls a website: the text is what there is to say."""
    said = compose("a website with a picture of a dog", 0.99, ["Sign in to continue"])
    assert said.mode == "text"
    assert said.spoken == "Text: Sign in to continue"


def test_certainty_of_a_caption_that_says_nothing_is_unsure_whatever_the_numbers():
    assert certainty_of(0.99, 0.99, caption="a red circle on a white background") == "plain"
    assert certainty_of(0.99, 0.99, caption="circle") == "unsure"
    assert certainty_of(0.99, None, caption="a screenshot of a web page", measured=False) == "unsure"


def test_on_a_screen_a_picture_region_named_a_screen_is_unclear_and_a_small_one_is_listed():
    pictures = [PictureSaid(place="top right", box=(900, 0, 1200, 300),
                            caption="a computer screen with a window open", confidence=0.99, match=0.95),
                PictureSaid(place="bottom left", box=(0, 700, 40, 740), caption=None, confidence=0.0, small=True),
                PictureSaid(place="centre", box=(400, 300, 800, 600), caption="a dog on the grass", confidence=0.99,
                            quarters=(("top left", "dog", 0.99), ("top right", "grass and a dog", 0.99)))]
    said = compose_screen(pictures, DOCUMENT, context="Browser")
    assert "Picture at top right: unclear" in said.spoken
    assert "Picture at bottom left: small image" in said.spoken
    assert "top left: unclear. top right: grass and a dog" in said.spoken
    assert said.certainty == "unsure"
    assert "Picture at bottom left: small image, 40 by 40 pixels, not described" in said.shown


def test_a_picture_too_small_to_caption_is_said_as_a_small_image_with_its_text():
    said = compose("", 0.0, ["OK"], small=(32, 24), context="Settings")
    assert said.spoken == "Settings. A small image, 32 by 24 pixels, too small to describe. Text: OK"
    assert said.certainty == "unsure"
    assert said.shown.startswith("A small image, 32 by 24 pixels, too small to describe.")


def test_detail_parts_that_say_nothing_are_unclear():
    said = compose("a red circle on a white background", 0.99, [],
                   regions=[("top left", "circle", 0.99), ("top right", None, 1.0),
                            ("bottom left", "a red circle", 0.99)])
    assert said.spoken.endswith("In detail: top left: unclear. top right: empty. bottom left: a red circle")


def test_an_empty_answer_is_not_said_but_a_one_word_answer_is():
    assert compose_answer("what is this?", "", 0.99).spoken == "I can't tell from this picture."
    assert compose_answer("what colour is it?", "red", 0.99).spoken == "red"
