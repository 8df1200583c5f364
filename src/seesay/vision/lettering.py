"""Words written straight on a photo: a meme's caption, a poster's title, a greeting over a picture.

Tesseract finds no lines in such a picture: its page analysis binarises the whole photo at once,
and white letters on fur or sky fall apart with it (56-point bold "HAPPY BIRTHDAY GRANDMA" over
four of scikit-image's photos: nothing read, or "VANE CE, WAN"). Such lettering is nearly always
white or black, so the photo is looked at twice more, as two masks: what is nearly white, and what
is nearly black, each drawn black on white, read with tesseract's sparse-text analysis (the words
anywhere, in no order of a page). There the same words are read 0.95 sure. What the masks make of
the photo itself (a "4" in a shadow, "te" in a highlight, 0.7-0.95 sure) is short: a line is kept
when one of its words has ANCHOR_LETTERS letters or more read ANCHOR_SURE sure, and only its words
read WORD_SURE sure or more are kept.

Imported where text is read (it imports numpy); the tesseract object is the caller's.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from seesay.vision.buttons import around
from seesay.vision.ocr_types import TextLine

#: A pixel whose darkest channel is above this (0-255) is nearly white; whose brightest is below
#: DARK_BELOW, nearly black.
WHITE_ABOVE, DARK_BELOW = 225, 50
#: The masks are made of the photo at most this long a side (lettering is big: 56-point capitals
#: on a 1920-pixel photo are still 30 pixels tall at 1024; each mask takes tesseract about half as long).
MASK_SIDE = 1024
#: A line is kept when one of its words has at least ANCHOR_LETTERS letters and is read at least
#: ANCHOR_SURE sure (0-1); only its words read at least WORD_SURE sure are kept.
ANCHOR_LETTERS, ANCHOR_SURE, WORD_SURE = 3, 0.9, 0.7

Word = tuple[str, tuple[int, int, int, int], float]  # text, (left, top, right, bottom), how sure (0-1)


def read_lettering(image: Image.Image, tesserocr, api, second=None, helper=None) -> tuple[TextLine, ...]:
    """The lines written on ``image`` in white or black, top to bottom: the white mask read by
    ``api``, the black one at once by ``second`` on the ``helper`` thread where there is one."""
    (white, dark), scale = masks(image)
    if helper is None or second is None:
        found = [read_mask(api, tesserocr, mask) for mask in (white, dark)]
    else:
        later = helper.submit(read_mask, second, tesserocr, dark)
        found = [read_mask(api, tesserocr, white), later.result()]
    return tuple(sorted(one_each(line for lines in found for line in lines_in(lines, scale)),
                        key=lambda line: line.box[1::-1]))


def masks(image: Image.Image) -> tuple[list[Image.Image], float]:
    """The nearly white and the nearly black parts of ``image``, each as black on white, at most
    MASK_SIDE long, and how much larger ``image`` is than they are."""
    scale = max(1.0, max(image.size) / MASK_SIDE)
    if scale > 1:
        image = image.resize((max(1, round(image.width / scale)), max(1, round(image.height / scale))),
                             Image.BILINEAR)
    pixels = np.asarray(image.convert("RGB"))
    white = pixels.min(axis=2) > WHITE_ABOVE
    dark = pixels.max(axis=2) < DARK_BELOW
    return [Image.fromarray(np.where(mask, 0, 255).astype(np.uint8)) for mask in (white, dark)], scale


def lines_in(words_by_line: list[list[Word]], scale: float = 1.0) -> list[TextLine]:
    """The lines worth saying of what one mask gave: each line's words as tesseract grouped them,
    their boxes ``scale`` times as large (in the photo's pixels)."""
    lines = []
    for words in words_by_line:
        anchored = any(sure >= ANCHOR_SURE and sum(ch.isalpha() for ch in text) >= ANCHOR_LETTERS
                       for text, _box, sure in words)
        kept = [(text, box, sure) for text, box, sure in words
                if sure >= WORD_SURE and any(ch.isalnum() for ch in text)]
        if not anchored or not kept:
            continue
        lines.append(TextLine(text=" ".join(text for text, _box, _sure in kept),
                              box=tuple(round(value * scale) for value in around(kept)),
                              confidence=sum(sure for _t, _b, sure in kept) / len(kept)))
    return lines


def read_mask(api, tesserocr, mask: Image.Image) -> list[list[Word]]:
    """The words tesseract finds anywhere in ``mask`` (sparse text), line by line."""
    api.SetPageSegMode(tesserocr.PSM.SPARSE_TEXT)
    try:
        api.SetImage(mask)
        api.Recognize()
        by_line: list[list[Word]] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        for word in tesserocr.iterate_level(iterator, level):
            try:
                text = word.GetUTF8Text(level)
            except RuntimeError:  # a word with no text
                continue
            box = word.BoundingBox(level)
            if not text or box is None:
                continue
            if word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) or not by_line:
                by_line.append([])
            by_line[-1].append((text.strip(), box, word.Confidence(level) / 100.0))
        return by_line
    finally:
        api.SetPageSegMode(tesserocr.PSM.AUTO)


def apart_from(lines: list[TextLine], read: tuple[TextLine, ...] | list[TextLine]) -> list[TextLine]:
    """``lines`` whose middle is in none of ``read``'s boxes (a sign read already is not said twice)."""
    def inside(line: TextLine, other: TextLine) -> bool:
        x, y = line.box[0] + line.box[2] / 2, line.box[1] + line.box[3] / 2
        left, top, width, height = other.box
        return left <= x <= left + width and top <= y <= top + height

    return [line for line in lines if not any(inside(line, other) or inside(other, line) for other in read)]


def one_each(lines) -> list[TextLine]:
    """Each line once, the surest reading of it: a black outline round white letters is read in
    the black mask too."""
    kept: list[TextLine] = []
    for line in sorted(lines, key=lambda line: -line.confidence * len(line.text)):
        if apart_from([line], kept):
            kept.append(line)
    return kept
