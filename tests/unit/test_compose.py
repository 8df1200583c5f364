"""What is said: window first; text leads on text screens; captions only as sure as the model."""

from __future__ import annotations

from seesay.describe.compose import compose, compose_answer

DOCUMENT = ["Dear team, the quarterly report is attached to this message.",
            "Please read the summary before Friday's meeting.",
            "Sales grew in every region except the north."]


def test_a_confident_picture_is_said_plainly():
    said = compose("a red circle on a white background", 0.99, [])
    assert said.spoken == "a red circle on a white background"
    assert (said.mode, said.certainty) == ("picture", "plain")
    assert said.shown == "Picture, 99% sure: a red circle on a white background"


def test_middle_confidence_is_hedged_and_low_confidence_admits_it():
    assert compose("a dog", 0.8, []).spoken == "probably a dog"
    unsure = compose("a cat on a bed", 0.3, [])
    assert unsure.spoken == "I can't tell what this picture shows."
    assert "a cat on a bed" in unsure.shown  # still shown, with its confidence
    assert "30% sure" in unsure.shown


def test_window_name_comes_first_then_the_text_and_no_unsure_caption():
    said = compose("a cat on a bed", 0.8, DOCUMENT, context="report.txt - Mousepad")
    assert said.mode == "text"
    assert said.spoken.startswith("report.txt - Mousepad. Text: Dear team, the quarterly report")
    assert "cat" not in said.spoken
    assert all(line in said.shown for line in DOCUMENT)


def test_on_a_text_screen_only_a_very_sure_caption_follows_the_text():
    assert "Picture:" not in compose("a blue triangle", 0.97, DOCUMENT).spoken
    said = compose("a bar chart with blue bars", 0.995, DOCUMENT)  # not "a screenshot of ...": test_compose_quirks
    assert said.spoken.endswith("Picture: a bar chart with blue bars")


def test_a_picture_with_a_few_words_leads_with_the_caption():
    said = compose("a street sign", 0.96, ["STOP"], coverage=0.01)
    assert said.mode == "picture"
    assert said.spoken == "a street sign. Text: STOP"


def test_only_the_word_budget_is_spoken_but_all_is_shown():
    lines = [f"line {n} has five words" for n in range(30)]
    said = compose("a page", 0.5, lines, word_budget=12)
    spoken_text = said.spoken.split("Text: ", 1)[1]
    assert len(spoken_text.replace(" …", "").split()) == 12 and spoken_text.endswith("…")
    assert said.shown.count("has five words") == 30


def test_regions_follow_with_their_place_each_as_sure_as_its_caption():
    said = compose("a screen", 0.99, [], regions=[
        ("top left", "a red circle", 0.99), ("top right", None, 1.0),
        ("bottom left", "a blue square", 0.8), ("bottom right", "a cat", 0.2)])
    assert said.spoken == ("a screen. In detail: top left: a red circle. top right: empty. "
                           "bottom left: probably a blue square. bottom right: unclear")
    assert "bottom right, 20% sure: a cat" in said.shown


def test_answers_are_hedged_like_captions():
    assert compose_answer("what color is it?", "red", 0.99).spoken == "red"
    assert compose_answer("what color is it?", "red", 0.8).spoken == "probably red"
    unsure = compose_answer("what color is it?", "red", 0.3)
    assert unsure.spoken == "I can't tell from this picture."
    assert unsure.shown == "Question: what color is it?\nAnswer, 30% sure: red"


def test_a_few_words_on_flat_colour_are_a_dialog_not_a_photo():
    dialog = ["Save changes to notes.txt?", "Save", "Cancel"]
    said = compose("a white wall with a sign", 0.9, dialog, coverage=0.01, flat=0.85)
    assert said.mode == "text"
    assert said.spoken == "Text: Save changes to notes.txt? Save Cancel"  # no invented photo
    photo = compose("a street sign on a pole", 0.97, ["Main Street", "One Way"], coverage=0.01, flat=0.2)
    assert photo.mode == "picture" and photo.spoken.startswith("a street sign on a pole")


def test_pictures_inside_a_screen_are_said_with_their_place_then_the_text():
    from seesay.describe.compose import PictureSaid, compose_screen

    said = compose_screen([PictureSaid("top right", (900, 80, 1200, 300), "a yellow triangle on a black background", 0.99),
                           PictureSaid("bottom left", (40, 500, 300, 700), "a dog", 0.8)],
                          ["Spring newsletter", "The team met on Friday."], whole=("a blue triangle", 0.999),
                          context="news.html - Browser")
    assert said.spoken == ("news.html - Browser. Picture at top right: a yellow triangle on a black background. "
                           "Picture at bottom left: probably a dog. Text: Spring newsletter The team met on Friday.")
    assert said.mode == "screen" and said.certainty == "hedged"
    assert "blue triangle" not in said.spoken  # the whole screen is never captioned aloud...
    assert "not spoken), 100% sure: a blue triangle" in said.shown  # ...but shown
    assert "Picture at bottom left, 80% sure: a dog" in said.shown


def test_more_than_three_pictures_are_counted_and_the_largest_said():
    from seesay.describe.compose import PictureSaid, compose_screen

    pictures = [PictureSaid(place, (0, 0, 10, 10), f"picture {n}", 0.99, spoken=n != 2)
                for n, place in enumerate(("top left", "top", "top right", "left"))]
    said = compose_screen(pictures, [])
    assert said.spoken.startswith("4 pictures; the 3 largest: Picture at top left: picture 0. Picture at the top")
    assert "picture 2" not in said.spoken and "Picture at top right, 99% sure: picture 2" in said.shown
    nothing = compose_screen([], [], whole=("a cat", 0.999))
    assert nothing.spoken == "No pictures or text found." and "cat" not in nothing.spoken


def test_a_blank_capture_is_explained_not_captioned():
    from seesay.describe.compose import compose_blank

    black = compose_blank(black=True, capture=True, context="Desktop")
    assert black.spoken.startswith("Desktop. Nothing to see: the capture is all black.")
    assert "screen curtain" in black.spoken and black.mode == "blank"
    assert compose_blank(black=False, capture=True).spoken == "Nothing to see: the capture is one plain colour."
    assert compose_blank(black=True, capture=False).spoken == "The picture is all black."


def test_pictures_in_the_same_place_are_told_apart_by_number():
    """Two photos in one corner of a page are not both "Picture at bottom left": each has its
    number, counted in reading order (the layout's: the upper, then the lower), in speech and on
    screen."""
    from seesay.describe.compose import PictureSaid, compose_screen

    lower = PictureSaid("bottom left", (40, 820, 300, 1000), "a cat", 0.99)
    upper = PictureSaid("bottom left", (40, 600, 300, 780), "a dog", 0.99)
    alone = PictureSaid("top right", (900, 80, 1200, 300), "a boat", 0.99)
    said = compose_screen([alone, upper, lower], ["News"])
    assert said.spoken == ("Picture at top right: a boat. Picture 1 at bottom left: a dog. "
                           "Picture 2 at bottom left: a cat. Text: News")
    assert "Picture 1 at bottom left, 99% sure: a dog" in said.shown
    assert "Picture 2 at bottom left, 99% sure: a cat" in said.shown
    assert "Picture at top right, 99% sure: a boat" in said.shown


def test_a_photo_with_words_written_on_it_says_them_then_what_it_shows():
    """A meme or a poster: its words first, then the photo as sure as its caption (a text screen's
    caption follows only when nearly certain: there a photo captioner invents photos)."""
    meme = ["HAPPY BIRTHDAY GRANDMA", "LOVE YOU ALWAYS"]
    said = compose("a cat on a sofa", 0.9, meme, coverage=0.06, flat=0.05)
    assert said.spoken == "Text: HAPPY BIRTHDAY GRANDMA LOVE YOU ALWAYS. Picture: probably a cat on a sofa"
    assert "Picture:" not in compose("a cat on a sofa", 0.3, meme, coverage=0.06, flat=0.05).spoken
    assert "Picture:" not in compose("a cat on a sofa", 0.9, meme, coverage=0.06, flat=0.7).spoken
