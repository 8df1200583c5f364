"""Pictures put edge to edge (``describe.tiles``): found by the seams between them, and never in
one picture's own straight lines."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from fixtures.scenes import Scene, draw_grid, draw_scene
from seesay.describe.tiles import find_tiles


def test_a_two_by_two_grid_is_four_tiles_to_the_pixel():
    scenes = [Scene("red", "circle", "white"), Scene("blue", "square", "black"),
              Scene("yellow", "triangle", "black"), Scene("green", "circle", "white")]
    assert sorted(find_tiles(draw_grid(scenes, (1280, 800)))) == [
        (0, 0, 640, 400), (0, 400, 640, 800), (640, 0, 1280, 400), (640, 400, 1280, 800)]


def test_a_row_of_three_drawings_is_three_tiles():
    row = Image.new("RGB", (1200, 400))
    for index, scene in enumerate([Scene("red", "circle", "white"), Scene("blue", "square", "black"),
                                   Scene("green", "triangle", "white")]):
        row.paste(draw_scene(scene, (400, 400), random.Random(index)), (400 * index, 0))
    assert [box[0] for box in sorted(find_tiles(row))] == [0, 400, 800]


def test_a_brick_wall_and_a_letterboxed_picture_are_no_tiles():
    """A wall's mortar runs right down it, but either side is the same wall; the black bars round a
    film still are no pictures; nor is a drawing beside a plain half."""
    wall = Image.new("RGB", (800, 600), (150, 80, 60))
    draw = ImageDraw.Draw(wall)
    for y in range(0, 600, 50):
        draw.rectangle((0, y, 800, y + 6), fill=(200, 200, 190))
    draw.rectangle((397, 0, 403, 600), fill=(200, 200, 190))  # one joint right down the middle
    assert find_tiles(wall) == []
    still = Image.new("RGB", (800, 600))
    still.paste(draw_scene(Scene("blue", "circle", "white"), (800, 400), random.Random(1)), (0, 100))
    assert find_tiles(still) == []
    half = Image.new("RGB", (800, 400), (255, 255, 255))
    half.paste(draw_scene(Scene("red", "square", "black"), (400, 400), random.Random(2)), (0, 0))
    assert find_tiles(half) == []
