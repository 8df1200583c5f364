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

from PIL import Image

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
    """Used from the worker thread that made it. A page with a clean place to cut it in two
    (``page_split``) is read as two parts at once: the second part by a second tesseract on a
    helper thread (each tesserocr API object is used by one thread at a time)."""

    name = "tesseract"

    def __init__(self, tessdata: str, language: str = "eng", *, split: bool = True) -> None:
        # One OpenMP thread per tesseract: its default team of threads fights the model's for two
        # cores (measured: 575 ms a page by default, 180 ms with one thread). Read when the library loads.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr

        self._tesserocr = tesserocr
        self._tessdata, self._language, self._split = tessdata, language, split
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
        from seesay.vision.page_split import find_cut

        started = time.perf_counter()
        cut = find_cut(image) if self._split else None
        if cut is None:
            lines = self._read_part(self._api, image, (0, 0))
        else:
            (first, first_at), (second, second_at) = cut.parts(image)
            later = self._helper.submit(self._read_part, self._second, second, second_at)
            lines = self._read_part(self._api, first, first_at) + later.result()
        return ReadText(lines=tuple(lines), seconds=time.perf_counter() - started, image_size=image.size)

    def _read_part(self, api, image: Image.Image, offset: tuple[int, int]) -> list[TextLine]:
        tesserocr = self._tesserocr
        api.SetImage(image)
        api.Recognize()
        lines: list[TextLine] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.TEXTLINE
        for item in tesserocr.iterate_level(iterator, level) if iterator is not None else ():
            try:
                text = (item.GetUTF8Text(level) or "").strip()
                box = item.BoundingBox(level)
            except RuntimeError:  # tesserocr's way of saying "no text here"
                continue
            if not text or box is None:
                continue
            left, top, right, bottom = box
            lines.append(TextLine(text=" ".join(text.split()),
                                  box=(left + offset[0], top + offset[1], right - left, bottom - top),
                                  confidence=float(item.Confidence(level)) / 100.0))
        api.Clear()
        return lines


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
