"""Where the text on a screen is, block by block, in the order a person reads it: found from the
pixels, before any text is read.

Tesseract reads a crop of one text block far better than a whole screen: on a real screen its
own page analysis reads a terminal's ``ls -l`` column by column, misses a dialog's message on
a dark desktop, and runs lines of two panels together. So the screen is cut first:
- ink is where brightness steps between neighbouring pixels;
- long straight runs of ink are rules and frames (window borders, panel edges, underlines) and
  are taken out, so they neither join blocks nor block the cuts between them;
- the rest is cut recursively at bands of blank space that run right across (an X-Y cut):
  between paragraphs and panels (a band of rows), between columns (a gutter of columns). Each
  cut is taken where the blank band is widest, so a heading over two columns comes off first,
  then the columns are cut apart and read one after the other;
- each block knows its lines' height, so small interface text can be enlarged before reading;
  a block with no lines in it (specks, bands of ink taller than a line, ink everywhere) is a
  photo, a drawing or texture, and is left out rather than read as letters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from seesay.core.mask_runs import run_heights, runs_of

#: A step in brightness this big (0-255) between neighbouring pixels is ink.
EDGE_STEP = 40
#: A straight run of ink at least this long (pixels in the reduced copy, and this share of the
#: picture's side) is a rule or a frame, not text.
RULE_PIXELS, RULE_SHARE = 48, 0.0
#: ...and a fainter step (0-255) in a straight run at least this long and this share of the
#: picture's height, down a column, is one too: a panel's side (Adwaita dark's line between a file
#: chooser's places and its files, a step of 18 and 22, 91% of the screen), not a table's grid
#: line (Qt's, between its row numbers and its cells, 34%).
SOFT_STEP, SOFT_RULE_PIXELS, SOFT_RULE_SHARE = 15, 144, 0.5
#: A gutter between columns is at least this many times as wide as the lines beside it are high.
GUTTER_LINES = 1.2
#: A rule running across this share of a block cuts it in two (a photo's side does not).
RULE_ACROSS = 0.9
#: Parts left and right of a gutter are columns when this share of the smaller one's rows have
#: ink on both sides.
SIDE_BY_SIDE = 0.25
#: Blank bands that cut blocks apart, in capture pixels: between rows of text and between columns.
ROW_GAP, COLUMN_GAP = 10, 22
#: Blocks smaller than this (capture pixels) hold no readable text.
MIN_HEIGHT, MIN_WIDTH = 6, 6
#: A block whose bands of ink are not between these heights (capture pixels: specks, or bands
#: taller than any line), or that is more ink than this share (texture, noise), holds no lines
#: of text: a photo, a drawing, an icon. It is not read (measured: text 0.14-0.50 ink, lines of
#: 10-32 pixels; photos below 0.12 ink with bands of 2 or 100-200 pixels; noise 0.86).
MIN_LINE, MAX_LINE, MAX_INK = 5, 90, 0.7
#: ...or, for a block of one line, this share (a bold word cut tight, a Qt table's header "Status": 0.75).
MAX_INK_ONE_LINE = 0.8
#: Bands taller than MAX_LINE (up to twice that) are big text when at least this share is ink
#: (96-point text: 0.17-0.23; photos: 0.06-0.12).
BIG_TEXT_INK = 0.15
#: A block whose horizontal strokes are less than this share of its ink is only upright lines.
UPRIGHT_ONLY = 0.1
#: At most this many blocks (the page is read whole beyond it: cutting would cost more than it gains).
MAX_BLOCKS = 120
#: Text whose blocks' lines are at most this high (median, pixels) is read from a copy enlarged
#: twice (tesseract made "iene", "Lotter to bank.doce" and a dialog's nothing of it)...
MINUTE_LINES = 8
#: ...when that copy holds at most this many pixels.
MINUTE_MOST_PIXELS = 2560 * 1600


@dataclass(frozen=True)
class TextBlock:
    #: left, top, right, bottom in the capture's pixels
    box: tuple[int, int, int, int]
    #: the typical height of its lines of ink, in the capture's pixels (0 when unknown)
    line_height: int

    @property
    def size(self) -> tuple[int, int]:
        return self.box[2] - self.box[0], self.box[3] - self.box[1]


def minute_text(blocks: list[TextBlock], size: tuple[int, int]) -> bool:
    """The text is so small (a screenshot shared at half its size: GTK's 9-pixel text at 5) that
    it is better read from a copy enlarged twice, and that copy is not too big to read quickly."""
    heights = sorted(block.line_height for block in blocks)
    return (bool(heights) and heights[len(heights) // 2] <= MINUTE_LINES
            and 4 * size[0] * size[1] <= MINUTE_MOST_PIXELS)


def find_text_blocks(image: Image.Image, skip: list[tuple[int, int, int, int]] = ()) -> list[TextBlock]:
    """Blocks of ink in reading order; ``skip``: boxes (picture regions) left out."""
    width, height = image.size
    factor = -(-max(width, height) // 1600)  # 1 up to 1600 pixels, 2 for a 1920-pixel screen
    gray = np.asarray(image.convert("L").reduce(factor) if factor > 1 else image.convert("L"), dtype=np.int16)
    ink, rules = _ink(gray)
    for left, top, right, bottom in skip:
        ink[top // factor: -(-bottom // factor), left // factor: -(-right // factor)] = False
    found: list[tuple[int, int, int, int]] = []
    _cut(ink, (0, 0, ink.shape[0], ink.shape[1]), max(1, ROW_GAP // factor), max(1, COLUMN_GAP // factor), found,
         rules=rules)
    if len(found) > MAX_BLOCKS:
        return [TextBlock((0, 0, width, height), 0)]
    blocks = []
    for top, left, bottom, right in _with_edges_cut_off(ink, found, factor, rules):
        box = (left * factor, top * factor, min(width, right * factor), min(height, bottom * factor))
        if box[2] - box[0] < MIN_WIDTH or box[3] - box[1] < MIN_HEIGHT:
            continue
        part, flat = ink[top:bottom, left:right], rules[2][top:bottom, left:right]
        line_height = _line_height(part) * factor
        if factor > 1 and line_height > MAX_LINE:  # tiny lines run together when reduced (a full-screen terminal)
            full, full_flat = _at_full_size(image, box)
            if MIN_LINE <= _line_height(full) <= MAX_LINE:
                part, flat, line_height = full, full_flat, _line_height(full)
        one_line = box[3] - box[1] <= 1.5 * line_height
        if (line_height < MIN_LINE or part.mean() > (MAX_INK_ONE_LINE if one_line else MAX_INK)
                or line_height > MAX_LINE and (line_height > 2 * MAX_LINE or part.mean() < BIG_TEXT_INK)):
            continue  # a photo, a drawing, texture, specks: ink with no lines in it is not text
        if flat.sum() < UPRIGHT_ONLY * part.sum():
            continue  # only upright strokes: the sides of two buttons, a border's corner; letters have tops
        blocks.append(TextBlock(box, line_height))
    return blocks


def _at_full_size(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The ink of ``box`` (left, top, right, bottom) and its flat strokes, from the capture itself:
    lines 13 pixels apart (a terminal's) run into one band in the half-size copy."""
    ink, rules = _ink(np.asarray(image.crop(box).convert("L"), dtype=np.int16))
    return ink, rules[2]


def _with_edges_cut_off(ink: np.ndarray, found: list, factor: int, rules) -> list:
    """Each block, and for a block that holds no lines (a photo), the lines of text just above or
    below it, cut off at a single blank row (a caption set tight under a picture)."""
    result = []
    for top, left, bottom, right in found:
        part = ink[top:bottom, left:right]
        if MIN_LINE <= _line_height(part) * factor <= MAX_LINE:
            result.append((top, left, bottom, right))
            continue
        pieces: list = []
        _cut(ink, (top, left, bottom, right), 1, max(1, COLUMN_GAP // factor), pieces, depth=38, rules=rules)
        result += pieces if len(pieces) > 1 else [(top, left, bottom, right)]
    return result


def _ink(gray: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Ink without rules (long straight runs of edges along a row or down a column), and the rules
    themselves (along rows, down columns): a rule between a title bar and a window's text, or
    between a toolbar and a page, parts them even with no blank space between."""
    across = np.zeros(gray.shape, dtype=bool)
    down = np.zeros(gray.shape, dtype=bool)
    across[:, 1:] = np.abs(np.diff(gray, axis=1)) >= EDGE_STEP  # vertical strokes (and vertical rules)
    down[1:, :] = np.abs(np.diff(gray, axis=0)) >= EDGE_STEP  # horizontal strokes (and horizontal rules)
    along_rows = _long_runs(down, RULE_PIXELS, RULE_SHARE)  # a horizontal rule is a long run along a row
    down_columns = _long_runs(across.T, RULE_PIXELS, RULE_SHARE).T  # a vertical one a long run down a column
    soft = np.zeros(gray.shape, dtype=bool)  # a faint line down a whole panel's side parts it too (a
    soft[:, 1:] = np.abs(np.diff(gray, axis=1)) >= SOFT_STEP  # dark file chooser's places from its files)
    down_columns |= _long_runs(soft.T, SOFT_RULE_PIXELS, SOFT_RULE_SHARE).T
    return (across & ~down_columns) | (down & ~along_rows), (along_rows, down_columns, down & ~along_rows)


def _long_runs(mask: np.ndarray, pixels: int, share: float) -> np.ndarray:
    """The pixels of ``mask`` in runs along each row at least ``pixels`` and ``share`` of a row long."""
    length = max(pixels, int(share * mask.shape[1]))
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    changes = np.diff(padded, axis=1)
    rows, starts = np.nonzero(changes == 1)  # row-major: the n-th start and the n-th end are one run
    _rows, ends = np.nonzero(changes == -1)
    result = np.zeros_like(mask)
    for row, start, end in zip(*(array[ends - starts >= length] for array in (rows, starts, ends))):
        result[row, start:end] = True
    return result


def _cut(ink: np.ndarray, box, row_gap: int, column_gap: int, found: list, depth: int = 0, rules=None) -> None:
    """X-Y cut of ``box`` (top, left, bottom, right) at a rule running across it, else at its widest
    blank band; leaves go to ``found``."""
    top, left, bottom, right = box
    area = ink[top:bottom, left:right]
    rows, columns = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
    if rows.size == 0 or len(found) > MAX_BLOCKS:
        return
    top, bottom, left, right = top + rows[0], top + rows[-1] + 1, left + columns[0], left + columns[-1] + 1
    if rules is not None and depth <= 40:
        along_rows, down_columns, _flat_strokes = rules
        across = np.flatnonzero(along_rows[top + 1:bottom - 1, left:right].mean(axis=1) >= RULE_ACROSS)
        if across.size:
            at = top + 1 + int(across[0])
            _cut(ink, (top, left, at, right), row_gap, column_gap, found, depth + 1, rules)
            _cut(ink, (at + 1, left, bottom, right), row_gap, column_gap, found, depth + 1, rules)
            return
        down = np.flatnonzero(down_columns[top:bottom, left + 1:right - 1].mean(axis=0) >= RULE_ACROSS)
        if down.size:
            at = left + 1 + int(down[0])
            _cut(ink, (top, left, bottom, at), row_gap, column_gap, found, depth + 1, rules)
            _cut(ink, (top, at + 1, bottom, right), row_gap, column_gap, found, depth + 1, rules)
            return
    area = ink[top:bottom, left:right]
    row_band = _widest_gap(area.any(axis=1), row_gap)
    column_band = _widest_gap(area.any(axis=0), column_gap)
    if column_band is not None:
        # between the words of big text (a heading, a magnified page) the gaps are wide too: a
        # gutter must be wider than the lines beside it are high (the lower of the two sides: text
        # beside a picture has the picture's tall band on one side)
        beside = min(_line_height(area[:, :column_band[0]]), _line_height(area[:, column_band[1]:]))
        if column_band[1] - column_band[0] < GUTTER_LINES * beside:
            column_band = None
    if depth > 40 or (row_band is None and column_band is None):
        found.append((int(top), int(left), int(bottom), int(right)))
        return
    # the wider blank band (relative to what it must be) is the stronger boundary; but columns are
    # columns only when they run side by side: messages left and right in a chat take turns, and
    # are read top to bottom
    use_rows = column_band is None or (row_band is not None and (
        (row_band[1] - row_band[0]) / row_gap >= (column_band[1] - column_band[0]) / column_gap
        or not _side_by_side(area, column_band)))
    if use_rows:
        start, end = row_band
        _cut(ink, (top, left, top + start, right), row_gap, column_gap, found, depth + 1, rules)
        _cut(ink, (top + end, left, bottom, right), row_gap, column_gap, found, depth + 1, rules)
    else:
        start, end = column_band
        _cut(ink, (top, left, bottom, left + start), row_gap, column_gap, found, depth + 1, rules)
        _cut(ink, (top, left + end, bottom, right), row_gap, column_gap, found, depth + 1, rules)


def _side_by_side(area: np.ndarray, band: tuple[int, int]) -> bool:
    """The parts left and right of a blank band run beside each other: at least a quarter of the
    smaller part's inked rows have ink on the other side too (a side panel beside a page does;
    chat messages taking turns left and right do not)."""
    left, right = area[:, : band[0]].any(axis=1), area[:, band[1]:].any(axis=1)
    smaller = min(int(left.sum()), int(right.sum()))
    return smaller > 0 and (left & right).sum() >= SIDE_BY_SIDE * smaller


def _widest_gap(used: np.ndarray, smallest: int) -> tuple[int, int] | None:
    """The widest run of False inside ``used`` (not at its ends), if at least ``smallest`` long."""
    gaps = [(a, b) for a, b in runs_of(~used.astype(bool)) if a > 0 and b < len(used)]
    if not gaps:
        return None
    start, end = max(gaps, key=lambda gap: gap[1] - gap[0])
    return (start, end) if end - start >= smallest else None


def _line_height(ink: np.ndarray, percentile: int = 50) -> int:
    """The height of the bands of ink in a block (its lines), in the reduced copy's pixels: the
    median, or a lower ``percentile`` (the text's lines among taller bands of pictures)."""
    heights = run_heights(ink.any(axis=1))
    return int(np.percentile(heights, percentile)) if heights.size else 0
