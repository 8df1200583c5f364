"""Web pages with real photos, rendered by Chromium: a news article with its photo, figure caption
and a row of thumbnails (rounded corners, shadows), a dark chat with photos in it, and a shop: a
banner photo with its title over it, and product cards (photo, name, price, button). Every photo
is found where the page put it; what the reader makes of the photos is never said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from fixtures.boxes import overlap
from fixtures.browser_shots import headless_shot
from fixtures.photo_screens import PHOTOS
from seesay.describe.pipeline import look, say

pytestmark = pytest.mark.slow
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
#: where each page's CSS puts its photos (left, top, right, bottom), at 1280x800
PHOTO_BOXES = {
    "news": {"rocket": (40, 170, 600, 543), "coffee": (40, 640, 240, 770), "astronaut": (280, 640, 480, 770),
             "galaxies": (520, 640, 720, 770), "coins": (760, 640, 960, 770)},
    "chat": {"camera": (30, 150, 390, 510), "cat": (880, 600, 1180, 780)},
    "shop": {"banner": (0, 0, 1280, 300), "coffee": (40, 340, 310, 560), "cat": (350, 340, 620, 560),
             "galaxies": (660, 340, 930, 560), "camera": (970, 340, 1240, 560)},
}


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> dict[str, Image.Image]:
    folder = tmp_path_factory.mktemp("photo-pages")
    for photo in PHOTOS.glob("*.jpg"):
        shutil.copy(photo, folder / photo.name)
    for name in PHOTO_BOXES:
        shutil.copy(PAGES / f"{name}.html", folder / f"{name}.html")
    return {name: Image.open(headless_shot(folder / f"{name}.html", folder)).convert("RGB") for name in PHOTO_BOXES}


@pytest.mark.parametrize("name", list(PHOTO_BOXES))
def test_every_photo_on_a_real_page_is_found_where_it_is(shots, scene_look, name):
    """The coins' thumbnail was not found (the reader's "6008 o@" across its rows, 0.55 sure,
    made it a frame round text), the rounded corner of the article's photo was said as "r", and
    two shop cards' photos were lost in their cards' frames round the product's name."""
    captioner, reader = scene_look
    seen = look(shots[name], captioner, reader)
    found = [picture.region.box for picture in seen.pictures]
    missed = {photo: box for photo, box in PHOTO_BOXES[name].items()
              if max((overlap(box, other) for other in found), default=0) < 0.85}
    assert missed == {}, found
    assert len(found) == len(PHOTO_BOXES[name]), found
    said = say(seen, {"text_words": 200}, context="Chromium").spoken
    marks = [line.text for line in seen.read.lines if len(line.text.strip()) == 1 and f" {line.text} " in f" {said} "]
    assert marks == [], said


def test_the_news_page_says_its_heading_byline_and_figure_caption(shots, scene_look):
    captioner, reader = scene_look
    said = say(look(shots["news"], captioner, reader), {"text_words": 200}, context="Chromium").spoken
    for words in ("Rocket launch lights up the coast", "By Ada Marsh, 2 December 2026",
                  "The rocket on its pad shortly before launch.", "Crowds gathered along the shore"):
        assert words in said, said


def test_product_cards_are_read_card_by_card(shots, scene_look):
    """A row of cards was read across the row like a table's ("Espresso cup, Cat poster, Galaxy
    print, Film camera Red porcelain cup with saucer, A tabby cat, ..."): each card's name, words
    and price must come before the next card's."""
    captioner, reader = scene_look
    said = say(look(shots["shop"], captioner, reader), {"text_words": 200}, context="Chromium").spoken
    order = ["Espresso cup", "Red porcelain cup", "$12.50", "Cat poster", "A tabby cat", "$8.00", "Galaxy print",
             "Deep field photo", "$30.00", "Film camera", "Classic camera", "$95.00"]
    assert all(part in said for part in order), said
    assert sorted(order, key=said.index) == order, said
