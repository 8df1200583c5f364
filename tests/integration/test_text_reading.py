"""Reading text with real tesseract: exact on screen-sized text, fast enough, and absent with a reason."""

from __future__ import annotations

import pytest

from fixtures.text_pages import PARAGRAPHS, render_text, words_right
from seesay.vision import ocr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reader():
    reader, problem = ocr.create_text_reader()
    assert problem is None, problem
    return reader


@pytest.mark.parametrize("points", [28, 16])
def test_paragraphs_are_read_in_order(reader, points):
    read = reader.read(render_text(PARAGRAPHS, points=points))
    assert words_right(PARAGRAPHS, read.text) >= 0.95
    assert [line.box[1] for line in read.lines] == sorted(line.box[1] for line in read.lines)  # top to bottom
    assert len(read.lines) == len(PARAGRAPHS)


@pytest.mark.parametrize("points", [40, 60, 80, 96])
def test_big_text_is_read_whole(reader, points):
    """A magnified page: the gaps between big words are as wide as a narrow column's gutter, and big
    letters have stems as wide as a terminal's cursor; neither may cut or erase the words."""
    lines = ["Please read the summary", "before the meeting on Friday", "Sales grew in every region"]
    read = reader.read(render_text(lines, size=(1920, 1080), points=points))
    assert [line.text for line in read.lines] == lines


HEADINGS = ["Field notes", "Billing details", "Kitchen lights", "Flight deals", "Hidden files", "Edit filters",
            "Build failed", "Title held"]
DEJAVU = "/usr/share/fonts/truetype/dejavu/"


@pytest.mark.parametrize("face", ["DejaVuSans-Bold", "DejaVuSans", "DejaVuSerif-Bold"])
@pytest.mark.parametrize("page, ink", [((255, 255, 255), (20, 20, 20)), ((32, 33, 36), (232, 234, 237)),
                                       ((25, 90, 170), (255, 255, 255))], ids=["light", "dark", "banner"])
def test_headings_are_read_letter_for_letter(reader, face, page, ink):
    """A page's or a dialog's title, alone on its line, 16 to 44 points: a letter's stem at the edge
    of its line ("F" of "Field", "d" of "failed") was painted out as a table's grid line, a bold stem
    as a terminal's cursor, and "Build failed" (stems in all four corners) left out as a drawn
    shape: 102 of these 504 headings were read wrong or not at all ("-"ac “os" for "Field notes")."""
    from PIL import Image, ImageDraw, ImageFont

    wrong = []
    for points in (16, 20, 24, 28, 32, 36, 44):
        font = ImageFont.truetype(f"{DEJAVU}{face}.ttf", points)
        page_image = Image.new("RGB", (900, len(HEADINGS) * 3 * points + 60), page)
        draw = ImageDraw.Draw(page_image)
        for index, heading in enumerate(HEADINGS):  # far apart: each title is a block of its own
            draw.text((40 + 37 * index, 30 + index * 3 * points), heading, fill=ink, font=font)
        read = [line.text for line in reader.read(page_image).lines]
        wrong += [(points, heading) for heading in HEADINGS if heading not in read]
    assert wrong == []


def test_a_picture_without_text_gives_no_lines(reader, ):
    from PIL import Image

    assert reader.read(Image.new("RGB", (640, 480), (0, 0, 0))).lines == ()


@pytest.mark.parametrize("size, seed", [((160, 120), 5150), ((200, 150), 20261202)])
def test_a_small_picture_of_a_shape_is_never_read_as_text(reader, size, seed):
    """A thumbnail-sized drawing (read enlarged): the background in the corners round a disc was
    read as "baad" and "Daal" and said as the picture's text (3 of 40 drawings at 160x120), and a
    triangle 39 pixels tall as "A" (1 of 40); a yellow disc at 200x150 as "bn. ud" (its box's
    sides 0.68 ink, taken for a word's when headings were mended)."""
    import random

    from fixtures.scenes import draw_random_scene

    rng = random.Random(seed)
    read = []
    for _ in range(40):
        scene, image = draw_random_scene(rng, size)
        read += [(scene.caption, line.text) for line in reader.read(image).lines]
    assert read == []


def test_without_language_data_captions_still_work_and_the_fix_is_said(monkeypatch):
    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())  # a machine without tesseract-ocr's data
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    reader, problem = ocr.create_text_reader()
    assert isinstance(reader, ocr.NoTextReader)
    assert "sudo apt install tesseract-ocr tesseract-ocr-eng" in problem


def two_column_page():
    from PIL import Image

    left = render_text(PARAGRAPHS[:3], size=(900, 1080), points=16)
    right = render_text(PARAGRAPHS[3:], size=(900, 1080), points=16)
    page = Image.new("RGB", (1920, 1080), "white")
    page.paste(left.crop((0, 0, 900, 1080)), (0, 0))
    page.paste(right.crop((0, 0, 900, 1080)), (1000, 0))
    return page


def test_a_page_read_in_two_parts_reads_like_one(reader):
    from seesay.vision.page_split import find_cut

    image = render_text(PARAGRAPHS * 4, size=(1920, 1080), points=16)
    assert find_cut(image).direction == "rows", "the page should be split between lines"
    whole = ocr.TesseractReader(ocr.find_tessdata(), split=False).read(image)
    split = reader.read(image)
    assert [line.text for line in split.lines] == [line.text for line in whole.lines]
    for ours, theirs in zip(split.lines, whole.lines):  # boxes in the page's pixels
        assert max(abs(a - b) for a, b in zip(ours.box, theirs.box)) <= 3


def test_two_columns_are_read_column_by_column(reader):
    from seesay.vision.page_split import find_cut

    image = two_column_page()
    assert find_cut(image).direction == "columns"
    read = reader.read(image)
    assert words_right(PARAGRAPHS, read.text) >= 0.95  # left column, then right: never across the gutter
    assert len(read.lines) == len(PARAGRAPHS)
    assert read.lines[3].box[0] >= 1000


CARDS = [["Espresso cup", "Red porcelain cup", "$12.50"], ["Cat poster", "A tabby cat print", "$8.00"],
         ["Galaxy print", "Deep field photo", "$30.00"], ["Film camera", "Classic with tripod", "$95.00"]]


def _cards_and_table(outlined: bool):
    """A row of four cards, each only an outline on a page of its own colour (``outlined``), or
    the same words as a table: the cells of each row with one grid line between them."""
    from PIL import Image, ImageDraw, ImageFont

    screen = Image.new("RGB", (1280, 300), "white")
    draw = ImageDraw.Draw(screen)
    bold, plain = (ImageFont.truetype(DEJAVU + name, size) for name, size in (("DejaVuSans-Bold.ttf", 19),
                                                                                ("DejaVuSans.ttf", 15)))
    for index, card in enumerate(CARDS):
        left = 40 + index * 310
        if outlined:
            draw.rounded_rectangle((left, 30, left + 270, 270), radius=10, outline=(200, 200, 200), width=1)
        elif index:
            draw.line((left - 20, 30, left - 20, 270), fill=(200, 200, 200), width=1)
        for row, (words, font) in enumerate(zip(card, (bold, plain, bold))):
            draw.text((left + 16, 50 + row * 40), words, fill=(34, 34, 34), font=font)
    return screen


def test_cards_that_are_only_outlines_are_read_card_by_card(reader):
    """Cards drawn as outlines on a page of their own colour were read across the row like a
    table's ("Espresso cup Cat poster Galaxy print ..."): each card is read whole before the next,
    while a table with a grid line between its cells is still read row by row."""
    said = " ".join(line.text for line in reader.read(_cards_and_table(outlined=True)).lines)
    order = [words for card in CARDS for words in card]
    assert all(words in said for words in order), said
    assert sorted(order, key=said.index) == order, said
    table = " ".join(line.text for line in reader.read(_cards_and_table(outlined=False)).lines)
    by_rows = [card[row] for row in range(3) for card in CARDS]
    assert all(words in table for words in by_rows), table
    assert sorted(by_rows, key=table.index) == by_rows, table
