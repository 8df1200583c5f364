"""Detail mode's regions: a picture cut into a grid, each part named by its place.

A part that is one flat colour is marked blank, so it is said as "empty" without asking the
model about it (cheaper, and a captioner shown nothing invents something).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageStat

from seesay.core.i18n import _

#: A part whose brightness varies less than this (standard deviation, 0-255) is blank.
BLANK_SPREAD = 2.0


@dataclass(frozen=True)
class Region:
    place: str
    #: left, top, right, bottom in the picture's pixels
    box: tuple[int, int, int, int]
    image: Image.Image
    blank: bool


def place_names(rows: int, columns: int) -> list[list[str]]:
    """Names for a grid of 1-3 rows and 1-3 columns, row by row ("top left" … "bottom right")."""
    middle = {1: (0,), 2: (), 3: (1,)}  # the rows or columns that are in the middle
    row_names = {1: [""], 2: [_("top"), _("bottom")], 3: [_("top"), _("middle"), _("bottom")]}[rows]
    column_names = {1: [""], 2: [_("left"), _("right")], 3: [_("left"), _("centre"), _("right")]}[columns]
    names = []
    for row, row_name in enumerate(row_names):
        line = []
        for column, column_name in enumerate(column_names):
            in_the_middle = row in middle[rows] and column in middle[columns]
            line.append(_("centre") if in_the_middle else " ".join(p for p in (row_name, column_name) if p))
        names.append(line)
    return names


def grid_regions(image: Image.Image, rows: int = 2, columns: int = 2) -> list[Region]:
    """The picture's parts in reading order (left to right, top to bottom)."""
    width, height = image.size
    names = place_names(rows, columns)
    regions = []
    for row in range(rows):
        for column in range(columns):
            box = (column * width // columns, row * height // rows,
                   (column + 1) * width // columns, (row + 1) * height // rows)
            part = image.crop(box)
            regions.append(Region(place=names[row][column], box=box, image=part, blank=is_blank(part)))
    return regions


def is_blank(image: Image.Image) -> bool:
    """One flat colour (give or take compression noise)."""
    return max(ImageStat.Stat(image.convert("RGB")).stddev) < BLANK_SPREAD
