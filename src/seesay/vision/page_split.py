"""Where to cut a page in two so both halves can be read at once, without cutting through text.

tesseract reads a page on one core (its OpenMP threads fight the model's; see ``ocr``), and a
full screen of text takes it 0.3-0.45 s. tesserocr lets go of Python's lock while it reads,
so two halves read on two threads take about half as long. A cut must not change what is
read or its order:
- a gutter running the full height between two columns: left part, then right part (what
  tesseract's own reading order gives for columns);
- otherwise a band running the full width between two lines: top part, then bottom part.
"Clear" means the line of pixels crosses no text: every edge it meets belongs to a long straight
line (the border of a panel, a rule, the edge of a bar), never to a letter. Counting edges alone
let a line that crossed one line of text count as clear, and a full-width heading over two
columns was cut in two ("...the whole cor" / "Apany..."). The cut is put where it splits the
edges most evenly; with no clean cut, the page is read whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

#: A step in brightness (0-255) this big between neighbouring pixels is an edge.
EDGE_STEP = 40
#: An edge that runs on straight for this many pixels is a border, a rule or the edge of a bar,
#: not a letter (letters' strokes are shorter): a cut may cross it.
STRAIGHT_RUN = 40
#: A row or column crossing at most this many other edges holds no text (a stray pixel gives two;
#: a letter crossed gives two or more).
CLEAR_EDGES = 1
#: A column cut may cross at most this many edges of straight lines (a bar's two edges, a rule);
#: more are a table's row lines.
STRAIGHT_EDGES = 6
#: How far above and below a row cut (pixels) columns of text are looked for.
COLUMN_BAND = 160
#: A cut needs this many clear lines side by side: a column gutter is wide, and a gap between
#: words that happens to line up over a few lines of text is not.
GUTTER = {"columns": 24, "rows": 3}
#: Each part must hold at least this share of the ink, or splitting gains too little.
MIN_SHARE = 0.25
#: Pages smaller than this (in pixels) are read whole: splitting costs more than it saves.
MIN_PIXELS = 400_000


@dataclass(frozen=True)
class Cut:
    #: "columns" (left, right) or "rows" (top, bottom)
    direction: str
    at: int

    def parts(self, image: Image.Image) -> list[tuple[Image.Image, tuple[int, int]]]:
        """The two parts, in reading order, each with its offset in the page."""
        width, height = image.size
        if self.direction == "columns":
            return [(image.crop((0, 0, self.at, height)), (0, 0)), (image.crop((self.at, 0, width, height)), (self.at, 0))]
        return [(image.crop((0, 0, width, self.at)), (0, 0)), (image.crop((0, self.at, width, height)), (0, self.at))]


def find_cut(image: Image.Image, min_pixels: int = MIN_PIXELS, directions=("columns", "rows")) -> Cut | None:
    """A clean place to cut ``image`` in two, columns first; None to read it whole. ``directions``:
    the kinds of cut allowed ("rows" alone: between lines only, never through a table's columns)."""
    if image.size[0] * image.size[1] < min_pixels:
        return None
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    down = np.abs(np.diff(gray, axis=0)) >= EDGE_STEP  # edges met walking down each column
    across = np.abs(np.diff(gray, axis=1)) >= EDGE_STEP  # edges met walking along each row
    # walking down a column, the edges of a long horizontal line are no text; the same across a row
    straight_down = _in_long_runs(down, axis=1)
    text_down = down & ~straight_down
    text_across = across & ~_in_long_runs(across, axis=0)
    if "columns" in directions:
        # many rules crossing a gutter are a table's rows: cut there, it would be read column by column
        clear = (text_down.sum(axis=0) <= CLEAR_EDGES) & (straight_down.sum(axis=0) <= STRAIGHT_EDGES)
        at = _balanced_clear_line(down.sum(axis=0), clear, GUTTER["columns"])
        if at is not None:
            return Cut("columns", at)
    if "rows" in directions:
        clear = text_across.sum(axis=1) <= CLEAR_EDGES
        at = _balanced_clear_line(across.sum(axis=1), clear, GUTTER["rows"],
                                  allowed=lambda y: not _between_columns(text_down, y))
        if at is not None:
            return Cut("rows", at)
    return None


def _between_columns(text_down: np.ndarray, at: int) -> bool:
    """Whether columns of text run on both above and below row ``at``: a cut there would read the top
    of every column, then the bottom of every column (a heading over two columns stops a column cut,
    but the columns are still there)."""
    return all(_has_gutter(band) for band in (text_down[max(0, at - COLUMN_BAND):at], text_down[at:at + COLUMN_BAND]))


def _has_gutter(band: np.ndarray) -> bool:
    """A run of ``GUTTER["columns"]`` clear columns with text left and right of it, in ``band``."""
    crossed = band.sum(axis=0) > CLEAR_EDGES
    inked = np.flatnonzero(crossed)
    if inked.size < 2:
        return False
    gaps = np.diff(inked) - 1  # clear columns between one inked column and the next
    return bool((gaps >= GUTTER["columns"]).any())


def _in_long_runs(edges: np.ndarray, axis: int) -> np.ndarray:
    """Where ``edges`` are part of an unbroken run of at least ``STRAIGHT_RUN`` along ``axis``."""
    run = STRAIGHT_RUN
    lines = np.moveaxis(edges, axis, -1)
    length = lines.shape[-1]
    if length < run:
        return np.zeros_like(edges)
    counts = np.concatenate([np.zeros(lines.shape[:-1] + (1,), np.int32), np.cumsum(lines, axis=-1, dtype=np.int32)], -1)
    full = (counts[..., run:] - counts[..., :-run]) == run  # the window of ``run`` starting here is all edges
    starts = np.concatenate([np.zeros(full.shape[:-1] + (1,), np.int32), np.cumsum(full, axis=-1, dtype=np.int32)], -1)
    index = np.arange(length)
    last = np.minimum(index, length - run) + 1  # an edge is covered by a full window starting in
    first = np.maximum(index - run + 1, 0)  # [first, last)
    return np.moveaxis((starts[..., last] - starts[..., first]) > 0, -1, axis)


def _balanced_clear_line(edges: np.ndarray, clear: np.ndarray, gutter: int, allowed=None) -> int | None:
    """The middle of a run of at least ``gutter`` ``clear`` lines that splits the ``edges`` most
    evenly, if fair enough; ``allowed(middle)`` may rule some out."""
    total = int(edges.sum())
    clear = np.concatenate(([False], clear, [False])).astype(np.int8)
    starts = np.flatnonzero(np.diff(clear) == 1)
    ends = np.flatnonzero(np.diff(clear) == -1)  # one past each run
    middles = np.array([(start + end) // 2 for start, end in zip(starts, ends) if end - start >= gutter], dtype=int)
    if total == 0 or middles.size == 0:
        return None
    share = np.cumsum(edges)[middles] / total
    fair = (share >= MIN_SHARE) & (share <= 1 - MIN_SHARE)
    for best in np.argsort(np.abs(share - 0.5), kind="stable"):
        if fair[best] and (allowed is None or allowed(int(middles[best]))):
            return int(middles[best])
    return None
