"""Which of the words read in a photo's white and black masks are said (``vision.lettering``)."""

from __future__ import annotations

from seesay.vision.lettering import lines_in, one_each
from seesay.vision.ocr_types import TextLine


def test_what_a_mask_makes_of_a_shadow_or_a_highlight_is_not_a_line():
    shadow = [("4", (10, 10, 30, 40), 0.95), ("te", (40, 10, 60, 40), 0.89)]
    assert lines_in([shadow]) == []


def test_a_line_with_a_sure_word_keeps_its_sure_words_only():
    line = [("HAPPY", (100, 600, 300, 660), 0.96), ("~", (310, 600, 330, 660), 0.9),
            ("BIRTHDAY", (340, 600, 640, 660), 0.95), ("al", (650, 600, 700, 660), 0.4)]
    [said] = lines_in([line], scale=2.0)
    assert said.text == "HAPPY BIRTHDAY"
    assert said.box == (200, 1200, 1080, 120)  # in the photo's pixels, twice the mask's


def test_the_same_words_found_in_both_masks_are_said_once_the_surer_reading():
    white = TextLine("HAPPY BIRTHDAY GRANDMA", (107, 812, 883, 39), 0.96)
    outline = TextLine("HAPPY BIRTH", (107, 812, 409, 39), 0.90)
    elsewhere = TextLine("OPEN", (100, 100, 200, 40), 0.95)
    assert one_each([outline, white, elsewhere]) == [white, elsewhere]


def test_pictures_of_any_shape_are_read_for_lettering_without_a_fault():
    """A line of pixels (3000x1), a speck, one colour: nothing written, and no error."""
    from PIL import Image

    from seesay.vision.ocr import create_text_reader

    reader, problem = create_text_reader()
    assert problem is None, problem
    for size in ((1, 1), (5, 5), (3000, 1), (1, 2000), (4000, 3)):
        for colour in ((255, 255, 255), (0, 0, 0), (128, 128, 128)):
            assert reader.read_lettering(Image.new("RGB", size, colour)) == ()


def test_lettering_takes_its_place_in_its_column_and_the_place_of_a_worse_reading():
    from seesay.describe.written_on_photos import with_lettering
    from seesay.vision.ocr_types import ReadText

    heading = TextLine("Field notes", (40, 24, 200, 30), 0.96)
    left_column = [TextLine(f"Paragraph line {n}", (40, 100 + 30 * n, 600, 20), 0.95) for n in range(3)]
    garble = TextLine("E5145 OUOLO) NS", (810, 330, 300, 30), 0.4)
    caption = TextLine("Photo: the old observatory", (790, 420, 400, 20), 0.93)
    read = ReadText(lines=(heading, *left_column, garble, caption), image_size=(1280, 800))
    written = TextLine("SEE YOU SOON", (812, 332, 295, 26), 0.96)
    lines = with_lettering(read, [written]).lines
    assert lines == (heading, *left_column, written, caption)  # above the photo's caption, garble gone
    unsure_written = TextLine("SEE YOU SOON", (812, 332, 295, 26), 0.3)
    assert with_lettering(read, [unsure_written]) is read  # the page's reading was surer
