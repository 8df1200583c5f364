"""A terminal's text read by its grid of character cells, each kind of cell recognised once.

A terminal draws every character in a cell of the same size, and the same character the same way
each time: a screen of ``ls -l`` has 5,000 cells but fewer than 70 kinds of them. Recognising all
80 lines with tesseract takes about a second on two cores; here the block is found to be such a
grid (a column of page between all cells, a row of page between all lines, letters that repeat),
tesseract reads only enough lines to see each kind of cell in two different words, a kind learns
the character tesseract read for it where those readings agree (tesseract reads a letter by its
word: xterm's "w" is "u" in "-rw-r--r--" and "w" in "window"), a word read whole is said as
tesseract read it most often, and the other lines are spelled from what was learned. A line with
a cell neither learned nor in a word read before is read by tesseract, so nothing is guessed;
what was learned is kept for the next look, and a screen of known cells needs no recognition.
Anything that is not clearly such a grid is read as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of
from seesay.vision.recognition_memo import Word

#: A pixel darker than this (0-255, ink on white) is ink where cells are looked for; one darker
#: than PAGE is a mark; a kind of cell is told by its pixels in steps of SHADES.
INK, PAGE, SHADES = 160, 250, 32
#: A grid needs this many lines and filled cells, and each kind of cell this many times on average.
FEWEST_ROWS, FEWEST_CELLS, REPEATS = 6, 200, 3
#: The page between cells: no more than this share of the ink may lie in it.
PAGE_INK = 0.004
#: Learned: a kind's character is read in at least CONTEXTS different words (tesseract reads a
#: letter by its word: xterm's "w" is "u" in "-rw-r--r--" but "w" in "window"), AGREE of the
#: readings alike; what is missing is sought in at most ROUNDS readings of a few lines.
CONTEXTS, AGREE, ROUNDS = 2, 0.9, 3
#: A whole word is said as tesseract read it most often, where that is at least this share (a word
#: read in other lines around it now and then reads a letter otherwise: "-rw-r--r--", "-ru-r--r--").
WORD_AGREE = 0.5
#: How sure a spelled word is said to be, times its letters' agreement (tesseract's sure words: 0.9).
SPELLED_SURE = 0.95
#: Whole words remembered at most (then all are learned again).
WORDS_KEPT = 16384
#: Kinds of cell remembered at most (then all are learned again).
KINDS_KEPT = 4096
#: Rows of page above and below the lines given to tesseract; from SHARED_LINES lines on, they are
#: given in two strips, one to each of the reader's tesseracts.
PAGE_ROWS, SHARED_LINES = 4, 4


@dataclass(frozen=True)
class Grid:
    left: int
    top: int
    width: int
    height: int
    columns: int
    rows: int


def _period(profile: np.ndarray, smallest: int, largest: int) -> tuple[int, int] | None:
    """The smallest period (and its phase) at which one line of ``profile`` holds next to no ink."""
    total = float(profile.sum())
    if total <= 0:
        return None
    for period in range(smallest, min(largest, len(profile) // 3) + 1):
        sums = np.array([profile[phase::period].sum() for phase in range(period)], dtype=np.float64)
        phase = int(sums.argmin())
        if sums[phase] <= PAGE_INK * total and np.median(sums) >= 0.25 * total / period:
            return period, phase
    return None


def find_grid(ink: np.ndarray) -> Grid | None:
    """The grid of character cells of a block (``ink``: True where there is ink), or None."""
    across = _period(ink.sum(axis=0), 4, 24)
    down = _period(ink.sum(axis=1), 8, 48)
    if across is None or down is None:
        return None
    (width, column_page), (height, row_page) = across, down
    left, top = column_page + 1, row_page + 1
    columns, rows = -(-(ink.shape[1] - left) // width), -(-(ink.shape[0] - top) // height)  # the last may be cut
    if rows < FEWEST_ROWS or columns < 2 or ink[:, :left].any() or ink[:top].any():
        return None  # ink before the first cells: not a grid after all
    return Grid(left, top, width, height, columns, rows)


@dataclass(frozen=True)
class Cells:
    """A block found to be a grid: its kinds of cell (each as bytes: cell size and shades), which
    kind each cell is (rows x columns; -1 for an empty cell) and where in each cell its marks are
    (rows x columns x top, bottom, left, right)."""
    grid: Grid
    keys: list
    kind: np.ndarray
    marks: np.ndarray


class GlyphReader:
    """Reads grid blocks for one TesseractReader (on its first thread only), learning as it goes:
    each kind's character from the words tesseract read it in, and whole words (their kinds in a
    row) as tesseract read them."""

    def __init__(self, recognise) -> None:
        self._recognise = recognise  # (api, images enlarged, mode) -> tesseract's Words for each
        self._votes: dict[bytes, Counter] = {}  # a kind: the characters read for it
        self._contexts: dict[bytes, set] = {}  # a kind: the words (their kinds) it was read in
        self._words: dict[bytes, Counter] = {}  # a word (its kinds): how tesseract read it

    @staticmethod
    def cells(crop: Image.Image) -> Cells | None:
        """The cells of ``crop`` (ink on white), or None when it is not a grid of them."""
        grey = np.asarray(crop.convert("L"))
        grid = find_grid(grey < INK)
        if grid is None:
            return None
        g = grid
        grey = np.pad(grey, ((0, g.top + g.rows * g.height - grey.shape[0]), (0, g.left + g.columns * g.width - grey.shape[1])),
                      constant_values=255)
        ink = grey < PAGE  # any mark at all: a cell of faint letters is not taken for a space
        cells = (grey[g.top:, g.left:] // SHADES).reshape(g.rows, g.height, g.columns, g.width)
        cells = cells.transpose(0, 2, 1, 3).reshape(g.rows, g.columns, -1)  # a kind: its shades, not just its ink
        marked = ink[g.top:, g.left:].reshape(g.rows, g.height, g.columns, g.width)
        down, across = marked.any(axis=3), marked.any(axis=1)  # (rows, height, columns), (rows, columns, width)
        marks = np.stack((down.argmax(axis=1), g.height - down[:, ::-1].argmax(axis=1),
                          across.argmax(axis=2), g.width - across[:, :, ::-1].argmax(axis=2)), axis=2)
        filled = across.any(axis=2)
        if filled.sum() < FEWEST_CELLS:
            return None
        size = bytes((g.height, g.width))
        numbers: dict[bytes, int] = {}
        which = [numbers.setdefault(size + cell.tobytes(), len(numbers)) for cell in np.ascontiguousarray(cells[filled])]
        if filled.sum() < REPEATS * len(numbers):  # letters that do not repeat: not cells of a terminal
            return None
        kind = np.full(filled.shape, -1, dtype=np.int32)
        kind[filled] = which
        return Cells(grid, list(numbers), kind, marks)

    def read(self, api, crop: Image.Image, scale: int, mode, cells: Cells) -> tuple[Word, ...]:
        """The words of ``crop`` in its grid, boxes as in ``crop`` enlarged ``scale`` times."""
        grid, keys, kind = cells.grid, cells.keys, cells.kind
        rows: dict[int, list[Word]] = {}
        for _round in range(ROUNDS):
            chosen = self._lines_to_read(keys, kind, rows)
            if not chosen:
                break
            rows.update(self._tesseract(api, crop, grid, chosen, scale, mode, keys, kind))
        labels = self._labels(keys)
        spelled, unknown = {}, []
        for row in range(grid.rows):
            if row not in rows and (kind[row] >= 0).any():
                words = self._spelled(cells, row, labels, scale)
                if words is None:
                    unknown.append(row)
                else:
                    spelled[row] = words
        if unknown:
            rows.update(self._tesseract(api, crop, grid, unknown, scale, mode, keys, kind))
        rows.update(spelled)
        if len(self._votes) > KINDS_KEPT or len(self._words) > WORDS_KEPT:
            self._votes.clear()
            self._contexts.clear()
            self._words.clear()
        return tuple(word for row in sorted(rows) for word in rows[row])

    def _labels(self, keys: list[bytes]) -> list[tuple[str, float] | None]:
        """Each kind's character and how sure, where learned surely."""
        return [_agreed(self._votes.get(key), CONTEXTS, AGREE) if len(self._contexts.get(key, ())) >= CONTEXTS
                else None for key in keys]

    def _known_word(self, keys: list[bytes], kinds) -> tuple[str, float] | None:
        return _agreed(self._words.get(b"".join(keys[k] for k in kinds)), 1, WORD_AGREE)

    def _unresolved(self, keys, kind_row, labels) -> list[tuple[int, bytes]]:
        """The kinds (each with its word) of a row's words that are neither read before as a whole
        word nor learned."""
        missing = []
        for first, last in _runs(kind_row):
            run = kind_row[first:last + 1]
            word = b"".join(keys[k] for k in run)
            if _agreed(self._words.get(word), 1, WORD_AGREE) is None:
                missing += [(int(k), word) for k in run if labels[k] is None]
        return missing

    def _lines_to_read(self, keys: list[bytes], kind: np.ndarray, read: dict) -> list[int]:
        """Few lines, of those not ``read`` yet, whose words show each kind still needed in words it
        was not read in yet, until it has been read in CONTEXTS words (or all it is in)."""
        labels = self._labels(keys)
        unread = [r for r in range(len(kind)) if r not in read and (kind[r] >= 0).any()]
        offers = {r: set(self._unresolved(keys, kind[r], labels)) for r in unread}
        need = {k: CONTEXTS - len(self._contexts.get(keys[k], ())) for r in unread for k, _word in offers[r]}
        taken: set = set()
        chosen: list[int] = []

        def gain(row: int) -> int:
            new = {(k, word) for k, word in offers[row] if need.get(k, 0) > 0 and (k, word) not in taken
                   and word not in self._contexts.get(keys[k], ())}
            return len({k for k, _word in new})

        while any(n > 0 for n in need.values()) and len(chosen) < len(unread):
            row = max((r for r in unread if r not in chosen), key=gain)
            if gain(row) == 0:
                break
            chosen.append(row)
            for k, word in offers[row]:
                if (k, word) not in taken and need.get(k, 0) > 0 and word not in self._contexts.get(keys[k], ()):
                    need[k] -= 1
                taken.add((k, word))
        return sorted(chosen)

    def _tesseract(self, api, crop, grid: Grid, lines: list[int], scale: int, mode, keys, kind) -> dict:
        """``lines`` read by tesseract, stacked one under another. A word whose letters fill cells one
        for one is, read surely, a reading of each kind; one that fills a whole run of cells (a word
        of the row) is kept as a whole word, however surely."""
        g = grid
        grey = crop.convert("L")
        groups = [lines] if len(lines) < SHARED_LINES else [lines[:len(lines) // 2], lines[len(lines) // 2:]]
        strips = []
        for group in groups:  # two groups are read at once by the reader's two tesseracts
            strip = Image.new("L", (crop.width, len(group) * g.height + 2 * PAGE_ROWS), 255)
            for index, row in enumerate(group):
                top = g.top + row * g.height
                strip.paste(grey.crop((0, top, crop.width, top + g.height)), (0, PAGE_ROWS + index * g.height))
            if scale > 1:
                strip = strip.resize((strip.width * scale, strip.height * scale), Image.BICUBIC)
            strips.append(strip)
        words: dict[int, list[Word]] = {row: [] for row in lines}
        for group, read in zip(groups, self._recognise(api, strips, mode)):
            self._learn(group, read, words, grid, scale, keys, kind)
        return words

    def _learn(self, lines: list[int], read, words: dict, grid: Grid, scale: int, keys, kind) -> None:
        """Each of tesseract's words in a strip of ``lines`` put in ``words`` by row, and learned."""
        g = grid
        runs = {row: {first: last for first, last in _runs(kind[row])} for row in lines}
        for _starts, text, box, confidence in read:
            if box is None or not text:
                continue
            index = int(((box[1] + box[3]) / (2 * scale) - PAGE_ROWS) // g.height)
            if not 0 <= index < len(lines):
                continue
            row = lines[index]
            shift = (g.top + row * g.height - PAGE_ROWS - index * g.height) * scale
            words[row].append((not words[row], text, (box[0], box[1] + shift, box[2], box[3] + shift), confidence))
            first = (box[0] // scale - g.left) // g.width
            last = (-(-box[2] // scale) - 1 - g.left) // g.width
            run = kind[row, first:last + 1] if 0 <= first <= last < g.columns else kind[row, :0]
            if len(run) != len(text) or (run < 0).any():
                continue  # not one letter a cell (a word cut at a tiny "." is part of its run: its letters count)
            start = max(f for f in runs[row] if f <= first)  # the word of the row this is (part of)
            word = b"".join(keys[k] for k in kind[row, start:runs[row][start] + 1])
            if start == first and runs[row][start] == last:
                self._words.setdefault(word, Counter())[text] += 1
            for k, character in zip(run, text):
                self._votes.setdefault(keys[k], Counter())[character] += 1
                self._contexts.setdefault(keys[k], set()).add(word)

    def _spelled(self, cells: Cells, row: int, labels, scale: int) -> list[Word] | None:
        """A line's words, each as read before as a whole word or spelled from its cells' learned
        characters, each box tight round its ink; None when a word is neither."""
        g, kinds, words = cells.grid, cells.kind[row], []
        top, bottom, left, right = (cells.marks[row, :, i].tolist() for i in range(4))
        for first, last in _runs(kinds):
            run = kinds[first:last + 1]
            known = self._known_word(cells.keys, run)
            if known is None:
                letters = [labels[k] for k in run]
                if any(letter is None for letter in letters):
                    return None
                known = ("".join(letter[0] for letter in letters), min(letter[1] for letter in letters))
            y0 = g.top + row * g.height
            box = ((g.left + first * g.width + left[first]) * scale, (y0 + min(top[first:last + 1])) * scale,
                   (g.left + last * g.width + right[last]) * scale, (y0 + max(bottom[first:last + 1])) * scale)
            words.append((not words, known[0], box, SPELLED_SURE * known[1]))
        return words


def _runs(kinds: np.ndarray) -> list[tuple[int, int]]:
    """The first and last cell of each run of filled cells in a row: its words."""
    return [(start, end - 1) for start, end in runs_of(kinds >= 0)]


def _agreed(readings: Counter | None, fewest: int, share: float) -> tuple[str, float] | None:
    """The reading most given, and its share, where at least ``fewest`` were given and ``share`` of them alike."""
    total = sum(readings.values()) if readings else 0
    if total < fewest:
        return None
    text, count = readings.most_common(1)[0]
    return (text, count / total) if count >= share * total else None
