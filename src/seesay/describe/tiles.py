"""A picture made of tiles: a collage, a before-and-after pair, a grid of drawings, put edge to
edge with no gutter between them. A screen's layout finds pictures by the plain page round them;
tiles have none, only a seam: a straight line right across the picture where the colour steps on
(nearly) every row or column. Seams are looked for across the whole picture, then inside each
part, so a 2x2 grid and a row of three are found alike. A tile of one colour (the black bars round
a letterboxed film still) is no picture of its own.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of
from seesay.describe.fitting import PAGE_DIFFERENCE, area, big_enough
from seesay.describe.layout import Layout, PictureRegion
from seesay.describe.places import place_of, reading_order

#: The picture is looked at in a copy about this many pixels on its longer side.
SIDE = 256
#: A seam steps by more than PAGE_DIFFERENCE (any channel) on at least this share of its length:
#: a photo's own edges (a door frame, a horizon) wander, fade or stop somewhere along it.
SEAM_SHARE = 0.85
#: Colours this many pixels (in that copy) before a seam and one fewer after it are compared.
REACH = 3
#: ...and the strips either side of it differ in colour along at least this share of it.
PICTURES_APART = 0.5
#: A tile is at least this share of the picture's side it is cut along (no thin strips).
SMALLEST_SHARE = 0.2
#: A tile varying less than this (largest channel standard deviation, 0-255) is one colour.
PLAIN_SPREAD = 4.0
#: At most this many tiles (a contact sheet is a folder's work, not a collage's).
MOST_TILES = 12


def find_tiles(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, in ``image``'s pixels) of the tiles ``image`` is made
    of, in reading order; empty when it is not made of two or more tiles with something in them."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    scale = min(1.0, SIDE / max(rgb.size))
    reduced = rgb.reduce(max(1, int(0.5 / scale)))  # a whole factor first: quick on a huge picture
    small = np.asarray(reduced.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))),
                                      Image.BILINEAR), dtype=np.int16)
    parts = _cut(small, (0, 0, small.shape[1], small.shape[0]))
    tiles = [part for part in parts if not _plain(small, part)]
    if len(tiles) < 2 or len(tiles) > MOST_TILES:
        return []
    width, height = rgb.size
    reach = int(np.ceil(1 / scale)) + REACH  # how far a side placed in the copy may be out
    boxes = [_to_the_pixel(rgb, (round(left / scale), round(top / scale), min(width, round(right / scale)),
                                 min(height, round(bottom / scale))), reach) for left, top, right, bottom in tiles]
    return boxes if all(big_enough(box) for box in boxes) else []


def _to_the_pixel(rgb: Image.Image, box: tuple[int, int, int, int], reach: int) -> tuple[int, int, int, int]:
    """``box`` with each side inside the picture moved to the line within ``reach`` pixels where
    the colour steps on the most of that side's length: the seam itself."""
    width, height = rgb.size
    left, top, right, bottom = box

    def seam(at: int, start: int, end: int, across: bool) -> int:
        low, high = max(1, at - reach), min((width if across else height) - 1, at + reach)
        if high <= low:
            return at
        strip = np.asarray(rgb.crop((low - 1, start, high + 1, end) if across else (start, low - 1, end, high + 1)),
                           dtype=np.int16)
        steps = np.abs(np.diff(strip, axis=1 if across else 0)).max(axis=2) > PAGE_DIFFERENCE
        share = steps.mean(axis=0 if across else 1)
        return low + int(np.argmax(share))

    new_left = seam(left, top, bottom, True) if left > 0 else 0
    new_right = seam(right, top, bottom, True) if right < width else width
    new_top = seam(top, left, right, False) if top > 0 else 0
    new_bottom = seam(bottom, left, right, False) if bottom < height else height
    return new_left, new_top, new_right, new_bottom


def tiled(layout: Layout, tiles: list[tuple[int, int, int, int]]) -> Layout:
    """``layout`` with ``tiles`` for its pictures: each a picture in a frame of its own, said with
    its place."""
    width, height = layout.size
    regions = [PictureRegion(box=box, crop_box=box, share=area(box) / float(width * height),
                             place=place_of(box, (width, height))) for box in tiles]
    return replace(layout, pictures=tuple(reading_order(regions)))


def _cut(small: np.ndarray, box: tuple[int, int, int, int], axes=(1, 0)) -> list[tuple[int, int, int, int]]:
    """``box`` cut at its seams, across first then down, and each part cut again the other way
    only: a grid is columns of rows, or rows of columns (a tile's own straight edges are no seams)."""
    left, top, right, bottom = box
    part = small[top:bottom, left:right]
    for axis in axes:  # seams between columns (side by side), then between rows
        at = _seams(part, axis)
        if at:
            edges = [0, *at, part.shape[1] if axis == 1 else part.shape[0]]
            pieces = [(left + a, top, left + b, bottom) if axis == 1 else (left, top + a, right, top + b)
                      for a, b in zip(edges[:-1], edges[1:])]
            return [tile for piece in pieces
                    for tile in (_cut(small, piece, (1 - axis,)) if len(axes) > 1 else [piece])]
    return [box]


def _seams(part: np.ndarray, axis: int) -> list[int]:
    """Where ``part`` steps in colour right across: between columns (``axis`` 1) or rows (0), at
    least SMALLEST_SHARE of its length from its sides and from each other."""
    length = part.shape[axis]
    if length < 2 * REACH:
        return []
    # the colour a few pixels either side of the line: the tiles on either side, not a thin line
    # drawn in one photo (a brick wall's mortar) nor the blur of the seam
    before, after = (part[:, :-2 * REACH + 1], part[:, 2 * REACH - 1:]) if axis == 1 else (
        part[:-2 * REACH + 1], part[2 * REACH - 1:])
    steps = np.abs(after - before).max(axis=2) > PAGE_DIFFERENCE
    share = steps.mean(axis=0 if axis == 1 else 1)  # for each line between two columns (or rows)
    margin = max(1, int(SMALLEST_SHARE * length))
    found: list[int] = []
    for start, end in runs_of(share >= SEAM_SHARE):
        at = (start + end - 1) // 2 + REACH  # the middle of the blur
        if (margin <= at <= length - margin and all(abs(at - other) >= margin for other in found)
                and _apart(part, at, margin, axis)):
            found.append(at)
    return found


def _apart(part: np.ndarray, at: int, width: int, axis: int) -> bool:
    """The strips either side of a seam are different pictures: row by row (or column by column)
    their colours differ on at least PICTURES_APART of it. Either side of a line drawn in one photo
    (a brick wall's mortar) is the same wall."""
    if axis == 0:
        part = part.transpose(1, 0, 2)
    before = part[:, max(0, at - width):max(1, at - REACH)].mean(axis=1)
    after = part[:, min(part.shape[1] - 1, at + REACH):at + width].mean(axis=1)
    return float((np.abs(before - after).max(axis=1) > PAGE_DIFFERENCE / 2).mean()) >= PICTURES_APART


def _plain(small: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    left, top, right, bottom = box
    return float(small[top:bottom, left:right].reshape(-1, 3).std(axis=0).max()) < PLAIN_SPREAD
