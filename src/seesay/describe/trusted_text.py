"""Which lines the text reader found are surely text. Tesseract also reads "lines" in photos (a row
of coins read as "6008 o@", a cat's fur as "r me, x Ta 5 t"). For the layout, a line is trusted
when it is a line's height and read surely enough, or, less sure, stands on a plain ground, as
letters on a page do (its cells are then text, not picture). In a capture or a picture that is
one photo, a line is said only when read surely or on a ground as flat as a screen's or a
print's (``said_in_a_photo``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image

from seesay.vision.ocr_types import UNSURE, ReadText

#: Lines taller than this (pixels) or less sure than this are not trusted to be text when
#: masking: tesseract reads junk "lines" in photos.
TEXT_LINE_MAX_HEIGHT = 90
TEXT_LINE_MIN_CONFIDENCE = 0.45
#: ...and a line read less surely than this is trusted only on a plain ground: at least PLAIN_SHARE
#: of its box within PLAIN_STEP (0-255) of its commonest colour (text on a page: 0.54-1.0; a photo's
#: texture read as "6008 o@", 0.55 sure across a row of coins: 0.25).
TEXT_LINE_SURE, PLAIN_SHARE, PLAIN_STEP = 0.75, 0.5, 16
#: In a photo (a capture, or a picture given, that is one photo), a line read less surely than
#: PHOTO_SURE is said only on a flat ground: at least FLAT_SHARE of its box and margin within
#: FLAT_STEP of its commonest colour (a program's rows and a print's border: 0.76-0.96, measured on
#: xterm, GTK and Qt lists, a man page; a night sky, dusk, fur or coins read as letters: 0.0-0.40,
#: on nine real photos at three sizes). A line of fewer than PHOTO_LETTERS letters or digits is
#: never said there (a speck read as "A", 0.96 sure).
PHOTO_SURE, FLAT_STEP, FLAT_SHARE, PHOTO_LETTERS = 0.75, 2, 0.6, 2


def ground_share(rgb: Image.Image, box: tuple[int, int, int, int], step: int) -> float:
    """The share of a line's box (left, top, width, height), and of the margin of half a line round
    it, within ``step`` (0-255, every channel) of its commonest colour."""
    left, top, box_width, box_height = box
    margin = max(2, box_height // 2)
    pixels = np.asarray(rgb.crop((max(0, left - margin), max(0, top - margin), left + box_width + margin,
                                  top + box_height + margin)), dtype=np.int16).reshape(-1, 3)
    if pixels.size == 0:
        return 0.0
    return float((np.abs(pixels - np.median(pixels, axis=0)).max(axis=1) <= step).mean())


def on_plain_ground(rgb: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Most of a line's box is one colour: letters on a page, not the reader's guess at a photo's texture."""
    return ground_share(rgb, box, PLAIN_STEP) >= PLAIN_SHARE


def said_in_a_photo(rgb: Image.Image, read: ReadText) -> ReadText:
    """``read`` with the lines a photo's texture may have made moved to its unsure lines (shown,
    never said): in a photo, a line is said when it is read surely (a sign, a poster) or stands on
    a flat ground (a caption strip, a photo viewer's toolbar), and has two letters or more."""
    kept, guessed = [], []
    for line in read.lines:
        letters = sum(character.isalnum() for character in line.text)
        trusted = letters >= PHOTO_LETTERS and (
            line.confidence >= PHOTO_SURE or ground_share(rgb, line.box, FLAT_STEP) >= FLAT_SHARE)
        (kept if trusted else guessed).append(line)
    if not guessed:
        return read
    return replace(read, lines=tuple(kept), unsure=(*read.unsure, *(replace(line, role=UNSURE) for line in guessed)))


def trusted_lines(rgb: Image.Image, text_boxes) -> list[tuple[int, int, int, int]]:
    """The boxes of the lines read that are surely text (tesseract also reads "lines" in photos)."""
    return [box for box, confidence in text_boxes
            if box[3] <= TEXT_LINE_MAX_HEIGHT and confidence >= TEXT_LINE_MIN_CONFIDENCE
            and (confidence >= TEXT_LINE_SURE or on_plain_ground(rgb, box))]


def text_cells(trusted, cell: int, rows: int, columns: int) -> np.ndarray:
    """Cells under ``trusted`` lines' boxes (left, top, width, height)."""
    text = np.zeros((rows, columns), dtype=bool)
    for left, top, box_width, box_height in trusted:
        text[top // cell: -(-(top + box_height) // cell), left // cell: -(-(left + box_width) // cell)] = True
    return text
