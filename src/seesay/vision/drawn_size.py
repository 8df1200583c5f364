"""How many times its usual size an interface is drawn: a high-DPI screen at 200%, a Mac's Retina
screenshot, a desktop whose scale a person has turned up for their sight.

seesay's reading of a screen is measured in pixels made for an interface at 100%: an icon is
smaller than a picture region's smallest side, a button's frame is a pixel or two, a selected
row about a line high. At 200% an icon is the size of a thumbnail and was captioned ("Picture in
the centre: a blue square" for a dialog's question-mark icon), a button's frame was too thick to
be one, and icons beside a file's name were read as letters. So a screen drawn bigger is read,
and laid out, from a copy brought back to about 100%, and what was found placed on the capture.

How big is told by the height of its text read surely: at 100% the text of programs is 9-14
pixels high (tesseract's line boxes, the lowest quarter of its words: GTK, Qt, xterm) and that
of pages 12-18; at 200% 20-27. Big text alone says little (a page in a large font, a heading),
so the text must be big throughout: the lowest quarter of the words, and enough of them. At 150%
programs' text (15-21 pixels) is as high as a page's at 100%: the text does not tell it apart;
a capture gives the desktop's scale where it knows it (the reader's ``drawn_at``, from SCALED).
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from seesay.vision.ocr_types import TextLine

#: Lines read at least this surely (0-1) measure the text's height.
SURE = 0.6
#: At least this many words, on this many lines, read surely are needed to tell (a gallery's two
#: captions side by side are one line, as tall as both together where they stand a little apart).
FEWEST_WORDS, FEWEST_LINES = 8, 3
#: The height of the lowest quarter of the words (pixels) from which the interface is drawn
#: bigger than usual (programs at 100%: 9-14; pages: 12-18; at 200%: 20-27)...
LARGE_TEXT = 19
#: The usual height at 100% of a line with letters above and below the line ("Type", "bytes";
#: programs: 13-14, a terminal's small font 11-12): the factor is the height of the upper
#: quarter of the words over it, to the nearest half (GTK at 200%: 27 pixels, 2; Qt: 23, 2). Not
#: the middle: a line without them ("Name", "15:02") is a quarter lower, and a GTK list at 200%
#: holds both about equally, so the middle fell on either (1.5 or 2), and a button's frame at
#: 150% of its size is not a button's frame.
USUAL_TEXT = 13.0
#: A line taller than this many times the lowest quarter is no line of the text measured (two
#: lines read as one, a word read with an icon beside it), left out of the factor's measure.
TALLEST = 1.5
#: Never read from a copy reduced more than this many times: reduced three times, a page of
#: 28-point headings lost letters ("Kitchen lights" misread); twice, an interface at 300% is
#: still read as one at 150%.
MOST = 2.0
#: A desktop's scale (where the capture knows it) from which its programs are read brought back
#: to their usual size: 150% (Windows' usual choice for a laptop, GNOME's fractional scaling) and
#: up. At 150% a program's text is 15-21 pixels high, as a page's at 100%: the text alone cannot
#: tell. Not 125%: reduced by a fifth, a Qt table's grid was taken for frames (its name column,
#: "Letter to bank.docx", lost) and a dark list's selected row was missed; read as it is, its
#: buttons are said as text (tried on the 13 programs drawn at 200% and reduced to 125%).
SCALED = 1.5
#: How the copy is reduced: bicubic (Lanczos' ringing cost a page of 28-point headings a letter,
#: "kitchen lights"; a box's plain means made a dialog's icon a word, "JA").
RESAMPLE = Image.Resampling.BICUBIC


def at_usual_size(image: Image.Image, factor: float) -> Image.Image:
    """``image``, drawn ``factor`` times its usual size, brought back to it."""
    return image.resize((round(image.width / factor), round(image.height / factor)), RESAMPLE)


def interface_scale(lines: Sequence[TextLine]) -> float:
    """How many times its usual size the text in ``lines`` (read on a capture) is drawn: 1.0 for
    an interface at 100%, 1.5 to MOST for one drawn bigger, to the nearest half."""
    sure = [line for line in lines if line.confidence >= SURE]
    heights = sorted(height for line in sure for height in [line.box[3]] * len(line.text.split()))
    if len(heights) < FEWEST_WORDS or len(sure) < FEWEST_LINES:
        return 1.0
    low = heights[len(heights) // 4]
    if low < LARGE_TEXT:
        return 1.0
    heights = [height for height in heights if height <= TALLEST * low]
    return min(MOST, max(1.5, round(2 * heights[3 * len(heights) // 4] / USUAL_TEXT) / 2))
