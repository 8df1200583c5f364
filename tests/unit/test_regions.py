"""Detail mode's grid: places named as people say them, flat parts known to be empty."""

from __future__ import annotations

from PIL import Image, ImageDraw

from seesay.vision.regions import grid_regions, place_names


def test_places_are_named_row_by_row():
    assert place_names(2, 2) == [["top left", "top right"], ["bottom left", "bottom right"]]
    assert place_names(3, 3)[1] == ["middle left", "centre", "middle right"]
    assert place_names(1, 1) == [["centre"]]


def test_grid_covers_the_picture_and_marks_flat_parts_blank():
    picture = Image.new("RGB", (101, 51), "white")
    ImageDraw.Draw(picture).ellipse((60, 30, 90, 48), fill="red")  # only in the bottom right
    regions = grid_regions(picture)
    assert [region.place for region in regions] == ["top left", "top right", "bottom left", "bottom right"]
    assert [region.box for region in regions] == [(0, 0, 50, 25), (50, 0, 101, 25), (0, 25, 50, 51),
                                                  (50, 25, 101, 51)]
    assert [region.blank for region in regions] == [True, True, True, False]
    assert regions[3].image.size == (51, 26)
