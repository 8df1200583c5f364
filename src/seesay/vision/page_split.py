"""Where to cut a page in two so both halves can be read at once, without cutting through text.

tesseract reads a page on one core (its OpenMP threads fight the model's; see ``ocr``), and a
full screen of text takes it 0.3-0.45 s. tesserocr lets go of Python's lock while it reads,
so two halves read on two threads take about half as long. A cut must not change what is
read or its order:
- a gutter running the full height between two columns: left part, then right part (what
  tesseract's own reading order gives for columns);
- otherwise a band running the full width between two lines: top part, then bottom part.
"Clear" means the line of pixels crosses almost no edges (text crosses many; the border of a
panel or a rule crosses one or two). The cut is put where it splits the edges most evenly;
with no clean cut, the page is read whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

#: A step in brightness (0-255) this big between neighbouring pixels is an edge.
EDGE_STEP = 40
#: A row or column crossing at most this many edges holds no text (panel borders, rules).
CLEAR_EDGES = 6
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
    for direction, edges in (("columns", down.sum(axis=0)), ("rows", across.sum(axis=1))):
        if direction not in directions:
            continue
        at = _balanced_clear_line(edges, GUTTER[direction])
        if at is not None:
            return Cut(direction, at)
    return None


def _balanced_clear_line(edges: np.ndarray, gutter: int) -> int | None:
    """The middle of a run of at least ``gutter`` clear lines (at most ``CLEAR_EDGES`` each) that
    splits the edges most evenly, if fair enough."""
    total = int(edges.sum())
    clear = np.concatenate(([False], edges <= CLEAR_EDGES, [False])).astype(np.int8)
    starts = np.flatnonzero(np.diff(clear) == 1)
    ends = np.flatnonzero(np.diff(clear) == -1)  # one past each run
    middles = np.array([(start + end) // 2 for start, end in zip(starts, ends) if end - start >= gutter], dtype=int)
    if total == 0 or middles.size == 0:
        return None
    share = np.cumsum(edges)[middles] / total
    best = int(np.argmin(np.abs(share - 0.5)))
    if not MIN_SHARE <= share[best] <= 1 - MIN_SHARE:
        return None
    return int(middles[best])
