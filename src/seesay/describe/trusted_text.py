"""Which lines the text reader found are surely text, for the layout: their cells are text, not
picture. Tesseract also reads "lines" in photos (a row of coins read as "6008 o@"); a line is
trusted when it is a line's height and read surely enough, or, less sure, stands on a plain
ground, as letters on a page do.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Lines taller than this (pixels) or less sure than this are not trusted to be text when
#: masking: tesseract reads junk "lines" in photos.
TEXT_LINE_MAX_HEIGHT = 90
TEXT_LINE_MIN_CONFIDENCE = 0.45
#: ...and a line read less surely than this is trusted only on a plain ground: at least PLAIN_SHARE
#: of its box within PLAIN_STEP (0-255) of its commonest colour (text on a page: 0.54-1.0; a photo's
#: texture read as "6008 o@", 0.55 sure across a row of coins: 0.25).
TEXT_LINE_SURE, PLAIN_SHARE, PLAIN_STEP = 0.75, 0.5, 16


def on_plain_ground(rgb: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Most of a line's box (left, top, width, height), and the margin of half a line round it, is
    one colour: letters on a page, not the reader's guess at a photo's texture."""
    left, top, box_width, box_height = box
    margin = max(2, box_height // 2)
    pixels = np.asarray(rgb.crop((max(0, left - margin), max(0, top - margin), left + box_width + margin,
                                  top + box_height + margin)), dtype=np.int16).reshape(-1, 3)
    if pixels.size == 0:
        return False
    near = np.abs(pixels - np.median(pixels, axis=0)).max(axis=1) <= PLAIN_STEP
    return float(near.mean()) >= PLAIN_SHARE


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
