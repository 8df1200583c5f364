"""Captions checked against the picture: how the image-text match and the token confidence
decide together what is said (compose.certainty_of), for a measured and a never-measured
captioner. The table here is the one in the README."""

from __future__ import annotations

import pytest

from seesay.describe.compose import PictureSaid, certainty_of, compose, compose_screen

CAPTION = "a red circle on a white background"


@pytest.mark.parametrize("confidence, match, measured, expected", [
    # measured captioner, no matcher: as before
    (0.99, None, True, "plain"), (0.80, None, True, "hedged"), (0.30, None, True, "unsure"),
    # measured captioner with a matcher: the less sure of the two
    (0.99, 0.97, True, "plain"), (0.99, 0.70, True, "hedged"), (0.99, 0.20, True, "unsure"),
    (0.80, 0.97, True, "hedged"), (0.30, 0.97, True, "unsure"),
    # never-measured captioner, no matcher: its token probabilities never silence it
    (0.99, None, False, "plain"), (0.80, None, False, "hedged"), (0.30, None, False, "hedged"),
    (0.01, None, False, "hedged"),
    # never-measured captioner with a matcher: the matcher decides
    (0.30, 0.97, False, "plain"), (0.99, 0.70, False, "hedged"), (0.99, 0.20, False, "unsure"),
])
def test_the_rule(confidence, match, measured, expected):
    assert certainty_of(confidence, match, measured=measured) == expected


def test_a_caption_the_matcher_rejects_is_never_said_as_fact():
    for confidence in (0.999, 0.9, 0.5):
        for measured in (True, False):
            said = compose(CAPTION, confidence, [], match=0.2, measured=measured)
            assert said.spoken == "I can't tell what this picture shows."
            assert said.certainty == "unsure"
            assert f"sure, fits the picture 20%: {CAPTION}" in said.shown  # still shown, with both numbers


def test_a_sure_caption_the_matcher_doubts_is_hedged():
    said = compose(CAPTION, 0.999, [], match=0.7)
    assert (said.spoken, said.certainty) == (f"probably {CAPTION}", "hedged")


def test_on_a_text_screen_a_rejected_caption_never_follows_the_text():
    document = ["Dear team, the quarterly report is attached to this message.",
                "Please read the summary before Friday's meeting."]
    assert "Picture:" in compose("a blue triangle on a white background", 0.995, document).spoken
    assert "Picture:" not in compose("a blue triangle on a white background", 0.995, document, match=0.1).spoken
    assert "Picture:" not in compose("a blue triangle on a white background", 0.995, document, match=0.6).spoken


def test_a_screen_says_each_picture_as_its_match_allows():
    pictures = [PictureSaid("top left", (0, 0, 100, 100), CAPTION, 0.99, match=0.98),
                PictureSaid("top right", (100, 0, 200, 100), "a blue square on a black background", 0.99, match=0.1),
                PictureSaid("bottom left", (0, 100, 100, 200), "a green triangle on a white background", 0.99,
                            quarters=(("top left", "a green triangle on a white background", 0.99, 0.05),))]
    said = compose_screen(pictures, [])
    assert f"Picture at top left: {CAPTION}" in said.spoken
    assert "Picture at top right: unclear" in said.spoken and "blue square" not in said.spoken
    assert "top left: unclear" in said.spoken.split("In detail:")[1]
    assert said.certainty == "unsure"
    assert "Picture at top right, 99% sure, fits the picture 10%: a blue square on a black background" in said.shown


def test_a_never_measured_model_hedges_where_a_measured_one_says_it_cannot_tell():
    assert compose("a cat on a bed", 0.3, [], measured=True).spoken == "I can't tell what this picture shows."
    assert compose("a cat on a bed", 0.3, [], measured=False).spoken == "probably a cat on a bed"


def test_an_answer_whose_caption_the_matcher_rejects_is_never_said_as_fact():
    from seesay.describe.compose import compose_answer

    asked = ("what colour is the car?", "red", 0.99)
    assert compose_answer(*asked, statement="a red car", match=0.97).spoken == "red"
    rejected = compose_answer(*asked, statement="a red car", match=0.02)
    assert (rejected.spoken, rejected.certainty) == ("probably red", "hedged")  # a matcher never measured on answers
    assert "Checked as \u201ca red car\u201d, fits the picture 2%" in rejected.shown
    silenced = compose_answer(*asked, statement="a red car", match=0.02, check="silence")
    assert (silenced.spoken, silenced.certainty) == ("I can't tell from this picture.", "unsure")
    assert compose_answer("what colour is the car?", "red", 0.3, match=0.99).certainty == "unsure"  # tokens still count


def test_answers_are_said_as_captions_only_where_they_make_one():
    from seesay.vision.vqa import statement_of

    assert statement_of("What colour is the car?", "Red") == "a red car"
    assert statement_of("what color is it?", "blue") == "something blue"
    assert statement_of("what shape is it?", "circle") == "a circle"
    assert statement_of("what is this?", "apple") == "an apple"
    assert statement_of("is there a dog?", "yes") == "a dog"
    assert statement_of("is there a dog?", "no") is None  # what is not there makes no caption
    assert statement_of("how many cats are there?", "3") is None
    assert statement_of("what is written here?", "exit") is None
