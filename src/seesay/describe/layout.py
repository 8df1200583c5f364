"""The parts of a capture, found without a model: where the pictures are, and whether it is one.

A screen is not a photo. It is mostly flat colour (backgrounds, panels, buttons) and text, with
pictures here and there: the photo in an article, the image in a chat, a chart. A photo
captioner shown the whole screen invents a photo; shown just a picture region, it describes
that picture. So the capture is cut into cells, and each cell is
- *flat*: one colour, give or take noise (a background, a panel),
- *text*: under a line the text reader found,
- *busy*: anything else (edges of drawings, photo texture, unread text, icons).
Busy cells that touch form candidates. A candidate is a picture region when it is big enough,
is not a frame around text or an empty outline (a panel, an entry field), and is not rows of
unread text (bands of ink with blank gaps, like lines). The box is widened a little: a drawn
shape on a page of its own colour has no edge of its own, and the captioner wants the
background around it.

Everything is measured on a reduced copy in cells of about 1/120 of the longer side, so the
work is bounded whatever the capture's size (three 4K monitors included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from seesay.core.mask_runs import run_heights, runs_of
from seesay.describe.fitting import (CELL_PIXELS, MAX_REGIONS, PAGE_DIFFERENCE, area, big_enough,
                                     fit, with_margin)
from seesay.describe.places import place_of, reading_order
from seesay.describe.trusted_text import text_cells, trusted_lines

#: About this many cells across the longer side of the capture, each CELL_PIXELS a side in a
#: copy reduced by a whole factor.
CELLS_ACROSS = 120
#: A cell whose colour varies less than this (largest channel standard deviation, 0-255) is flat.
FLAT_SPREAD = 4.0
#: A cell whose mean colour's channels differ by this much (0-255) is coloured, not grey.
COLOURFUL = 50
#: A whole capture varying less than this is one colour: nothing to see.
BLANK_SPREAD = 2.5
#: Darker than this (mean, 0-255), a one-colour capture is black.
BLACK_LEVEL = 12
#: A candidate holding more text than this share of its cells is a frame around text (a card,
#: a bubble, a panel), not a picture.
TEXT_INSIDE = 0.12
#: Rows that cross no edge are texture, not page, when at least TEXTURE_SHARE of their neighbouring
#: pixels differ by TEXTURE_STEP (0-255) or more (a grey photo: 0.42-0.69; between the rows of an
#: interface, where only the sides of its parts step: 0.0-0.16).
TEXTURE_STEP, TEXTURE_SHARE = 2, 0.3
#: A step in brightness this big (0-255, any channel) between neighbouring pixels is an edge.
EDGE_STEP = 40
#: A band of ink taller than this (pixels) is not a line of text.
LINE_HEIGHT = 64
#: A group of busy cells whose box covers this share of the capture, yet fills less than this
#: share of its box, is a page's skeleton (bars and panel edges), taken apart at its thin lines.
SKELETON_SHARE, SKELETON_DENSITY = 0.3, 0.15
#: ...when at least this share of its cells are straight thin lines.
SKELETON_LINES = 0.5
#: A straight run of busy cells this long and at most two thick is a rule.
RULE_CELLS = 6
#: The capture is itself a picture when one region covers at least this share of it.
WHOLE_PICTURE_SHARE = 0.5


@dataclass(frozen=True)
class PictureRegion:
    #: left, top, right, bottom in the capture's pixels: the picture itself
    box: tuple[int, int, int, int]
    #: the part shown to the captioner: the box with some of its surroundings
    crop_box: tuple[int, int, int, int]
    #: share of the capture (0 to 1)
    share: float
    #: where it is: "top left", "top", ... "bottom right" (untranslated keys; see ``places``)
    place: str
    #: it has no edge of its own: a thing standing on the ground around it (a shape on a page, a
    #: coin on a cloth), not a picture in a frame of its own
    floating: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return self.box[2] - self.box[0], self.box[3] - self.box[1]


@dataclass(frozen=True)
class Layout:
    size: tuple[int, int]
    #: picture regions, in reading order (top to bottom, left to right)
    pictures: tuple[PictureRegion, ...] = ()
    #: the capture is one colour (a screen curtain, a locked or black screen)
    blank: bool = False
    #: ...and that colour is black
    black: bool = False
    #: share of the capture made of flat cells
    flat: float = 0.0
    #: share of the capture that is busy but in no picture region (text, icons, interface)
    busy_elsewhere: float = 0.0

    @property
    def is_one_picture(self) -> bool:
        """The capture is itself a picture: one region covers most of it (a photo viewer, a file
        that is a photo), or there is one region and nothing else on a plain ground."""
        if not self.pictures:
            return False
        largest = max(region.share for region in self.pictures)
        return largest >= WHOLE_PICTURE_SHARE or (len(self.pictures) == 1 and self.busy_elsewhere < 0.01)

    @property
    def has_framed_pictures(self) -> bool:
        """A region has an edge of its own and stands clear of the capture's sides: a picture in a
        frame of its own (a collage's tile, a thumbnail), not a thing on one photo's ground (the
        coins on a cloth, a dark corner of the room)."""
        width, height = self.size
        return any(not region.floating and region.box[0] > 0 and region.box[1] > 0
                   and region.box[2] < width and region.box[3] < height for region in self.pictures)

    def grown(self, size: tuple[int, int]) -> Layout:
        """This layout, found on a copy of a capture reduced to ``self.size``, placed on the capture (``size``)."""
        across, down = size[0] / self.size[0], size[1] / self.size[1]

        def placed(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
            return (round(box[0] * across), round(box[1] * down), min(size[0], round(box[2] * across)),
                    min(size[1], round(box[3] * down)))

        return replace(self, size=size, pictures=tuple(
            replace(region, box=placed(region.box), crop_box=placed(region.crop_box)) for region in self.pictures))

    def largest(self, count: int) -> list[PictureRegion]:
        """The ``count`` largest regions, in reading order."""
        chosen = set(sorted(range(len(self.pictures)), key=lambda i: -self.pictures[i].share)[:count])
        return [region for index, region in enumerate(self.pictures) if index in chosen]


def find_layout(image: Image.Image, text_boxes: Sequence[tuple[tuple[int, int, int, int], float]] = (),
                drawn_at: float = 1.0) -> Layout:
    """The layout of ``image``; ``text_boxes``: (left, top, width, height) and confidence of each
    line of text read on it. ``drawn_at``: its interface is drawn this many times its usual size
    (``vision.drawn_size``: a high-DPI screen at 200%, where an icon is the size of a thumbnail):
    found on a copy brought back to its usual size, placed on ``image``."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    if drawn_at > 1:
        from seesay.vision.drawn_size import at_usual_size

        usual = at_usual_size(rgb, drawn_at)
        boxes = [(tuple(round(value / drawn_at) for value in box), confidence) for box, confidence in text_boxes]
        return find_layout(usual, boxes).grown((width, height))
    if spread_of(rgb) < BLANK_SPREAD:
        mean = float(np.asarray(rgb.reduce(max(1, max(width, height) // 64))).mean())
        return Layout(size=(width, height), blank=True, black=mean < BLACK_LEVEL, flat=1.0)
    factor = max(1, -(-max(width, height) // (CELLS_ACROSS * CELL_PIXELS)))
    small = np.asarray(rgb.reduce(factor), dtype=np.float32)
    step = CELL_PIXELS  # a cell's side in the reduced copy
    cell = factor * step  # ...and in the capture
    rows, columns = -(-small.shape[0] // step), -(-small.shape[1] // step)
    if rows < 2 or columns < 2:
        return Layout(size=(width, height))
    small = np.pad(small, ((0, rows * step - small.shape[0]), (0, columns * step - small.shape[1]), (0, 0)),
                   mode="edge")  # the last partial row and column of cells count too
    blocks = small.reshape(rows, step, columns, step, 3)
    spread = blocks.std(axis=(1, 3)).max(axis=2)
    means = blocks.mean(axis=(1, 3))
    flat = spread < FLAT_SPREAD
    flat &= ~_steps(means, flat)
    trusted = trusted_lines(rgb, text_boxes)
    text = text_cells(trusted, cell, rows, columns)
    busy = ~flat & ~text
    colourful = (means.max(axis=2) - means.min(axis=2)) >= COLOURFUL
    candidates = []
    for box, _count in _without_skeletons(busy, rows * columns):
        candidates += _in_frame(busy, text, box) if _frames_text(text, box) else [box]
    pictures = []
    inside = np.zeros_like(busy)
    for top, left, bottom, right in _merge(candidates):
        box = (left * cell, top * cell, min(width, right * cell), min(height, bottom * cell))
        if not big_enough(box):
            continue
        if _empty_outline(busy, colourful, (top, left, bottom, right)):
            continue
        if _rows_of_text(small[(top + 2) * step: (bottom - 2) * step, (left + 2) * step: (right - 2) * step], factor):
            continue
        inside[top:bottom, left:right] = True
        pictures.append(box)
    whole = float(width * height)
    fitted = [part for rough in pictures for part in fit(rgb, rough, cell, trusted) if big_enough(part[0])]
    fitted = sorted(fitted, key=lambda part: -area(part[0]))[:MAX_REGIONS]
    made = [PictureRegion(box=box, crop_box=with_margin(box, width, height) if floating else box,
                          share=area(box) / whole, place=place_of(box, (width, height)), floating=floating)
            for box, floating in fitted]
    return Layout(size=(width, height), pictures=tuple(reading_order(made)), flat=float(flat.mean()),
                  busy_elsewhere=float(((busy | text) & ~inside).mean()))


def spread_of(rgb: Image.Image) -> float:
    """How much ``rgb`` varies: the largest channel standard deviation (0-255) on a copy of about
    512 pixels a side."""
    return float(np.asarray(rgb.reduce(max(1, max(rgb.size) // 512))).reshape(-1, 3).std(axis=0).max())


def _steps(means: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """Flat cells on either side of a step in colour to a flat neighbour: an edge that runs along
    the border between two cells leaves both flat inside."""
    steps = np.zeros(means.shape[:2], dtype=bool)
    across = (np.abs(np.diff(means, axis=1)).max(axis=2) > PAGE_DIFFERENCE) & flat[:, 1:] & flat[:, :-1]
    down = (np.abs(np.diff(means, axis=0)).max(axis=2) > PAGE_DIFFERENCE) & flat[1:, :] & flat[:-1, :]
    steps[:, :-1] |= across
    steps[:, 1:] |= across
    steps[:-1, :] |= down
    steps[1:, :] |= down
    return steps


def _components(mask: np.ndarray) -> list[tuple[tuple[int, int, int, int], int]]:
    """Groups of cells of ``mask`` that touch (8 neighbours: a shape's edge crosses cells by their
    corners), each as its box (top, left, bottom, right) and how many cells it holds. Works on
    runs of cells, row by row. Pictures a cell apart stay apart (galleries space them closely)."""
    grown = mask
    counts = np.cumsum(np.pad(mask, ((0, 0), (1, 0))), axis=1)
    parent: list[int] = []
    runs: list[tuple[int, int, int]] = []  # (row, start, end)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[int] = []
    for row in range(grown.shape[0]):
        current = []
        for start, end in runs_of(grown[row]):
            index = len(runs)
            runs.append((row, start, end))
            parent.append(index)
            for other in previous:
                _, other_start, other_end = runs[other]
                if other_start <= end and start <= other_end:  # overlapping or touching corners
                    parent[root(other)] = root(index)
            current.append(index)
        previous = current
    groups: dict[int, list[int]] = {}
    for index in range(len(runs)):
        groups.setdefault(root(index), []).append(index)
    found = []
    for members in groups.values():
        top = min(runs[i][0] for i in members)
        bottom = max(runs[i][0] for i in members) + 1
        left = min(runs[i][1] for i in members)
        right = max(runs[i][2] for i in members)
        count = sum(int(counts[r, e] - counts[r, s]) for r, s, e in (runs[i] for i in members))
        found.append(((top, left, bottom, right), count))
    return found


def _without_skeletons(busy: np.ndarray, cells: int) -> list:
    """The groups of busy cells, with the skeleton of a page taken apart: the edge of a navigation
    bar and the side of a panel touch, and join everything on the page into one sparse group that
    runs right across the capture. Such a group, when it is mostly straight thin lines, is grouped
    again without them (its rules). A drawn square is straight lines too, but stands inside."""
    found = []
    for box, count in _components(busy):
        top, left, bottom, right = box
        size = (bottom - top) * (right - left)
        across = (left <= 1 and right >= busy.shape[1] - 1) or (top <= 1 and bottom >= busy.shape[0] - 1)
        if not across or size < SKELETON_SHARE * cells or count > SKELETON_DENSITY * size:
            found.append((box, count))
            continue
        inside = np.zeros_like(busy)
        inside[top:bottom, left:right] = busy[top:bottom, left:right]
        lines = _thin_lines(inside)
        if lines.sum() < SKELETON_LINES * count:  # mostly curves: a big drawing, a silhouette
            found.append((box, count))
            continue
        found += _components(inside & ~lines)
    return found


def _thin_lines(mask: np.ndarray) -> np.ndarray:
    """Cells in straight runs at least RULE_CELLS long and at most two cells thick."""
    along = _run_lengths(mask)
    down = _run_lengths(mask.T).T
    return (mask & (along >= RULE_CELLS) & (down <= 2)) | (mask & (down >= RULE_CELLS) & (along <= 2))


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each cell, the length of the run of True along its row that it is in (0 outside runs)."""
    lengths = np.zeros(mask.shape, dtype=np.int32)
    for row in range(mask.shape[0]):
        for start, end in runs_of(mask[row]):
            lengths[row, start:end] = end - start
    return lengths


def _frames_text(text: np.ndarray, box) -> bool:
    """A frame around text (a card, a bubble, a panel, a button with its label), not a picture."""
    top, left, bottom, right = box
    return text[top:bottom, left:right].sum() > TEXT_INSIDE * (bottom - top) * (right - left)


def _in_frame(busy: np.ndarray, text: np.ndarray, box) -> list:
    """What stands inside a frame round text apart from its frame and text: a shop's card holds
    its product's photo above its name and price, joined to it by the card's outline."""
    top, left, bottom, right = box
    inside = np.zeros_like(busy)
    inside[top:bottom, left:right] = busy[top:bottom, left:right]
    inside &= ~_thin_lines(inside)
    return [part for part, _count in _components(inside) if not _frames_text(text, part)]


def _empty_outline(busy: np.ndarray, colourful: np.ndarray, box) -> bool:
    """A border with nothing inside but grey: an entry field, an empty panel. A drawn shape has an
    outline too, but colour inside it."""
    top, left, bottom, right = box
    inner = (slice(top + 2, bottom - 2), slice(left + 2, right - 2))
    if busy[inner].size == 0:
        return False
    return busy[inner].mean() < 0.02 and colourful[inner].mean() < 0.01  # no colour at all: a grey panel


def _merge(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Boxes that overlap or touch become one (a bordered picture and what is in it)."""
    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    boxes[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def _rows_of_text(part: np.ndarray, factor: int) -> bool:
    """Unread text, or an interface drawn in grey (a dialog's lines, fields and buttons): two or
    more bands of ink, none taller than a line, with rows of plain page between them that cross
    no edge at all. ``part``: the inside of the region (its frame left out) in the reduced copy,
    ``factor`` capture pixels a pixel. A drawn shape crosses every row of its height; a grey photo
    (the moon's surface, chalk on a board) may not, but its rows between are textured."""
    if part.shape[0] < 2 or part.shape[1] < 2:
        return False
    edges = (np.abs(np.diff(part, axis=1)).max(axis=2) >= EDGE_STEP).any(axis=1)
    heights = run_heights(edges) * factor
    if len(heights) < 2 or heights.max() > LINE_HEIGHT:
        return False
    steps = np.abs(np.diff(part[~edges], axis=1)).max(axis=2)
    if steps.size and (steps >= TEXTURE_STEP).mean() >= TEXTURE_SHARE:
        return False  # the rows between the bands are texture, not page
    pixels = part.reshape(-1, 3)
    return float(np.median(pixels.max(axis=1) - pixels.min(axis=1))) < COLOURFUL
