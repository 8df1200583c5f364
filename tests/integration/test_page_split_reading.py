"""Reading a page in two halves at once (``TesseractReader(..., blocks=False)``) reads the same
lines in the same order as reading it whole: the cut never runs through a full-width heading
(found by a review: "...the whole cor" / "Apany..."), a menu bar, three columns, or a table."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from seesay.vision.ocr import TesseractReader, find_tessdata
from seesay.vision.page_split import find_cut

pytestmark = pytest.mark.skipif(find_tessdata() is None, reason="tesseract language data is not installed")

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WORDS = ("the report shows that every region grew this spring while supply problems in the north "
         "delayed three large orders until the next quarter began and the team thanks everyone for "
         "their careful work on the new reading features which reach more people each month").split()


def lines_of(width_chars: int, count: int, seed: int) -> list[str]:
    """``count`` lines of about ``width_chars`` characters of plain prose."""
    out, i = [], seed
    for _ in range(count):
        line = []
        while len(" ".join(line)) < width_chars:
            line.append(WORDS[i % len(WORDS)])
            i += 1
        out.append(" ".join(line))
    return out


def columns_of_text(draw, lefts: tuple[int, ...], top: int, pitch: int, chars: int, font) -> None:
    """22 lines of prose in each column starting at ``lefts``."""
    for column, left in enumerate(lefts):
        for n, line in enumerate(lines_of(chars, 22, seed=column * 50)):
            draw.text((left, top + n * pitch), line, fill="black", font=font)


def heading_over_columns(size=(1600, 900)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 30), "Staff letter for the whole company, spring edition with every region", fill="black",
              font=ImageFont.truetype(BOLD, 30))
    columns_of_text(draw, (40, 830), top=110, pitch=32, chars=60, font=ImageFont.truetype(FONT, 18))
    return image


def menu_bar(size=(1600, 900)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 18)
    draw.rectangle((0, 0, size[0], 36), fill=(235, 235, 235))
    for n, item in enumerate(("File", "Edit", "View", "Insert", "Format", "Tools", "Table", "Window", "Help")):
        draw.text((20 + n * 170, 8), item, fill="black", font=font)
    columns_of_text(draw, (40, 830), top=70, pitch=34, chars=60, font=font)
    return image


def three_columns(size=(1800, 900)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 24), "News from the three offices of the company this spring and summer", fill="black",
              font=ImageFont.truetype(BOLD, 28))
    columns_of_text(draw, (40, 630, 1220), top=100, pitch=33, chars=44, font=ImageFont.truetype(FONT, 17))
    return image


def table(size=(1600, 900)):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 18)
    cols = (40, 420, 800, 1180)
    header = ("Name", "Office", "Orders", "Status")
    rows = [(f"{WORDS[i % 40].title()} {WORDS[(i * 7) % 40]}", ("North", "South", "East", "West")[i % 4],
             str(100 + i * 13), ("Printing", "Shipped", "Waiting")[i % 3]) for i in range(22)]
    for r, row in enumerate([header] + rows):
        y = 30 + r * 36
        for x, cell in zip(cols, row):
            draw.text((x, y), cell, fill="black", font=font)
        draw.line((30, y + 30, 1560, y + 30), fill=(180, 180, 180), width=1)
    return image


HEADINGS = {
    heading_over_columns: "Staff letter for the whole company, spring edition with every region",
    three_columns: "News from the three offices of the company this spring and summer",
}


@pytest.fixture(scope="module")

def readers():
    tessdata = find_tessdata()
    return TesseractReader(tessdata, blocks=False), TesseractReader(tessdata, blocks=False, split=False)


@pytest.mark.parametrize("make", [heading_over_columns, menu_bar, three_columns, table], ids=lambda make: make.__name__)

def test_reading_in_halves_reads_what_reading_whole_reads(readers, make):
    halves, whole = readers
    page = make()
    read_whole = [line.text.strip() for line in whole.read(page).lines]
    read_in_halves = [line.text.strip() for line in halves.read(page).lines]
    assert read_in_halves == read_whole, f"cut at {find_cut(page)}"
    if make in HEADINGS:
        assert HEADINGS[make] in read_in_halves  # the heading is one line, not two halves


@pytest.mark.parametrize("make", [menu_bar, three_columns], ids=lambda make: make.__name__)

def test_pages_with_a_clean_gutter_are_still_read_in_two_halves(make):
    cut = find_cut(make())
    assert cut is not None and cut.direction == "columns"  # the time saved is kept where it is safe
