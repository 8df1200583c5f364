"""What a button looks like on a screen: its label framed by a line that runs along it and ends
there (a table's grid line runs on into the next cell). A dialog's buttons are said as buttons,
after its message ("Buttons: No, Yes"), also when several stand in one row and are read as one
line of text ("Cancel  Resume")."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from seesay.core.mask_runs import runs_of
from seesay.vision.block_crops import commonest

#: A button's label is at most this big (pixels), its frame within this reach of the text (to the
#: sides, above and below), and the frame this much darker or lighter than the button's face.
BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_REACH, BUTTON_CONTRAST = 260, 40, (48, 14), 30
#: ...or this much, in a dark theme (Adwaita dark: a frame 26 darker than the face).
DARK_BUTTON_CONTRAST = 20
#: A frame's line has ended where the row differs this much from the line's own colour.
LINE_ENDS = 10
#: ...for at least this many pixels on end.
LINE_ENDED = 3
#: A button's face differs at most this much from the window round it (Qt's dark Fusion: 33).
FACE_TO_WINDOW = 40
#: A row or column of a button's box with less than this share of ink is blank.
STRAY_INK = 0.08
#: Row numbers stand at most this many of their heights apart, one under the next.
ROW_NUMBER_GAP = 3
#: A row of buttons has at most this many words.
BUTTON_WORDS = 6


def framed(image: Image.Image, box: tuple[int, int, int, int], contrast: int = BUTTON_CONTRAST,
           scale: float = 1) -> bool:
    """A block of text framed as a button is: on each of its four sides, a few pixels out, a
    line darker or lighter than the button's face runs along the text, and ends there (a table's
    grid line runs on into the next cell). ``scale``: ``image`` is a screen enlarged so many times,
    or one drawn so many times its usual size (``drawn_size``)."""
    width, height = image.size
    left, top, right, bottom = box
    spread = _spread(scale)
    contrast, ends = contrast * spread, LINE_ENDS * spread ** 2
    if right - left > scale * BUTTON_WIDTH or bottom - top > scale * BUTTON_HEIGHT:
        return False
    across, down = round(scale * (BUTTON_REACH[0] + 8)), round(scale * BUTTON_REACH[1])
    outer = (max(0, left - across), max(0, top - down), min(width, right + across), min(height, bottom + down))
    gray = np.asarray(image.crop(outer).convert("L"), dtype=np.int16)
    inner_left, inner_top = left - outer[0], top - outer[1]
    inner_right, inner_bottom = right - outer[0], bottom - outer[1]
    face = _face(gray[inner_top:inner_bottom, inner_left:inner_right])  # not its letters (a short word fills its box)
    line = np.abs(gray - face) >= contrast

    def has_border(indices, along: slice, horizontal: bool) -> bool:
        """A line along the text in one of these rows (or columns); one along the top or bottom must
        also end, on both sides, within reach (a table's grid line runs on)."""
        for index in indices:
            strip = line[index] if horizontal else line[:, index]
            if strip[along].size and strip[along].mean() >= 0.8:
                if not horizontal:
                    return True
                # where the line ends: not a line, or no longer the line's own colour (Qt's dark frame
                # is darker than the window round it, and both are darker than the button's face)
                row = gray[index]
                own = np.abs(row - np.median(row[along])) >= ends
                ended = ~strip | own
                return _ends(ended[:along.start][::-1]) and _ends(ended[along.stop:])
        return False

    span_x = slice(inner_left + (inner_right - inner_left) // 6, inner_right - (inner_right - inner_left) // 6)
    span_y = slice(inner_top + (inner_bottom - inner_top) // 6, inner_bottom - (inner_bottom - inner_top) // 6)
    return (has_border(range(inner_top - 2, -1, -1), span_x, True)
            and has_border(range(inner_bottom + 1, gray.shape[0]), span_x, True)
            and has_border(range(inner_left - 2, -1, -1), span_y, False)
            and has_border(range(inner_right + 1, gray.shape[1]), span_y, False))


def _spread(scale: float) -> float:
    """How much of a frame's contrast is left in each pixel of a screen drawn ``scale`` times its
    usual size, where that is not a whole number: a line of one pixel at 150% is a pixel and a
    half wide, shared between two pixels at three quarters of its contrast (GNOME's and a Mac's
    fractional scaling draw at 200% and reduce: Adwaita dark's frame, 26 darker than the face, is
    two pixels 19 darker). Where a frame meets a window of nearly its colour, both are shared so,
    and what tells them apart is left at about half (its square): Qt's dark frame, 12 darker than
    the window at 100%, is 6 darker at 150%."""
    return scale / math.ceil(scale) if scale > 1 else 1.0


def _ends(outward: np.ndarray) -> bool:
    """A line ends in this strip beside the text (``outward``: whether each pixel, from the text
    outward, is no longer the line): before the strip's far end, and for a few pixels on end (a
    JPEG's noise strays a pixel here and there from a grid line that runs on)."""
    return any(start < outward.size - 1 and (end - start >= LINE_ENDED or end == outward.size)
               for start, end in runs_of(outward))


def around(words) -> tuple[int, int, int, int]:
    """left, top, width, height round words placed in the picture."""
    left, top = min(b[0] for _w, b, _c in words), min(b[1] for _w, b, _c in words)
    return left, top, max(b[2] for _w, b, _c in words) - left, max(b[3] for _w, b, _c in words) - top


def find_buttons(image: Image.Image, words, scale: float = 1) -> list | None:
    """A line of a few words that is a row of buttons ("Cancel  Resume", each in its own frame):
    its words in groups, one per button, or None. Words a line's height or more apart are in
    different groups; every group must be framed as a button is. ``scale``: ``image`` is a screen
    enlarged so many times, or drawn so many times its usual size."""
    if not words or len(words) > BUTTON_WORDS:
        return None
    height = max(b[3] - b[1] for _w, b, _c in words)
    groups = [[words[0]]]
    for word in words[1:]:
        if word[1][0] - groups[-1][-1][1][2] >= height:
            groups.append([word])
        else:
            groups[-1].append(word)
    boxes = [_without_frame(image, around(group)) for group in groups]
    if not all(_on_a_window(image, box, scale) for box in boxes):
        return None
    for contrast in (BUTTON_CONTRAST, DARK_BUTTON_CONTRAST):
        if all(framed(image, box, contrast, scale) for box in boxes):
            return groups
    return None


def over_columns(lines: list) -> list:
    """``lines`` with any "button" that heads a column, or numbers a row, read as text again: a
    table's header sections are drawn as buttons are (Qt's dark Fusion theme), but a cell's text
    stands right below each, where a dialog's buttons have nothing of theirs."""
    from dataclasses import replace

    def heads_a_column(button) -> bool:
        left, top, width, height = button.box
        for line in lines:
            l_left, l_top, l_width, _h = line.box
            overlap = min(left + width, l_left + l_width) - max(left, l_left)
            if line.role != "button" and 0 <= l_top - (top + height) <= 2 * height and overlap >= min(width, l_width) / 3:
                return True
        return False

    def numbers_a_row(button) -> bool:
        """A table's row number (Qt and spreadsheets draw them as buttons are): a number with the
        row numbers above or below it and no button beside it (a keypad's keys stand in rows)."""
        if not _number(button.text):
            return False
        left, top, width, height = button.box
        stacked = beside = False
        for line in lines:
            if line is button:
                continue
            l_left, l_top, l_width, l_height = line.box
            across = min(left + width, l_left + l_width) - max(left, l_left) > 0
            gap = max(l_top - (top + height), top - (l_top + l_height))
            stacked |= across and _number(line.text) and 0 <= gap <= ROW_NUMBER_GAP * max(height, l_height)
            beside |= line.role == "button" and not across and min(top + height, l_top + l_height) > max(top, l_top)
        return stacked and not beside

    return [replace(line, role="text") if line.role == "button" and (heads_a_column(line) or numbers_a_row(line))
            else line for line in lines]


def _number(text: str) -> bool:
    return text.strip(".,:;)(").isdigit()


def _on_a_window(image: Image.Image, box: tuple[int, int, int, int], scale: float = 1) -> bool:
    """A button's face is about the colour of the window round it (a dialog's grey, a dark theme's
    dark); a link on a page's coloured navigation bar has the page's white just above and below."""
    left, top, right, bottom = box
    if bottom <= top or right <= left:
        return False
    reach = round(scale * BUTTON_REACH[1]) + 1
    above = max(0, top - reach)  # only the rows looked at are made grey, not the whole screen
    gray = np.asarray(image.crop((left, above, right, min(image.height, bottom + reach + 1))).convert("L"),
                      dtype=np.int16)
    face = _face(gray[top - above:bottom - above])
    outside = [gray[row - above] for row in (top - reach, bottom + reach) if 0 <= row < image.height]
    return bool(outside) and all(abs(float(np.median(row)) - face) < FACE_TO_WINDOW for row in outside)


def _without_frame(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """left, top, right, bottom of ``box`` (left, top, width, height) less any edge row or column
    that is blank or a line right along it (a button's face and frame taken in with its word)."""
    left, top, width, height = box
    right, bottom = left + width, top + height
    gray = np.asarray(image.crop((left, top, right, bottom)).convert("L"), dtype=np.int16)
    if gray.size == 0:
        return left, top, right, bottom
    line = np.abs(gray - _face(gray)) >= BUTTON_CONTRAST
    rows, columns = line.mean(axis=1), line.mean(axis=0)  # kept: rows with letters in them, not a frame
    # a JPEG's ringing leaves a pixel or two in the rows round the letters: those are blank too
    rows, columns = (rows > STRAY_INK) & (rows < 0.8), (columns > STRAY_INK) & (columns < 0.8)
    while rows.size > 2 and not rows[-1]:
        rows, bottom = rows[:-1], bottom - 1
    while rows.size > 2 and not rows[0]:
        rows, top = rows[1:], top + 1
    while columns.size > 2 and not columns[-1]:
        columns, right = columns[:-1], right - 1
    while columns.size > 2 and not columns[0]:
        columns, left = columns[1:], left + 1
    return left, top, right, bottom


def _face(gray: np.ndarray) -> float:
    """The colour of a button's face round its label: the commonest shade, not its letters (a
    median falls between them, for light letters on a dark bar)."""
    return float(commonest(gray.reshape(-1, 1))[0])
