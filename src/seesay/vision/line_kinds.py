"""What a line tesseract read is: text to say, an icon read as letters, or a drawn shape.

Tesseract reads everything as letters: a window's close button as "(6)", a toolbar's picture as
"E", the corners round a disc as "baad", photo texture as unsure "words". These judge each line
and word by its size, how sure tesseract was and what it is made of (``vision/ocr.py`` uses them
on every line it builds).
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

#: A line of one or two characters at least this tall (pixels), or this share of the picture's
#: height, is a shape or an icon.
SHAPE_HEIGHT, SHAPE_SHARE = 40, 0.25
#: A line of at most this many letters read less surely than this, or less than this share of
#: the height read and less surely than SURE (a table cell's "3" is read 0.96 sure), is an icon.
ICON_LETTERS, ICON_CONFIDENCE, ICON_SHARE, SURE = 3, 0.6, 0.25, 0.9
#: A word less sure than this is left out (tesseract reads icons and photo texture as "words"),
#: unless a word of its line is at least SURE_WORD sure.
WORD_CONFIDENCE, SURE_WORD = 0.15, 0.5
#: A word read less surely than SURE_WORD and this many times as tall as the sure words of its
#: line (their median) is a picture beside them (words of one line differ by up to 1.4 times).
TALLER_THAN_ITS_LINE = 1.6
#: A character alone on a line shorter than this (pixels) is a mark, not a letter (the smallest
#: interface fonts' letters are 8 pixels tall).
MARK_HEIGHT = 8
#: A line at least this tall (pixels) read less surely than this, with less than this share of it in
#: words (letters alone, or a number), is a photo's texture read as signs, digits and letters mixed
#: ("©0094 8" and "ee0ee@a@" across rows of coins, 61-65 pixels, 0.46-0.54 sure); a heading that
#: tall is read 0.87-0.96 sure (DejaVu and Nimbus, 32-60 points).
TEXTURE_HEIGHT, TEXTURE_CONFIDENCE, TEXTURE_WORDS = 40, 0.75, 0.6
#: A word: letters (with an apostrophe or hyphen inside), or a number (a price, a time, a date),
#: before any stop.
WORD = re.compile(r"^[(\"'“‘]?(?:[^\W\d_]+(?:['’-][^\W\d_]+)*|[$€£]?\d+(?:[.,:/-]\d+)*%?)[.,:;!?)\"'”’]*$")
#: A letter alone at a line's start, further than this share of its height from the next word,
#: is an icon beside a name (a file chooser's page icons read "B", 0.7-0.8 of their height before
#: each file's name; words stand 0.3-0.45 of their height apart)...
ICON_GAP = 0.6
#: ...unless it is a word of one letter.
ONE_LETTER_WORDS = frozenset("IAa")
#: A block is one shape filling its box when less than this share of its box's middle (half its
#: width and height) is ink.
EMPTY_MIDDLE = 0.05


#: A command's option: one or two hyphens and a letter, then letters, digits or hyphens ("-n,", "--dry-run").
OPTION = re.compile(r"^--?[A-Za-z][A-Za-z0-9-]*,?$")



def a_shape(height: float, text: str, picture_height: int = 0) -> bool:
    """One or two big characters alone: a drawn shape or an icon read as a letter ("A" for a
    triangle), not text. Big: SHAPE_HEIGHT pixels, or a quarter of a small picture's height (a
    thumbnail's triangle is 39 pixels tall)."""
    big = height >= SHAPE_HEIGHT or (picture_height > 0 and height >= SHAPE_SHARE * picture_height)
    return big and len(text.replace(" ", "")) <= 2


def a_mark(height: float, text: str) -> bool:
    """One character alone, shorter than any letter on a screen is: the rounded corner of a photo
    or a message bubble read as "r" (5-7 pixels tall, 0.83-0.9 sure)."""
    return height < MARK_HEIGHT and len(text.replace(" ", "")) == 1


def an_icon(text: str, confidence: float, share: float) -> bool:
    """A line of at most three letters that tesseract is unsure of, or that is a small part of the
    height of what was read (``share``): an icon (a window's close button, a toolbar's picture) or
    a part of a drawing read as letters ("E", "Bak", "rN" in a circle), or letters with signs ("(6)"
    for a window's close button), unless read surely. Short words of real text
    ("OK", a table's "14") are read surely, and fill their block."""
    if sum(ch.isalnum() for ch in text) > ICON_LETTERS:
        return False
    if OPTION.match(text):  # a command's option ("-n,") in a terminal or a man page, read unsure
        return False
    small_part = share < ICON_SHARE and not text.isdigit()
    word = text.lstrip("-").rstrip(".,:;!?")  # an option ("-n") or a word before a stop is no sign
    return confidence < ICON_CONFIDENCE or confidence < SURE and (small_part or not word.isalnum())


def photo_texture(text: str, confidence: float, height: float) -> bool:
    """A tall line read unsurely, mostly of signs and digits: what tesseract makes of the objects in
    a photo (never said; a price or a year big and clear is read surely)."""
    if height < TEXTURE_HEIGHT or confidence >= TEXTURE_CONFIDENCE:
        return False
    words = text.split()
    in_words = sum(len(word) for word in words if WORD.match(word)) / max(1, sum(len(word) for word in words))
    return in_words < TEXTURE_WORDS


def a_shape_in_its_box(crop: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether a "block" is one shape filling its box: its colour was taken for the page, so what
    is left in all four corners of the box (the background around a disc, say) became ink. A
    block of text has page in at least one corner (its box is tight round its letters)."""
    grey = crop.convert("L").crop(box)
    inked = grey.point(lambda value: 255 if value < 128 else 0).getbbox()  # the box tight round the ink
    if inked is None:
        return False
    left, top, right, bottom = inked
    side = max(2, min(right - left, bottom - top) // 16)  # a disc leaves a wedge a seventh of it deep
    if right - left < 4 * side or bottom - top < 4 * side:
        return False
    corners = ((left, top), (right - side, top), (left, bottom - side), (right - side, bottom - side))
    for x, y in corners:
        patch = grey.crop((x, y, x + side, y + side))
        dark = sum(count for value, count in enumerate(patch.histogram()) if value < 128)
        if dark < 0.6 * side * side:
            return False
    # ...and the middle of the box is the shape itself, with no ink: a word's box has stems in its
    # corners too ("Build failed": B's and d's), but its letters' strokes cross its middle
    ink = np.asarray(grey.crop(inked)) < 128
    height, width = ink.shape
    return ink[height // 4: -(-3 * height // 4), width // 4: -(-3 * width // 4)].mean() < EMPTY_MIDDLE


def kept_words(words: list) -> list:
    """The words of a line worth keeping: sure enough, or, on a line with a sure word, mostly
    letters and digits (a terminal's "stone-letter.txt", a file chooser's "14 bytes" beside "Text"
    are read right but 0.0 sure; photo texture read as "words" is unsure all along its line)."""
    sure_heights = [box[3] - box[1] for _w, box, c in words if c >= SURE_WORD]
    tallest = TALLER_THAN_ITS_LINE * float(np.median(sure_heights)) if sure_heights else float("inf")
    # an unsure "word" much taller than the sure ones beside it is a picture (a dialog's icon: "Jo")
    return [word for word in words if (word[2] >= WORD_CONFIDENCE or sure_heights and _mostly_letters(word[0]))
            and (word[2] >= SURE_WORD or word[1][3] - word[1][1] <= tallest)]


def without_an_icon_first(words: list) -> list:
    """``words`` (text, box, confidence) less a first letter standing apart from the next word as
    an icon beside a name does (ICON_GAP), or one or two letters read unsurely before words read
    surely (Qt's bold row number beside its selected row, read "za" 0.58 sure before "Letter to
    bank.docx", 0.91-0.96). The name must be more than an icon's few letters itself (what is left
    of "e 4" would no longer be judged an icon)."""
    if len(words) < 2 or sum(ch.isalnum() for word in words[1:] for ch in word[0]) <= ICON_LETTERS:
        return words
    (text, box, sure), following = words[0], words[1][1]
    if not text.isalpha() or text in ONE_LETTER_WORDS:
        return words
    apart = len(text) == 1 and following[0] - box[2] >= ICON_GAP * (box[3] - box[1])
    rest_sure = sum(c for _w, _b, c in words[1:]) / (len(words) - 1)
    unsure = len(text) <= 2 and sure < ICON_CONFIDENCE and rest_sure >= SURE
    return words[1:] if apart or unsure else words


def _mostly_letters(word: str) -> bool:
    return sum(ch.isalnum() for ch in word) >= 0.6 * len(word)
