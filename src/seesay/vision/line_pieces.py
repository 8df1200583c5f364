"""A big block of text cut between its lines into pieces that come out the same after a scroll.

A terminal filling the screen is one block of 80 lines; when it prints one more line, every line
moves up and a block cut in halves at its middle is all new pixels. Cut instead where the content
says (after a line whose pixels hash to a chosen remainder, as backup tools cut files into chunks),
the same lines make the same pieces wherever they stand, and the pieces read before are taken from
the reader's memo (``recognition_memo``): only the pieces that really changed are read again.
The pieces are also work that the reader's two threads share evenly.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of
from seesay.vision.block_crops import EDGE_STEP

#: Lines in a piece: at least, at most, and one line in CUT_ONE ends a piece where it may.
FEWEST_LINES, MOST_LINES, CUT_ONE = 4, 16, 4
#: Rows of page put above and below each piece (tesseract wants a margin round its text).
PAGE_ROWS = 4
#: A cut is made only in a gap at least this many rows tall: a gap of one row is often inside a
#: line's frame (the dotted focus frame round a list's selected row, one row under its letters).
CUT_GAP = 2


def line_gaps(image: Image.Image) -> list[tuple[int, int]]:
    """The runs of rows with no ink across the whole picture (top, bottom), top to bottom."""
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    return runs_of((np.abs(np.diff(gray, axis=1)) < EDGE_STEP).all(axis=1))


def piece_rows(image: Image.Image, keep: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Where to cut ``image`` (a block's crop, dark ink on white): the rows (top, bottom) of each
    piece, together covering the whole picture. A cut is in the middle of a gap between lines,
    never within CUT_GAP rows of a band in ``keep`` (a selected row, top and bottom)."""
    gaps = line_gaps(image)
    inner = [(top, bottom) for top, bottom in gaps if top > 0 and bottom < image.height  # between two lines
             and bottom - top >= CUT_GAP and not any(a - CUT_GAP < bottom and top < b + CUT_GAP for a, b in keep)]
    if len(inner) < 2 * FEWEST_LINES:
        return [(0, image.height)]
    gray = image.convert("L")
    cuts, lines, above = [0], 0, (gaps[0][1] if gaps and gaps[0][0] == 0 else 0)
    for top, bottom in inner:
        lines += 1
        line = gray.crop((0, above, image.width, top)).tobytes()
        chosen = hashlib.blake2b(line, digest_size=4).digest()[0] % CUT_ONE == 0
        if lines >= MOST_LINES or lines >= FEWEST_LINES and chosen:
            cuts.append((top + bottom) // 2)
            lines = 0
        above = bottom
    if lines < FEWEST_LINES // 2 and len(cuts) > 1:  # a last line or two go with the piece before
        cuts.pop()
    cuts.append(image.height)
    return list(zip(cuts, cuts[1:]))


def pieces(image: Image.Image, keep: list[tuple[int, int]] = ()) -> list[tuple[Image.Image, int]]:
    """``image`` cut between its lines (not in the bands ``keep``): each piece with PAGE_ROWS of
    white above and below, and where its first row (the page put above it) is in ``image``."""
    cut = []
    for top, bottom in piece_rows(image, keep):
        piece = image.crop((0, top, image.width, bottom))
        paged = Image.new(piece.mode, (piece.width, piece.height + 2 * PAGE_ROWS), "white")
        paged.paste(piece, (0, PAGE_ROWS))
        cut.append((paged, top - PAGE_ROWS))
    return cut
