"""Reading the text on a picture: lines in reading order, with their boxes.

tesseract through tesserocr (its wheel carries libtesseract; the language data comes from the
system's tesseract-ocr packages). One API object is made on first use and reused: creating it
costs more than reading a page. Without tesseract, captions still work and the app says how
to install it.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from seesay.vision.text_blocks import EDGE_STEP

from seesay.core.i18n import _

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tessdata",
    r"C:\Program Files\Tesseract-OCR\tessdata",
)


@dataclass(frozen=True)
class TextLine:
    text: str
    #: left, top, width, height in the picture's pixels
    box: tuple[int, int, int, int]
    confidence: float
    #: "text", or "button" for a label framed as a button is
    role: str = "text"


@dataclass(frozen=True)
class ReadText:
    lines: tuple[TextLine, ...] = ()
    seconds: float = 0.0
    image_size: tuple[int, int] = (1, 1)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[str]:
        return [word for line in self.lines for word in line.text.split()]

    @property
    def coverage(self) -> float:
        """Share of the picture covered by text lines (0 to 1)."""
        area = sum(line.box[2] * line.box[3] for line in self.lines)
        return min(1.0, area / float(self.image_size[0] * self.image_size[1] or 1))


class TextReader(Protocol):
    name: str

    def read(self, image: Image.Image) -> ReadText: ...


class TesseractReader:
    """Used from the worker thread that made it. The screen is cut into text blocks first
    (``text_blocks``: tesseract reads a crop of one block far better than a whole screen), each
    block is read as one uniform block of text, enlarged when its lines are small, and the
    blocks are shared between two tesseracts, the second on a helper thread (each tesserocr API
    object is used by one thread at a time; tesserocr lets go of Python's lock while it reads).
    ``blocks=False`` reads the picture as one page with tesseract's own page analysis."""

    name = "tesseract"

    def __init__(self, tessdata: str, language: str = "eng", *, split: bool = True, blocks: bool = True) -> None:
        # One OpenMP thread per tesseract: its default team of threads fights the model's for two
        # cores (measured: 575 ms a page by default, 180 ms with one thread). Read when the library loads.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr

        self._tesserocr = tesserocr
        self._tessdata, self._language, self._split, self._blocks = tessdata, language, split, blocks
        self._api = self._new_api()
        self._second = self._helper = None
        if split:  # made now, with the first: a steady footprint, and no pause on the first text page
            from concurrent.futures import ThreadPoolExecutor

            self._second = self._new_api()
            self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seesay-ocr")

    def _new_api(self):
        tesserocr = self._tesserocr
        return tesserocr.PyTessBaseAPI(path=self._tessdata, lang=self._language, psm=tesserocr.PSM.AUTO)

    def read(self, image: Image.Image) -> ReadText:
        started = time.perf_counter()
        jobs = self._block_jobs(image) if self._blocks else self._page_jobs(image)
        if self._helper is None or len(jobs) < 2:
            lines = [line for job in jobs for line in self._read_part(self._api, *job)]
        else:  # the larger share of the work here, the rest on the helper, in reading order afterwards
            mine, theirs = _share(jobs)
            later = self._helper.submit(lambda: {i: self._read_part(self._second, *jobs[i]) for i in theirs})
            done = {i: self._read_part(self._api, *jobs[i]) for i in mine}
            done.update(later.result())
            lines = [line for i in range(len(jobs)) for line in done[i]]
        return ReadText(lines=tuple(_rows(lines)), seconds=time.perf_counter() - started, image_size=image.size)

    def _page_jobs(self, image: Image.Image) -> list:
        from seesay.vision.page_split import find_cut

        cut = find_cut(image) if self._split else None
        whole = self._tesserocr.PSM.AUTO
        return [(image, (0, 0), 1, whole)] if cut is None else [(part, at, 1, whole) for part, at in cut.parts(image)]

    def _block_jobs(self, image: Image.Image) -> list:
        """(crop, its offset, enlargement, page mode) for each block in reading order; a big block is
        cut between its lines in two, so both tesseracts have work."""
        from seesay.vision.text_blocks import find_text_blocks

        jobs = []
        width, height = image.size
        for block in find_text_blocks(image):
            pad = max(BLOCK_MARGIN, block.line_height // 2)  # tesseract needs a margin of page round the text
            box = (max(0, block.box[0] - pad), max(0, block.box[1] - pad),
                   min(width, block.box[2] + pad), min(height, block.box[3] + pad))
            crop = _alone(image, block.box, box)
            scale = 2 if 0 < block.line_height <= SMALL_LINE and _small_text(crop) else 1
            if scale > 1:
                crop = _without_solid_blocks(crop)
            big = crop.size[0] * crop.size[1] * scale * scale > SPLIT_PIXELS
            middle = _blank_row_near_middle(crop) if self._split and big else None
            parts = [(crop, (0, 0))] if middle is None else [
                (crop.crop((0, 0, crop.width, middle)), (0, 0)), (crop.crop((0, middle, crop.width, crop.height)), (0, middle))]
            mode = self._tesserocr.PSM.SINGLE_BLOCK
            role = "button" if _framed(image, block.box) else "text"
            jobs += [(part, (box[0] + at[0], box[1] + at[1]), scale, mode, role) for part, at in parts]
        return jobs

    def _read_part(self, api, image: Image.Image, offset: tuple[int, int], scale: int = 1,
                   mode=None, role: str = "text") -> list[TextLine]:
        """The lines of ``image`` (placed at ``offset`` in the picture), each built from its words:
        words tesseract is unsure of (the outline of an icon read as letters) are left out."""
        tesserocr = self._tesserocr
        if scale > 1:
            image = image.convert("L").resize((image.width * scale, image.height * scale), Image.BICUBIC)
        api.SetPageSegMode(mode if mode is not None else tesserocr.PSM.AUTO)
        api.SetImage(image)
        api.Recognize()
        lines: list[TextLine] = []
        words: list[tuple[str, tuple[int, int, int, int], float]] = []

        def close_line() -> None:
            if words:
                left = min(b[0] for _w, b, _c in words)
                top = min(b[1] for _w, b, _c in words)
                right = max(b[2] for _w, b, _c in words)
                bottom = max(b[3] for _w, b, _c in words)
                text = " ".join(w for w, _b, _c in words)
                if not _a_shape((bottom - top) / scale, text):
                    lines.append(TextLine(text=text, box=(offset[0] + left // scale, offset[1] + top // scale,
                                                          -(-(right - left) // scale), -(-(bottom - top) // scale)),
                                          confidence=sum(c for _w, _b, c in words) / len(words), role=role))
                words.clear()

        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        for item in tesserocr.iterate_level(iterator, level) if iterator is not None else ():
            try:
                starts_line = item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE)
                text = (item.GetUTF8Text(level) or "").strip()
                box = item.BoundingBox(level)
                confidence = float(item.Confidence(level)) / 100.0
            except RuntimeError:  # tesserocr's way of saying "no text here"
                continue
            if starts_line:
                close_line()
            if text and box is not None and _plausible(text, confidence):
                words.append((text, box, confidence))
        close_line()
        api.Clear()
        return lines


#: Blocks are read with this much page (pixels) around them, or half a line if more.
BLOCK_MARGIN = 6
#: A button's label is at most this big (pixels), its frame within this reach of the text (to the
#: sides, above and below), and the frame this much darker or lighter than the button's face.
BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_REACH, BUTTON_CONTRAST = 260, 40, (48, 14), 30
#: Text whose lines are at most this high (pixels) and whose strokes' edges run this short (see
#: ``_small_text``) is read enlarged twice; big text never is.
SMALL_LINE, SMALL_STROKES = 20, 7
#: A block bigger than this (pixels, as read) is cut between its lines and read by both tesseracts.
SPLIT_PIXELS = 250_000
#: A line of one or two characters at least this tall (pixels) is a shape or an icon.
SHAPE_HEIGHT = 40
#: A word less sure than this is left out (tesseract reads icons and photo texture as "words").
WORD_CONFIDENCE = 0.15


def _rows(lines: list[TextLine]) -> list[TextLine]:
    """Lines read one after the other that stand side by side on one row (the cells of a table
    row, a row of buttons) become one line, its parts separated by commas: "Saturday, nine, five"."""
    merged: list[TextLine] = []
    for line in lines:
        if merged and _same_row(merged[-1].box, line.box) and (merged[-1].role == line.role):
            last = merged[-1]
            left, top = min(last.box[0], line.box[0]), min(last.box[1], line.box[1])
            right = max(last.box[0] + last.box[2], line.box[0] + line.box[2])
            bottom = max(last.box[1] + last.box[3], line.box[1] + line.box[3])
            merged[-1] = TextLine(text=f"{last.text}, {line.text}", box=(left, top, right - left, bottom - top),
                                  confidence=min(last.confidence, line.confidence),
                                  role=last.role if last.role == line.role else "text")
        else:
            merged.append(line)
    return merged


def _same_row(first: tuple[int, int, int, int], second: tuple[int, int, int, int]) -> bool:
    """``second`` lies to the right of ``first``, sharing most of its height."""
    overlap = min(first[1] + first[3], second[1] + second[3]) - max(first[1], second[1])
    return second[0] >= first[0] + first[2] and overlap >= 0.6 * min(first[3], second[3])


def _framed(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """A block of text framed as a button is: on each of its four sides, a few pixels out, a
    line darker or lighter than the button's face runs along the text, and ends there (a table's
    grid line runs on into the next cell)."""
    width, height = image.size
    left, top, right, bottom = box
    if right - left > BUTTON_WIDTH or bottom - top > BUTTON_HEIGHT:
        return False
    across, down = BUTTON_REACH
    outer = (max(0, left - across - 8), max(0, top - down), min(width, right + across + 8), min(height, bottom + down))
    gray = np.asarray(image.convert("L").crop(outer), dtype=np.int16)
    inner_left, inner_top = left - outer[0], top - outer[1]
    inner_right, inner_bottom = right - outer[0], bottom - outer[1]
    face = np.median(np.concatenate((gray[inner_top, inner_left:inner_right], gray[inner_bottom - 1, inner_left:inner_right])))
    line = np.abs(gray - face) >= BUTTON_CONTRAST

    def has_border(indices, along: slice, horizontal: bool) -> bool:
        """A line along the text in one of these rows (or columns); one along the top or bottom must
        also end, on both sides, within reach (a table's grid line runs on)."""
        for index in indices:
            strip = line[index] if horizontal else line[:, index]
            if strip[along].size and strip[along].mean() >= 0.8:
                if not horizontal:
                    return True
                ends_left = not strip[:along.start].all() if along.start else False
                ends_right = not strip[along.stop:].all() if along.stop < strip.size else False
                left_gap = np.flatnonzero(~strip[:along.start])
                right_gap = np.flatnonzero(~strip[along.stop:])
                return (ends_left and ends_right and left_gap.size > 0 and right_gap.size > 0
                        and left_gap[-1] > 0 and right_gap[0] < strip.size - along.stop - 1)
        return False

    span_x = slice(inner_left + (inner_right - inner_left) // 6, inner_right - (inner_right - inner_left) // 6)
    span_y = slice(inner_top + (inner_bottom - inner_top) // 6, inner_bottom - (inner_bottom - inner_top) // 6)
    return (has_border(range(inner_top - 2, -1, -1), span_x, True)
            and has_border(range(inner_bottom + 1, gray.shape[0]), span_x, True)
            and has_border(range(inner_left - 2, -1, -1), span_y, False)
            and has_border(range(inner_right + 1, gray.shape[1]), span_y, False))


def _small_text(image: Image.Image) -> bool:
    """Text too small for tesseract as it is (a terminal's or a dialog's): the strokes' edges run
    short. Measured as the 90th percentile of the vertical runs of edges: 5-6 pixels for xterm's
    and GTK's default fonts, 9-10 for 16-pixel page text."""
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    edges = np.zeros(gray.shape, dtype=bool)
    edges[:, 1:] = np.abs(np.diff(gray, axis=1)) >= EDGE_STEP
    changes = np.diff(np.pad(edges.T.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    lengths = np.nonzero(changes == -1)[1] - np.nonzero(changes == 1)[1]
    return lengths.size > 0 and float(np.percentile(lengths, 90)) <= SMALL_STROKES


def _without_solid_blocks(image: Image.Image) -> Image.Image:
    """Small text with solid blocks of colour painted over: a terminal's block cursor (or a filled
    icon) touching a line makes tesseract lose that line's words. Letters this small have no
    stroke 5 pixels wide and 9 tall."""
    pixels = np.array(image.convert("RGB"), dtype=np.int16)
    ground = np.median(np.concatenate((pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1])), axis=0)
    ink = (np.abs(pixels - ground).max(axis=2) > EDGE_STEP).astype(np.int32)
    height, width = 9, 5
    if ink.shape[0] < height or ink.shape[1] < width:
        return image
    total = np.pad(ink.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    windows = (total[height:, width:] - total[:-height, width:] - total[height:, :-width]
               + total[:-height, :-width]) == height * width
    if not windows.any():
        return image
    solid = np.zeros(ink.shape, dtype=bool)
    for row, column in zip(*np.nonzero(windows)):
        solid[row:row + height, column:column + width] = True
    pixels[solid] = ground
    return Image.fromarray(pixels.astype(np.uint8))


def _blank_row_near_middle(image: Image.Image) -> int | None:
    """A row with no ink across the whole block (between two lines), nearest its middle."""
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    blank = np.flatnonzero((np.abs(np.diff(gray, axis=1)) < EDGE_STEP).all(axis=1))
    height = gray.shape[0]
    inside = blank[(blank > height // 4) & (blank < height * 3 // 4)]
    return int(inside[np.argmin(np.abs(inside - height // 2))]) if inside.size else None


def _alone(image: Image.Image, block: tuple[int, int, int, int], box: tuple[int, int, int, int]) -> Image.Image:
    """``box`` of ``image`` with only ``block`` in it: the margin is painted in the block's own
    background, so a neighbouring block's text in it is not read twice. The block is taken a
    little wider (a letter's stem can touch a window's border, whose edge the blocks leave out),
    and a border line caught at its sides is painted over."""
    grown = (max(box[0], block[0] - 2), max(box[1], block[1] - 2), min(box[2], block[2] + 2), min(box[3], block[3] + 2))
    pixels = np.array(image.crop(grown).convert("RGB"), dtype=np.int16)
    ground = np.median(np.concatenate((pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1])), axis=0)
    differs = np.abs(pixels - ground).max(axis=2) > EDGE_STEP
    for column in (0, 1, -2, -1):  # a border line down the side is ink all the way, letters are not
        if differs[:, column].mean() > 0.8:
            pixels[:, column] = ground
    for row in (0, 1, -2, -1):
        if differs[row].mean() > 0.8:
            pixels[row] = ground
    canvas = Image.new("RGB", (box[2] - box[0], box[3] - box[1]), tuple(int(v) for v in ground))
    canvas.paste(Image.fromarray(pixels.astype(np.uint8)), (grown[0] - box[0], grown[1] - box[1]))
    return canvas


def _a_shape(height: float, text: str) -> bool:
    """One or two big characters alone: a drawn shape or an icon read as a letter ("A" for a
    triangle), not text."""
    return height >= SHAPE_HEIGHT and len(text.replace(" ", "")) <= 2


def _plausible(word: str, confidence: float) -> bool:
    """A word worth keeping: sure enough, and with a letter or digit in it (not "=)" or "|")."""
    return confidence >= WORD_CONFIDENCE and any(ch.isalnum() for ch in word)


def _share(jobs: list) -> tuple[list[int], list[int]]:
    """Split jobs between two readers by size (pixels read), biggest first; each list in order."""
    mine: list[int] = []
    theirs: list[int] = []
    load = [0, 0]
    for index in sorted(range(len(jobs)), key=lambda i: -jobs[i][0].size[0] * jobs[i][0].size[1] * jobs[i][2] ** 2):
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(index)
        load[side] += jobs[index][0].size[0] * jobs[index][0].size[1] * jobs[index][2] ** 2
    return sorted(mine), sorted(theirs)


class NoTextReader:
    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def read(self, image: Image.Image) -> ReadText:
        return ReadText(image_size=image.size)


def find_tessdata() -> str | None:
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_CANDIDATES]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eng.traineddata").is_file():
            return candidate
    return None


def create_text_reader() -> tuple[TextReader, str | None]:
    """A reader, and a message saying how to get text reading when it is not available."""
    install = (_("On Debian or Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-eng") if sys.platform.startswith(
        "linux") else _("Install Tesseract OCR with English language data."))
    tessdata = find_tessdata()
    if tessdata is None:
        reason = _("Text on screen cannot be read: Tesseract's language data was not found.") + " " + install
        return NoTextReader(reason), reason
    try:
        return TesseractReader(tessdata), None
    except Exception as error:  # tesserocr missing, or a broken installation
        reason = _("Text on screen cannot be read ({detail}).").format(detail=error) + " " + install
        return NoTextReader(reason), reason
