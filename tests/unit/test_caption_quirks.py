"""BLIP's known quirks cleaned before anything is said (issue 21): the strings real BLIP writes
(base and large), and what the person hears instead. Real weights cannot run here; these are
the captions they are known to give."""

from __future__ import annotations

import pytest

from seesay.vision.caption_quirks import (MIN_CAPTION_SIDE, big_enough_to_caption, clean_answer, clean_caption,
                                          describes_something, names_a_screen)


@pytest.mark.parametrize("raw, said", [
    ("arafed man sitting on a bench with a dog", "man sitting on a bench with a dog"),
    ("araffe giraffe standing in a field", "giraffe standing in a field"),
    ("there is a arafed woman holding an umbrella", "a woman holding an umbrella"),
    ("an araffe elephant in the water", "an elephant in the water"),
    ("an arafed man riding a horse", "a man riding a horse"),
    ("arafe cat laying on a bed", "cat laying on a bed"),
    ("two arafed men standing next to each other", "two men standing next to each other"),
])
def test_nonsense_words_are_left_out(raw, said):
    assert clean_caption(raw) == said


@pytest.mark.parametrize("raw, said", [
    ("there is a dog that is sitting on the grass", "a dog sitting on the grass"),
    ("there are two cats laying on a bed", "two cats laying on a bed"),
    ("there's a red car parked on the street", "a red car parked on the street"),
    ("there is a sign that is red", "a sign that is red"),  # only "that is ...ing" is shortened
])
def test_there_is_a_is_said_as_what_there_is(raw, said):
    assert clean_caption(raw) == said


@pytest.mark.parametrize("raw, said", [
    ("a man and a man and a man", "a man"),
    ("a cat sitting on a cat sitting on", "a cat sitting"),
    ("a plate of food with a fork and a fork and a fork", "a plate of food with a fork"),
    ("a close up of a close up of a cat", "a close up of a cat"),
    ("a man sitting on a bench with a man sitting on a bench", "a man sitting on a bench"),
    ("people walking walking walking down the street", "people walking down the street"),
    ("a bowl of soup and a bowl of soup", "a bowl of soup"),
])
def test_repeated_phrases_are_said_once(raw, said):
    assert clean_caption(raw) == said


@pytest.mark.parametrize("caption", [
    "a red circle on a white background",  # the scene models' captions are left as they are
    "a man and a woman standing next to each other",
    "two dogs and two cats",
    "a red and white bus",
    "a blue triangle on a black background",
])
def test_ordinary_captions_are_untouched(caption):
    assert clean_caption(caption) == caption


@pytest.mark.parametrize("caption, says", [
    ("", False), ("arafed", False), ("a", False), ("cat", False), ("the", False), ("a the", False),
    ("a dog", True), ("a red circle on a white background", True), ("two cats", True),
])
def test_empty_or_one_word_captions_say_nothing(caption, says):
    assert describes_something(clean_caption(caption)) is says


@pytest.mark.parametrize("caption, screen", [
    ("a screenshot of a website with a picture of a man", True),
    ("a screen shot of a computer with a bunch of text", True),
    ("a computer screen with a bunch of icons on it", True),
    ("a website with a picture of a dog", True),
    ("a web page with a list of names", True),
    ("the website of a company", True),
    ("an image of a computer screen with a window open", True),
    ("a close up of a computer monitor with a text document", True),
    ("screenshot of a video game", True),
    ("a man sitting in front of a computer screen", False),  # a photo of someone at a computer
    ("a red circle on a white background", False),
    ("a computer on a desk", False),
    ("a computer monitor sitting on top of a desk", False),  # a photo of a monitor, not a screen's picture
    ("a laptop screen on a wooden table", False),
    ("a computer screen", True),
    ("a laptop screen showing a spreadsheet", True),
])
def test_a_caption_that_names_a_screen_is_recognised(caption, screen):
    assert names_a_screen(caption) is screen


def test_answers_lose_the_nonsense_but_one_word_is_an_answer():
    assert clean_answer("arafed") == ""
    assert clean_answer("yes") == "yes"
    assert clean_answer("red red") == "red"
    assert clean_answer("2") == "2"


@pytest.mark.parametrize("size, captioned", [
    ((32, 32), False),  # a toolbar icon, an avatar in a list
    ((47, 400), False),  # a thin strip: a rule, a progress bar
    ((48, 48), True),
    ((64, 40), False),
    ((640, 480), True),
])
def test_pictures_smaller_than_the_minimum_are_not_captioned(size, captioned):
    assert MIN_CAPTION_SIDE == 48
    assert big_enough_to_caption(size) is captioned
