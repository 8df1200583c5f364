"""Fitting a picture region to the pixel: cells are coarse, so a region found in cells holds some
page, and pictures close together share one. Each rough region is cut apart at plain page and
its sides placed to the pixel; a shape floating on a ground of its own colour is given some of
that ground (the captioner wants a background), a photo is cut exactly.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of

#: The side of a cell in the reduced copy the layout works on (see ``layout``).
CELL_PIXELS = 4
#: At most this many regions are kept (the largest), however busy the capture.
MAX_REGIONS = 24
#: Smallest picture region: each side at least this many pixels, and at least this area.
MIN_SIDE = 64
MIN_AREA = 72 * 72
#: A pixel differing from the page around a region by more than this (any channel) is part of it.
PAGE_DIFFERENCE = 24
#: A region this much (share) of one colour that is not the page's is a solid block (a drawn shape).
SOLID = 0.99
#: Plain page this wide (pixels) across a region cuts it in two.
GAP = 2  # in the reduced copy: about 8 pixels on a 1920-pixel screen
#: A region with no edge of its own (a shape on a page of its colour) is shown to the captioner
#: with this share of its size added around it, on each side; a photo is shown as it is.
CONTEXT_MARGIN = 0.3


def area(box) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def big_enough(box) -> bool:
    return box[2] - box[0] >= MIN_SIDE and box[3] - box[1] >= MIN_SIDE and area(box) >= MIN_AREA


def fit(rgb: Image.Image, box, cell: int, lines=()) -> list[tuple[tuple[int, int, int, int], bool]]:
    """The exact boxes of the pictures in a rough region (cells are coarse: a region in cells holds
    some page, and pictures close together share one), each with whether it floats: a shape
    drawn on a ground of its own colour has no edge of its own, so the captioner should see some
    of that ground around it (a white picture on a light grey page counts as that ground too:
    its shape is what stands out). A photo, or a picture with a background of its own, is cut
    exactly. Found on a copy reduced to a few pixels a cell; each side is then placed to the
    pixel in a thin strip of the capture."""
    width, height = rgb.size
    factor = max(1, cell // CELL_PIXELS)
    outer = (max(0, box[0] - cell), max(0, box[1] - cell), min(width, box[2] + cell), min(height, box[3] + cell))
    part = np.asarray(rgb.crop(outer).reduce(factor), dtype=np.int16)
    # the page is what lies around the region, on the sides where there is something around it
    around = [strip for strip, room in ((part[0], box[1] > 0), (part[-1], box[3] < height),
                                        (part[:, 0], box[0] > 0), (part[:, -1], box[2] < width)) if room]
    if not around:  # the region fills the capture
        return [(tuple(box), False)]
    page = np.median(np.concatenate(around), axis=0)
    differs = np.abs(part - page).max(axis=2) > PAGE_DIFFERENCE
    for left, top, line_width, line_height in lines:  # a caption right under a picture is not part of it
        differs[max(0, (top - outer[1]) // factor): max(0, -(-(top + line_height - outer[1]) // factor)),
                max(0, (left - outer[0]) // factor): max(0, -(-(left + line_width - outer[0]) // factor))] = False
    found = []
    ground = page
    for top, left, bottom, right in _cut(differs, MIN_SIDE // factor):
        fitted = np.abs(part[top:bottom, left:right] - ground).max(axis=2) > PAGE_DIFFERENCE
        edge = np.concatenate((fitted[0], fitted[-1], fitted[:, 0], fitted[:, -1]))
        inside = part[top + 1: bottom - 1, left + 1: right - 1].reshape(-1, 3)  # its rim is partly ground
        if inside.size == 0:
            inside = part[top:bottom, left:right].reshape(-1, 3)
        colour = np.median(inside, axis=0)
        solid = ((np.abs(inside - colour).max(axis=1) <= PAGE_DIFFERENCE).mean() >= SOLID
                 and np.abs(colour - ground).max() > PAGE_DIFFERENCE)  # a block of one colour on another
        rough = (outer[0] + left * factor, outer[1] + top * factor, outer[0] + right * factor,
                 outer[1] + bottom * factor)
        exact = _to_the_pixel(rgb, rough, factor, ground) if factor > 1 else rough
        found.append((exact, bool(edge.mean() < 0.5 or solid)))
    return found


def _cut(differs: np.ndarray, smallest: int) -> list[tuple[int, int, int, int]]:
    """Boxes (top, left, bottom, right) of what differs from the page, cut apart at rows or
    columns of plain page that run right across (pictures side by side, a line of text under a
    picture), recursively; parts smaller than ``smallest`` on a side are dropped."""
    found: list[tuple[int, int, int, int]] = []
    pending = [(0, 0, differs.shape[0], differs.shape[1])]
    while pending and len(found) < 4 * MAX_REGIONS:
        top, left, bottom, right = pending.pop()
        area = differs[top:bottom, left:right]
        rows, columns = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
        if rows.size == 0:
            continue
        top, bottom, left, right = top + rows[0], top + rows[-1] + 1, left + columns[0], left + columns[-1] + 1
        if bottom - top < smallest or right - left < smallest:
            continue
        area = differs[top:bottom, left:right]
        split = False
        for axis in (1, 0):  # rows first, then columns
            runs = _runs(area.any(axis=axis))
            if len(runs) > 1:
                for start, end in runs:
                    pending.append((top + start, left, top + end, right) if axis == 1 else (top, left + start, bottom, left + end))
                split = True
                break
        if not split:
            found.append((int(top), int(left), int(bottom), int(right)))
    return found


def _runs(used: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True, joined across gaps narrower than GAP (the gaps inside a drawing)."""
    joined: list[list[int]] = []
    for start, end in runs_of(used):
        if joined and start - joined[-1][1] < GAP:
            joined[-1][1] = end
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def _to_the_pixel(rgb: Image.Image, box, factor: int, page: np.ndarray) -> tuple[int, int, int, int]:
    """``box`` (right to within ``factor`` pixels) with each side moved to the last pixel that
    differs from the page, looking ``factor`` pixels either side of it."""
    width, height = rgb.size
    left, top, right, bottom = box
    span_x, span_y = (max(0, left - factor), min(width, right + factor)), (max(0, top - factor), min(height, bottom + factor))

    def used(strip_box, axis: int) -> np.ndarray:
        strip = np.asarray(rgb.crop(strip_box), dtype=np.int16)
        return (np.abs(strip - page).max(axis=2) > PAGE_DIFFERENCE).any(axis=axis)

    def first(flags: np.ndarray, start: int, default: int) -> int:
        hits = np.flatnonzero(flags)
        return start + int(hits[0]) if hits.size else default

    def last(flags: np.ndarray, start: int, default: int) -> int:
        hits = np.flatnonzero(flags)
        return start + int(hits[-1]) + 1 if hits.size else default

    t0, t1 = max(0, top - factor), min(height, top + factor)
    b0, b1 = max(0, bottom - factor), min(height, bottom + factor)
    l0, l1 = max(0, left - factor), min(width, left + factor)
    r0, r1 = max(0, right - factor), min(width, right + factor)
    new_top = first(used((span_x[0], t0, span_x[1], t1), 1), t0, top) if t1 > t0 else top
    new_bottom = last(used((span_x[0], b0, span_x[1], b1), 1), b0, bottom) if b1 > b0 else bottom
    new_left = first(used((l0, span_y[0], l1, span_y[1]), 0), l0, left) if l1 > l0 else left
    new_right = last(used((r0, span_y[0], r1, span_y[1]), 0), r0, right) if r1 > r0 else right
    return new_left, new_top, max(new_left + 1, new_right), max(new_top + 1, new_bottom)


def with_margin(box, width: int, height: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    margin = int(CONTEXT_MARGIN * max(right - left, bottom - top))
    return max(0, left - margin), max(0, top - margin), min(width, right + margin), min(height, bottom + margin)
