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
from dataclasses import replace
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from PIL import Image

from seesay.core.i18n import _
from seesay.vision.block_crops import (HIGHLIGHT_LINES, SMALL_LINE, TINY_LINE, alone, ground_of, ink_on_paper,
                                       line_height, on_its_band, small_text, stands_out, without_solid_blocks)
from seesay.vision.buttons import around, find_buttons, framed, over_columns
from seesay.vision.drawn_size import MOST, SCALED, at_usual_size, interface_scale
from seesay.vision.glyph_grid import Cells, GlyphReader
from seesay.vision.line_kinds import (a_shape, a_shape_in_its_box, an_icon, kept_words, photo_texture,
                                      without_an_icon_first)
from seesay.vision.line_pieces import pieces
from seesay.vision.ocr_types import UNSURE, ReadText, TextLine
from seesay.vision.panes import apart
from seesay.vision.recognition_memo import RecognitionMemo, Word, key_of
from seesay.vision.text_rows import in_lists, rows
from seesay.vision.word_fixes import fixed_word, with_i_put_back

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tessdata",
    r"C:\Program Files\Tesseract-OCR\tessdata",
)


class TextReader(Protocol):
    name: str

    def read(self, image: Image.Image, drawn_at: float | None = None) -> ReadText: ...


class TesseractReader:
    """Used from the worker thread that made it. The screen is cut into text blocks first
    (``text_blocks``: tesseract reads a crop of one block far better than a whole screen), each
    block is read as one uniform block of text, enlarged when its lines are small, and the
    blocks are shared between two tesseracts, the second on a helper thread (each tesserocr API
    object is used by one thread at a time; tesserocr lets go of Python's lock while it reads).
    ``blocks=False`` reads the picture as one page with tesseract's own page analysis.
    ``inverted_lines``: let tesseract read each unsure line again inverted (light on dark); off by
    default when reading by blocks, which are redrawn dark on light first."""

    name = "tesseract"
    #: how many times its usual size the interface being read is drawn (``_read``)
    _scale = 1.0
    #: Said once when it reads English because the person's language data is missing (create_text_reader).
    spoken: str | None = None

    def __init__(self, tessdata: str, language: str = "eng", *, split: bool = True, blocks: bool = True,
                 inverted_lines: bool | None = None, glyphs: bool = True) -> None:
        # One OpenMP thread per tesseract: its default team of threads fights the model's for two
        # cores (measured: 575 ms a page by default, 180 ms with one thread). Read when the library loads.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr

        self._tesserocr = tesserocr
        self._tessdata, self._language, self._split, self._blocks = tessdata, language, split, blocks
        self._inverted = (not blocks) if inverted_lines is None else inverted_lines
        self._api = self._new_api()
        self._memo = RecognitionMemo()
        self._glyphs = GlyphReader(self._recognised_together) if glyphs else None
        self.recognitions = 0  # pieces tesseract recognised (not taken from the memo)
        self._second = self._helper = None
        if split:  # made now, with the first: a steady footprint, and no pause on the first text page
            from concurrent.futures import ThreadPoolExecutor

            self._second = self._new_api()
            self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seesay-ocr")

    def forget(self) -> None:
        """Forget what was read: the next look reads every piece anew (benchmarks of a first look)."""
        self._memo = RecognitionMemo()
        self._glyphs = GlyphReader(self._recognised_together) if self._glyphs is not None else None

    def _new_api(self):
        tesserocr = self._tesserocr
        api = tesserocr.PyTessBaseAPI(path=self._tessdata, lang=self._language, psm=tesserocr.PSM.AUTO)
        api.SetVariable("tessedit_do_invert", "1" if self._inverted else "0")
        return api

    def read(self, image: Image.Image, drawn_at: float | None = None) -> ReadText:
        """The text on ``image``. Minute text is read from a copy enlarged twice. An interface drawn
        bigger than usual (``drawn_size``: a high-DPI screen at 200%) is read again from a copy
        brought back to its usual size, its buttons' frames looked for on ``image``, where they are
        sharpest; what that copy gives is kept when it shows an interface's parts (a button, a
        selected row), and big text alone is read as it is. Either way ``drawn_at`` says how big.
        ``drawn_at`` given: the scale of the desktop ``image`` was captured on, where the capture
        knows it (1.5 at 150%: its text is then as tall as a page's at 100%, and only this tells);
        it is taken over the text's guess, so the copy at the usual size is read first, and the
        capture as it is only where that copy shows no interface."""
        from seesay.vision.text_blocks import find_text_blocks, minute_text

        started = time.perf_counter()
        blocks = find_text_blocks(image) if self._blocks else None
        if blocks and minute_text(blocks, image.size):
            bigger = image.resize((2 * image.width, 2 * image.height), Image.LANCZOS)
            read, _as_read = self._read(bigger, find_text_blocks(bigger), (bigger, 1.0), 2, started)
            return read.shrunk(2, image.size, time.perf_counter() - started)
        read = None
        if blocks is not None and drawn_at is not None and drawn_at >= SCALED:
            # the desktop's own scale over the text's guess (a dialog's big question at 150% is
            # drawn as tall as usual text at 200%: reduced twice, its "Do" was read "Sere 2")
            factor = min(MOST, drawn_at)
        else:
            read, as_read = self._read(image, blocks, (image, 1.0), 1, started)
            factor = interface_scale(as_read) if blocks is not None else 1.0
        if factor > 1:
            usual = at_usual_size(image, factor)
            at_usual, _as_read = self._read(usual, find_text_blocks(usual), (image, factor), factor, started)
            at_usual = at_usual.grown(factor, image.size, time.perf_counter() - started)
            # a page of big text alone (large print, a magnified page: no button, no selected row)
            # is read at its own size, where its accents are sharpest ("Sí" was read "Si" reduced)
            if any(line.role in ("button", "selected") for line in at_usual.lines):
                return at_usual
            if read is None:
                read, _as_read = self._read(image, blocks, (image, 1.0), 1, started)
            return replace(read, drawn_at=factor, seconds=time.perf_counter() - started)
        return read

    def _read(self, image: Image.Image, blocks, frames: tuple[Image.Image, float], scale: float,
              started: float) -> tuple[ReadText, list[TextLine]]:
        """The text on ``image`` (``blocks``: its text blocks, None to read it as a page), and its
        lines as each block was read, before a row's cells are joined (what ``drawn_size`` measures:
        joined, a gallery's captions side by side are one line as tall as both). ``frames``: where
        buttons' frames are looked for, and how many times bigger than ``image`` it is; ``scale``:
        how many times its usual size the interface is drawn there."""
        # read only, by both threads
        self._source, self._frames, self._scale = image, frames, scale
        jobs = self._block_jobs(image, blocks) if blocks is not None else self._page_jobs(image)
        # a terminal's cells first, on this thread (it gives the helper half of its lines itself, and
        # what it learns is touched by one thread only)
        done = {i: self._read_part(self._api, *job) for i, job in enumerate(jobs) if isinstance(job[3], Cells)}
        rest = [i for i in range(len(jobs)) if i not in done]
        if self._helper is None or len(rest) < 2:
            done.update({i: self._read_part(self._api, *jobs[i]) for i in rest})
        else:  # the larger share of the work here, the rest on the helper, in reading order afterwards
            mine, theirs = _share([jobs[i] for i in rest])
            later = self._helper.submit(lambda: {rest[i]: self._read_part(self._second, *jobs[rest[i]]) for i in theirs})
            done.update({rest[i]: self._read_part(self._api, *jobs[rest[i]]) for i in mine})
            done.update(later.result())
        read = over_columns([line for i in range(len(jobs)) for line in done[i]])
        lines = in_lists(rows(read, lambda first, second: apart(image, first, second)))
        return (ReadText(lines=tuple(line for line in lines if line.role != UNSURE), seconds=time.perf_counter() - started,
                         image_size=image.size, unsure=tuple(line for line in lines if line.role == UNSURE)),
                read)

    def read_lettering(self, image: Image.Image) -> tuple[TextLine, ...]:
        """Words written straight on a photo in white or black (``vision.lettering``), top to bottom."""
        from seesay.vision.lettering import read_lettering

        return read_lettering(image, self._tesserocr, self._api, self._second, self._helper)

    def _page_jobs(self, image: Image.Image) -> list:
        from seesay.vision.page_split import find_cut

        cut = find_cut(image) if self._split else None
        whole = self._tesserocr.PSM.AUTO
        return [(image, (0, 0), 1, whole)] if cut is None else [(part, at, 1, whole) for part, at in cut.parts(image)]

    def _block_jobs(self, image: Image.Image, blocks: list) -> list:
        """(crop, its offset, enlargement, page mode) for each of ``blocks`` in reading order; a big
        block is cut between its lines into pieces (``line_pieces``), so both tesseracts have work
        and a piece that did not change since the last look is not read again."""
        jobs = []
        width, height = image.size
        for block in blocks:
            pad = max(BLOCK_MARGIN, block.line_height // 2)  # tesseract needs a margin of page round the text
            box = (max(0, block.box[0] - pad), max(0, block.box[1] - pad),
                   min(width, block.box[2] + pad), min(height, block.box[3] + pad))
            ground = ground_of(image, block.box)
            crop, bands = ink_on_paper(alone(image, block.box, box, ground), ground, image.crop(box))
            if a_shape_in_its_box(crop, (block.box[0] - box[0], block.box[1] - box[1],
                                         block.box[2] - box[0], block.box[3] - box[1])):
                continue  # a disc or a drawn shape filling its box: its corners read as "baad", "k d"
            bands = [band for band in bands if band[1] - band[0] <= HIGHLIGHT_LINES * block.line_height]
            measured = line_height(crop)
            small = 0 < min(block.line_height, measured or block.line_height) <= SMALL_LINE
            scale = 2 if small and (small_text(crop) or 0 < measured <= TINY_LINE) else 1
            if scale > 1:
                crop = without_solid_blocks(crop)
            big = crop.size[0] * crop.size[1] * scale * scale > SPLIT_PIXELS
            cells = self._glyphs.cells(crop) if self._glyphs is not None and big else None
            parts = ([(piece, (0, top)) for piece, top in pieces(crop, bands)] if self._split and big and not cells
                     else [(crop, (0, 0))])
            mode = cells or self._tesserocr.PSM.SINGLE_BLOCK  # a terminal's grid of cells: glyph_grid
            role = ("button" if self._framed(block.box) else
                    "selected" if stands_out(image, block.box, ground, block.line_height, measured) else "text")
            selected = tuple((box[1] + top, box[1] + bottom) for top, bottom in bands) if len(bands) == 1 else ()
            jobs += [(part, (box[0] + at[0], box[1] + at[1]), scale, mode, role, selected) for part, at in parts]
        return jobs

    def _read_part(self, api, image: Image.Image, offset: tuple[int, int], scale: int = 1,
                   mode=None, role: str = "text", selected: tuple = ()) -> list[TextLine]:
        """The lines of ``image`` (placed at ``offset`` in the picture), each built from its words:
        words tesseract is unsure of (the outline of an icon read as letters) are left out. Lines
        whose middle is in a ``selected`` band (top, bottom in the picture) are selected."""
        cells = mode if isinstance(mode, Cells) else None
        if scale > 1 and cells is None:
            image = image.convert("L").resize((image.width * scale, image.height * scale), Image.BICUBIC)
        height = image.height * (scale if cells is not None else 1)
        lines: list[TextLine] = []
        words: list[tuple[str, tuple[int, int, int, int], float]] = []

        def close_line() -> None:
            words[:] = kept_words(with_i_put_back(without_an_icon_first(words)))
            if words:
                top = min(b[1] for _w, b, _c in words)
                bottom = max(b[3] for _w, b, _c in words)
                text = " ".join(w for w, _b, _c in words)
                sure = sum(c for _w, _b, c in words) / len(words)
                tall = (bottom - top) / scale  # the line's height in the picture
                if not a_shape(tall, text, self._source.height):
                    middle = offset[1] + (top + bottom) // (2 * scale)
                    said = "selected" if any(a <= middle < b for a, b in selected) and role == "text" else role
                    if an_icon(text, sure, (bottom - top) / height) or photo_texture(text, sure, tall):
                        said = UNSURE  # kept for the details, never spoken
                    placed = [(w, _placed(b, offset, scale), c) for w, b, c in words]
                    if said == "selected":
                        placed = on_its_band(self._source, placed)
                    buttons = self._buttons(placed) if said == "text" else None
                    for group in buttons or [placed]:
                        lines.append(TextLine(text=" ".join(w for w, _b, _c in group), box=around(group),
                                              confidence=sum(c for _w, _b, c in group) / len(group),
                                              role="button" if buttons else said))
                words.clear()

        recognised = (self._glyphs.read(api, image, scale, self._tesserocr.PSM.SINGLE_BLOCK, cells) if cells
                      else self._recognised(api, image, mode))
        for starts_line, text, box, confidence in recognised:
            if starts_line:
                close_line()
            if text and box is not None and (any(ch.isalnum() for ch in text) or text == "|" and cells is None):
                words.append((text, box, confidence))
        close_line()
        return lines

    def _framed(self, box: tuple[int, int, int, int]) -> bool:
        picture, bigger = self._frames
        return framed(picture, _times(box, bigger), scale=self._scale)

    def _buttons(self, words: list) -> list | None:
        """``find_buttons`` for ``words`` placed in the picture read, their frames looked for in ``_frames``."""
        picture, bigger = self._frames
        groups = find_buttons(picture, [(word, _times(box, bigger), sure) for word, box, sure in words], self._scale)
        if groups is None:
            return None
        ends = list(accumulate(len(group) for group in groups))
        return [words[end - len(group):end] for group, end in zip(groups, ends)]

    def _recognised_together(self, api, images: list, mode) -> list[tuple[Word, ...]]:
        """``_recognised`` for each of ``images``, every other one on the helper's tesseract when
        this is the first tesseract's thread (the helper never waits for this one, so it cannot
        wait for itself)."""
        if api is not self._api or self._helper is None or len(images) < 2:
            return [self._recognised(api, image, mode) for image in images]
        later = self._helper.submit(lambda: [self._recognised(self._second, image, mode) for image in images[1::2]])
        mine = [self._recognised(api, image, mode) for image in images[0::2]]
        theirs = later.result()
        return [mine[i // 2] if i % 2 == 0 else theirs[i // 2] for i in range(len(images))]

    def _recognised(self, api, image: Image.Image, mode) -> tuple[Word, ...]:
        """tesseract's words in ``image`` as read (already enlarged), from the memo when these very
        pixels were read the same way before."""
        tesserocr = self._tesserocr
        mode = mode if mode is not None else tesserocr.PSM.AUTO
        key = key_of(image, int(mode), self._language, self._inverted)
        known = self._memo.get(key)
        if known is not None:
            return known
        api.SetPageSegMode(mode)
        api.SetImage(image)
        api.Recognize()
        self.recognitions += 1
        words: list[Word] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        for item in tesserocr.iterate_level(iterator, level) if iterator is not None else ():
            try:
                starts_line = item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE)
                text = fixed_word((item.GetUTF8Text(level) or "").strip())
                box = item.BoundingBox(level)
                confidence = float(item.Confidence(level)) / 100.0
            except RuntimeError:  # tesserocr's way of saying "no text here"
                continue
            words.append((starts_line, text, None if box is None else tuple(box), confidence))
        api.Clear()
        self._memo.put(key, tuple(words))
        return tuple(words)


#: Blocks are read with this much page (pixels) around them, or half a line if more.
BLOCK_MARGIN = 6
#: A block bigger than this (pixels, as read) is cut between its lines and read by both tesseracts.
SPLIT_PIXELS = 250_000


def _times(box: tuple[int, ...], factor: float) -> tuple[int, ...]:
    """``box`` in a picture ``factor`` times as big."""
    return box if factor == 1 else tuple(round(value * factor) for value in box)


def _placed(box: tuple[int, int, int, int], offset: tuple[int, int], scale: int) -> tuple[int, int, int, int]:
    """A word's box (left, top, right, bottom in a crop read ``scale`` times enlarged) in the picture."""
    return (offset[0] + box[0] // scale, offset[1] + box[1] // scale,
            offset[0] - (-box[2] // scale), offset[1] - (-box[3] // scale))


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
    """``reason``: why, with how to install (a command line); ``spoken``: the same in words."""
    name = "none"

    def __init__(self, reason: str, spoken: str | None = None) -> None:
        self.reason = reason
        self.spoken = spoken

    def read(self, image: Image.Image, drawn_at: float | None = None) -> ReadText:
        return ReadText(image_size=image.size)


def find_tessdata(languages: tuple[str, ...] = ("eng",)) -> str | None:
    """The first folder of Tesseract's language data that has all of ``languages``, else the first
    that has English (TESSDATA_PREFIX first, then where the systems put it)."""
    candidates = [candidate for candidate in (os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_CANDIDATES)
                  if candidate and (Path(candidate) / "eng.traineddata").is_file()]
    complete = (c for c in candidates if all((Path(c) / f"{data}.traineddata").is_file() for data in languages))
    return next(complete, candidates[0] if candidates else None)


def create_text_reader(language: str = "auto") -> tuple[TextReader, str | None]:
    """A reader for text in the ``language`` setting's language ("auto": the system's) and English,
    and a message when text cannot be read, or is read as English because that language's data is
    missing (the reader's ``spoken`` says it in words)."""
    from seesay.vision.ocr_languages import text_languages, wanted_data

    install = (_("On Debian or Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-eng") if sys.platform.startswith(
        "linux") else _("Install Tesseract OCR with English language data."))
    said = _("Install Tesseract OCR with English language data; the window shows how.")
    tessdata = find_tessdata(wanted_data(language))
    if tessdata is None:
        why = _("Text on screen cannot be read: Tesseract's language data was not found.")
        return NoTextReader(why + " " + install, why + " " + said), why + " " + install
    languages = text_languages(language, tessdata)
    try:
        reader = TesseractReader(tessdata, languages.used)
    except Exception as error:  # tesserocr missing, or a broken installation
        why = _("Text on screen cannot be read ({detail}).").format(detail=error)
        return NoTextReader(why + " " + install, why + " " + said), why + " " + install
    notice = languages.notice()
    if notice is None:
        return reader, None
    reader.spoken = notice[1]
    return reader, notice[0]
