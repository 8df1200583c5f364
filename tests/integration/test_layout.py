"""The layout of a capture: the pictures inside a screen are found where they are, and nothing
is taken for a picture on pages of text or in dialogs. Text boxes come from the real reader."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from fixtures import composed_screens as screens
from fixtures.boxes import overlap
from fixtures.scenes import Scene, draw_random_scene, draw_scene
from seesay.describe.layout import MAX_REGIONS, find_layout
from seesay.vision.ocr import create_text_reader


@pytest.fixture(scope="module")
def reader():
    made, problem = create_text_reader()
    assert problem is None, problem
    return made


def layout_of(image, reader):
    read = reader.read(image)
    return find_layout(image, [(line.box, line.confidence) for line in read.lines])


def inside(inner, outer, slack=2) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack
            and inner[3] <= outer[3] + slack)


@pytest.mark.parametrize("where", ["top right", "bottom left"])
@pytest.mark.parametrize("border", [False, True])
@pytest.mark.parametrize("page", [(255, 255, 255), screens.GREY_PAGE])
def test_the_picture_in_an_article_is_found_at_its_place(reader, where, border, page):
    for seed in range(3):
        screen, (placed,) = screens.article(seed, where=where, border=border, page=page)
        layout = layout_of(screen, reader)
        assert len(layout.pictures) == 1, (seed, layout.pictures)
        found = layout.pictures[0]
        assert found.place == where
        if placed.scene.background == "white" and not border:
            # a shape on a page of its picture's colour (or nearly: white on light grey): the shape
            # is what stands out, and the captioner gets some of the ground around it
            assert inside(found.box, placed.box) and found.crop_box != found.box
        else:
            assert overlap(found.box, placed.box) > 0.95, (found.box, placed.box)
        assert not layout.is_one_picture  # a page with a picture on it is not a photo


def test_every_picture_in_a_chat_and_a_gallery_is_found(reader):
    cases = [screens.chat(seed, border=seed % 2 == 0, page=screens.GREY_PAGE if seed % 3 else (255, 255, 255))
             for seed in range(4)] + [screens.gallery(seed, count) for seed, count in enumerate((2, 3, 4, 5))]
    for screen, placed in cases:
        layout = layout_of(screen, reader)
        assert len(layout.pictures) == len(placed), (layout.pictures, placed)
        for truth in placed:
            assert any(overlap(found.box, truth.box) > 0.5 or inside(found.box, truth.box)
                       for found in layout.pictures), truth


@pytest.mark.parametrize("make", [screens.text_page, screens.dialog])
def test_text_pages_and_dialogs_have_no_pictures(reader, make):
    for seed in range(3):
        layout = layout_of(make(seed), reader)
        assert layout.pictures == () and not layout.is_one_picture and not layout.blank


def test_unread_text_is_not_a_picture():
    """Lines of text nobody read (the reader missed them) are bands of ink, not a picture."""
    page = screens.text_page(1)
    layout = find_layout(page, [])  # no text boxes at all
    assert layout.pictures == ()


def test_a_scene_on_its_own_is_one_picture():
    rng = random.Random(3)
    for _ in range(10):
        _scene, image = draw_random_scene(rng)
        layout = find_layout(image)
        assert layout.is_one_picture and len(layout.pictures) == 1


def test_a_photo_like_capture_is_one_picture():
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 255, (720, 1280, 3), dtype=np.uint8))
    layout = find_layout(noise)
    assert layout.is_one_picture and layout.pictures[0].share > 0.9


def test_black_and_one_colour_captures_are_blank():
    black = find_layout(Image.new("RGB", (1920, 1080), (2, 2, 2)))
    assert black.blank and black.black and black.pictures == ()
    grey = find_layout(Image.new("RGB", (1920, 1080), (90, 90, 90)))
    assert grey.blank and not grey.black
    dotted = Image.new("RGB", (1920, 1080), "black")
    ImageDraw.Draw(dotted).rectangle((900, 500, 1000, 560), fill="white")  # a cursor or a small window
    assert not find_layout(dotted).blank


def test_hostile_captures_give_a_bounded_answer_quickly():
    rng = np.random.default_rng(2)
    confetti = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(confetti)
    for _ in range(1500):  # hundreds of tiny regions
        x, y = int(rng.integers(0, 1900)), int(rng.integers(0, 1060))
        draw.rectangle((x, y, x + 6, y + 6), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    patches = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(patches)
    for row in range(10):
        for column in range(18):  # 180 pictures big enough to count
            x, y = 8 + column * 106, 8 + row * 107
            draw.rectangle((x, y, x + 90, y + 90), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
            draw.ellipse((x + 20, y + 20, x + 60, y + 60), fill="white")
    edge = Image.new("RGB", (1280, 800), "white")
    edge.paste(draw_scene(Scene("red", "circle", "black"), (200, 150), random.Random(1)), (1080, 650))  # in the corner
    strip = Image.new("RGB", (1920, 1), "red")
    huge = Image.new("RGB", (11520, 2160), "white")  # three 4K monitors side by side
    huge.paste(draw_scene(Scene("blue", "square", "black"), (600, 400), random.Random(2)), (9000, 900))
    for image in (confetti, patches, edge, strip, huge):
        started = time.perf_counter()
        layout = find_layout(image)
        assert time.perf_counter() - started < 2.0
        assert len(layout.pictures) <= MAX_REGIONS
    assert len(find_layout(patches).pictures) == MAX_REGIONS
    assert [region.box for region in find_layout(edge).pictures] == [(1080, 650, 1280, 800)]
    assert find_layout(edge).pictures[0].place == "bottom right"
    assert find_layout(huge).pictures[0].place == "right"


def test_a_drawing_in_a_big_window_on_a_dark_desktop_is_found():
    """Found by trying it on a desktop: a window showing a small yellow circle on white, on a black
    desktop, had nothing in it (its inside was taken for an empty panel)."""
    desktop = Image.new("RGB", (1280, 800), "black")
    desktop.paste(draw_scene(Scene("yellow", "circle", "white"), (1200, 740), random.Random(1)), (40, 30))
    layout = find_layout(desktop)
    assert len(layout.pictures) == 1 and layout.is_one_picture
    empty_panel = Image.new("RGB", (1280, 800), "black")
    ImageDraw.Draw(empty_panel).rectangle((40, 30, 1240, 770), fill=(240, 240, 240), outline=(120, 120, 120))
    assert find_layout(empty_panel).pictures == ()  # an empty grey panel is still nothing
