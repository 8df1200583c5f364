"""Whether two lines side by side are in separate panes (shop cards, panels), not cells of one row.

A table's cells stand on one ground, at most with grid lines between them (a GTK or Qt list's
header, a selected row's band run right across); a row of cards has the page between them: a
band of another colour than the ground of either line (the grey page between white cards). The
lines of separate panes are read pane by pane, not joined into rows (``text_rows.rows``). Cards
with only an outline each on a page of their own colour are not told apart yet.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from seesay.vision.block_crops import runs_of

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
    columns = np.median(np.asarray(image.crop((left, top, right, bottom)).convert("L"), dtype=np.int16), axis=0)
    # each line's ground: the page just past its letters (a few pixels off, clear of their edges)
    grounds = (np.median(columns[2:4]), np.median(columns[-4:-2]))
    other = (np.abs(columns - grounds[0]) > STEP) & (np.abs(columns - grounds[1]) > STEP)
    return any(end - start >= BAND for start, end in runs_of(other))
