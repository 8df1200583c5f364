"""Where a page is cut so its halves can be read at once: never through text, columns first."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from seesay.vision.page_split import find_cut


def page_with_bars(columns: int, lines: int, size=(1600, 900)) -> Image.Image:
    """Dark word-like bars in ``columns`` columns of ``lines`` lines, on white, under a title bar."""
    rng = random.Random(4)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 30), fill=(200, 200, 210))  # a title bar across the top
    width = (size[0] - 80) // columns
    for column in range(columns):
        left = 40 + column * width
        for line in range(lines):
            x, top = left, 60 + line * 36
            while x < left + width - 140:
                length = rng.randint(20, 90)
                for stroke in range(x, x + length, 6):  # letters: many edges along the line
                    draw.rectangle((stroke, top, stroke + 2, top + 16), fill="black")
                x += length + 14
    return image


def test_two_columns_are_cut_at_the_gutter():
    cut = find_cut(page_with_bars(columns=2, lines=20))
    assert cut is not None and cut.direction == "columns"
    assert 700 <= cut.at <= 900  # in the gutter, not through a column


def test_one_column_is_cut_between_two_lines():
    image = page_with_bars(columns=1, lines=20)
    cut = find_cut(image)
    assert cut is not None and cut.direction == "rows"
    line_tops = [60 + line * 36 for line in range(20)]
    assert not any(top <= cut.at <= top + 16 for top in line_tops)  # never through a line
    (top, top_at), (bottom, bottom_at) = cut.parts(image)
    assert top_at == (0, 0) and bottom_at == (0, cut.at) and top.size[1] + bottom.size[1] == image.size[1]


def test_a_photo_or_a_small_picture_is_read_whole():
    rng = random.Random(1)
    noise = Image.frombytes("L", (1600, 900), bytes(rng.getrandbits(8) for _ in range(1600 * 900)))
    assert find_cut(noise) is None
    assert find_cut(page_with_bars(columns=2, lines=5, size=(600, 400))) is None
    assert find_cut(Image.new("RGB", (1920, 1080), "white")) is None  # nothing to read
