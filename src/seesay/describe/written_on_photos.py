"""Words written straight on photos (``vision.lettering``: a meme's caption, a poster's title) put
among the lines read on the page: each where it stands, in place of a less sure reading of the
same words (white capitals on fur read as "E5145 OUOLO) NS")."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from seesay.vision.lettering import apart_from
from seesay.vision.ocr_types import ReadText, TextLine

#: A picture found in a screen at least this big a side (pixels) is read for words written on it.
LETTERING_SIDE = 160


def with_lettering(read: ReadText, written) -> ReadText:
    """``read`` with the words written straight on a photo (``vision.lettering``) that it lacks or
    read less surely (white capitals on fur read as "E5145 OUOLO) NS" give way to "SEE YOU SOON"),
    each before the first line below it in its column (else after the lines above it)."""
    lines = list(read.lines)
    for line in written:
        same = [other for other in lines if not apart_from([line], [other])]
        if any(other.confidence >= line.confidence for other in same):
            continue
        lines = [other for other in lines if other not in same]
        left, right = line.box[0], line.box[0] + line.box[2]
        column = [index for index, other in enumerate(lines)
                  if other.box[0] < right and left < other.box[0] + other.box[2]]
        below = [index for index in column if lines[index].box[1] > line.box[1]]
        above = [index for index in column if lines[index].box[1] <= line.box[1]]
        lines.insert(below[0] if below else (above[-1] + 1 if above else len(lines)), line)
    return replace(read, lines=tuple(lines)) if lines != list(read.lines) else read


def in_pictures(image: Image.Image, reader, regions) -> list[TextLine]:
    """The words written on ``regions``, pictures found in a screen (a meme in a chat, a poster's
    title in an article), in the screen's pixels."""
    found = []
    for region in regions:
        left, top = region.box[:2]
        if min(region.size) >= LETTERING_SIDE:
            found += [replace(line, box=(line.box[0] + left, line.box[1] + top, *line.box[2:]))
                      for line in reader.read_lettering(image.crop(region.box))]
    return found
