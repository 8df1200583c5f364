"""Whether two lines side by side are in separate panes (shop cards, panels), not cells of one row.

A table's cells stand on one ground, at most with grid lines between them (a GTK or Qt list's
header, a selected row's band run right across); a row of cards has the page between them: a
band of another colour than the ground of either line (the grey page between white cards). The
lines of separate panes are read pane by pane, not joined into rows (``text_rows.rows``). Cards
with only an outline (or a shadow) each on a page of their own colour have two edges between
their lines, the page between them, each running on above and below the lines; a table's cells
have one grid line between them, and a checkbox between two cells is no taller than its row.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of

#: A column of the page between two lines differs from the ground of both by more than this (0-255,
#: brightness): the page between white cards on #f5f5f5 is 10 apart.
STEP = 4
#: A run of such columns at least this wide (pixels) is a band of another colour: the page between
#: panes (narrower runs are lines: outlines, shadows, a table's grid and header).
BAND = 8


def apart(image: Image.Image, first: tuple[int, int, int, int], second: tuple[int, int, int, int]) -> bool:
    """``first`` and ``second`` (left, top, width, height; ``second`` right of ``first``) are in
    separate panes: between them, over their shared height, a band of another colour."""
    left, right = first[0] + first[2], second[0]
    top, bottom = max(first[1], second[1]), min(first[1] + first[3], second[1] + second[3])
    if right - left < BAND or bottom <= top:
        return False
    if any(end - start >= BAND for start, end in runs_of(_other(image, left, right, top, bottom))):
        return True
    # two edges with the page between them, running on a line's height above and below: two panes' sides
    height = bottom - top
    edges = runs_of(_other(image, left, right, max(0, top - height), min(image.height, bottom + height)))
    return any(following[0] - run[1] >= BAND for run, following in zip(edges, edges[1:]))


def _other(image: Image.Image, left: int, right: int, top: int, bottom: int) -> np.ndarray:
    """Which columns between two lines (from ``left`` to ``right``, over ``top`` to ``bottom``) are
    mostly of another colour than the ground of either line."""
    columns = np.median(np.asarray(image.crop((left, top, right, bottom)).convert("L"), dtype=np.int16), axis=0)
    # each line's ground: the page just past its letters (a few pixels off, clear of their edges)
    grounds = (np.median(columns[2:4]), np.median(columns[-4:-2]))
    return (np.abs(columns - grounds[0]) > STEP) & (np.abs(columns - grounds[1]) > STEP)
