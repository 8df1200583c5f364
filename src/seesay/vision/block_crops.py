"""Each text block as tesseract reads it best: cut out alone, on its own ground, as dark ink on
light paper, enlarged when its text is small; 

Tesseract reads dark text on a light page. Real screens are not that: dark themes, a list's
selected row (white on blue), grey column headers. So each block's ground is found (the colour
most of the block is), and the crop is redrawn as distance from that ground: the text, whatever
its colour, becomes dark ink on white.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from seesay.core.mask_runs import runs_of
from seesay.vision.text_blocks import EDGE_STEP

#: Text whose lines are at most this high (pixels) and whose strokes' edges run this short (see
#: ``small_text``) is read enlarged twice; big text never is.
SMALL_LINE, SMALL_STROKES = 20, 7
#: Lines of ink at most this high (pixels) are small text whatever their strokes (a table cell's
#: digits between grid lines, whose long edges hide the strokes' measure).
TINY_LINE = 12
#: A selected row: a band at most this many lines high, at least this many pixels, whose colour
#: is this far (0-255, in some channel) from the ground around it (zebra stripes are 10-20 apart).
HIGHLIGHT_LINES, HIGHLIGHT_MIN_ROWS, HIGHLIGHT_CONTRAST = 2.6, 8, 45
#: Rows (pixels) next to a band's edge that may hold a blend of both sides' colours (a JPEG's
#: colour is kept at half resolution, and rings round edges).
EDGE_BLUR = 2
#: A block's ground is found from about this many of its pixels.
GROUND_SAMPLES = 40_000
#: How much each of red, green and blue counts in brightness.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
#: A row of pixels this much of one colour has that colour as its ground (a selected row's blue
#: behind its light text; the middle row of bold black letters is less than this).
BAND_SHARE = 0.6
#: ...counting the pixels this close (0-255, every channel) to that colour as of it.
BAND_SPREAD = 12
#: ...and rows between two rows of a band, at most this many, whose commonest colour is the band's.
BAND_GAP = 40
#: The commonest colour is looked for round this many of the fullest colour bins.
FULLEST_BINS = 4
#: A block's paper whose brightness changes by this much across it (0-255) is in uneven light...
UNEVEN_LIGHT = 40
#: ...found on a copy reduced this many times, letters taken out in windows this wide (odd), and
#: changing smoothly: by at most this much (0-255) from one pixel of that copy to the next.
LIGHT_REDUCE, LIGHT_WINDOW, LIGHT_STEP = 3, 5, 30


def small_text(image: Image.Image) -> bool:
    """Text too small for tesseract as it is (a terminal's or a dialog's): the strokes' edges run
    short. Measured as the 90th percentile of the vertical runs of edges: 5-6 pixels for xterm's
    and GTK's default fonts, 9-10 for 16-pixel page text."""
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    edges = np.zeros(gray.shape, dtype=bool)
    edges[:, 1:] = np.abs(np.diff(gray, axis=1)) >= EDGE_STEP
    lengths = _run_lengths(edges.T)
    return lengths.size > 0 and float(np.percentile(lengths, 90)) <= SMALL_STROKES


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """The length of every run of True along the rows of ``mask``."""
    changes = np.diff(np.pad(mask.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    return np.nonzero(changes == -1)[1] - np.nonzero(changes == 1)[1]  # row-major: n-th start, n-th end


def without_solid_blocks(image: Image.Image) -> Image.Image:
    """Small text with solid blocks of colour painted over: a terminal's block cursor (or a filled
    icon) touching a line makes tesseract lose that line's words. Letters this small have no
    stroke 5 pixels wide and 9 tall, nor more than twice as wide as their usual stroke: a bold
    heading's stems are 4-5 pixels wide (22-point bold), and are letters."""
    grey = image.mode == "L"  # a block redrawn as ink on paper: one channel is enough, and quicker
    pixels = np.array(image if grey else image.convert("RGB"), dtype=np.int16)
    ground = np.median(np.concatenate((pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1])), axis=0)
    apart = np.abs(pixels - ground)
    ink = ((apart if grey else apart.max(axis=2)) > EDGE_STEP).astype(np.int32)
    height, width = 9, max(5, 2 * _stroke_width(ink) + 1)
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
    return Image.fromarray(pixels.astype(np.uint8), "L" if grey else "RGB")


def _stroke_width(ink: np.ndarray) -> int:
    """The usual width of the strokes in ``ink`` (0 or 1 per pixel): the median run of ink along
    every third row."""
    lengths = _run_lengths(ink[::3])
    return int(np.median(lengths)) if lengths.size else 1


def line_height(paper: Image.Image) -> int:
    """The usual height of the lines of ink on ``paper`` (dark on white), leaving out upright bars
    that run its whole height (a table's grid, a row header's box), which hide the lines' gaps."""
    ink = np.asarray(paper, dtype=np.uint8) < 128
    inked = np.flatnonzero(ink.any(axis=1))
    if inked.size == 0:
        return 0
    ink = ink[inked[0]:inked[-1] + 1]
    ink = ink[:, ink.mean(axis=0) <= 0.8]
    heights = [end - start for start, end in runs_of(ink.any(axis=1))]
    return int(np.median(heights)) if heights else 0


def _binned(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's colour bin, a 32nd of each channel's range wide."""
    return (pixels[..., 0] >> 3) << 10 | (pixels[..., 1] >> 3) << 5 | pixels[..., 2] >> 3


def ground_of(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The colour most of ``box`` is: a text block's background (text is a small share of its
    block), found as the fullest bin of colours, averaged."""
    pixels = np.asarray(image.crop(box).convert("RGB"))
    step = max(1, int((pixels.shape[0] * pixels.shape[1] / GROUND_SAMPLES) ** 0.5))  # a sample does
    pixels = pixels[::step, ::step].astype(np.int32).reshape(-1, 3)
    if pixels.size == 0:
        return (255, 255, 255)
    return tuple(int(v) for v in commonest(pixels).round())


def stands_out(image: Image.Image, block: tuple[int, int, int, int], ground: tuple[int, int, int],
               line_height: int, measured: int) -> bool:
    """``block`` is a band of its own colour, about a line high, on a different ground: a list's
    selected row (or its cells), a highlighted menu item. A button's face or a dark theme's panel
    is near the colour around it; a coloured bar of a page is taller than its line. ``measured``:
    its text's height on its crop (a shape's "line" fills its band of colour; a file chooser's
    selected row reaches 5 pixels past its text)."""
    left, top, right, bottom = block
    if line_height <= 0 or bottom - top > HIGHLIGHT_LINES * line_height:
        return False
    reach = int(HIGHLIGHT_LINES * line_height) - (bottom - top) + 2  # the band may reach past the text this far
    outer = (left, max(0, top - reach - 3), right, min(image.height, bottom + reach + 3))
    pixels = np.asarray(image.crop(outer).convert("RGB"), dtype=np.int32)
    middles = np.median(pixels, axis=1)  # each row's colour
    ground_rows = np.abs(middles - np.array(ground)).max(axis=1) < HIGHLIGHT_CONTRAST / 2  # a JPEG strays this far
    inside_top, inside_bottom = top - outer[1], bottom - outer[1]
    above = inside_top - 1
    while above >= 0 and ground_rows[above]:  # up to where the band ends (a file chooser's row: 5 pixels)
        above -= 1
    below = inside_bottom
    while below < len(ground_rows) and ground_rows[below]:
        below += 1
    band = below - above - 1
    if above < 0 or below >= len(ground_rows) or band > HIGHLIGHT_LINES * line_height or measured > 0.8 * band:
        return False
    # the list's own ground above and below it (a window's title bar has the desktop above it), a
    # row past the band's edge (a JPEG blurs colour into the rows by an edge, and strays over a few
    # levels: their middle colour, not the fullest bin of colours)
    over = np.median(pixels[max(0, above - EDGE_BLUR - 3):max(1, above - EDGE_BLUR + 1)].reshape(-1, 3), axis=0)
    under = np.median(pixels[min(below + EDGE_BLUR, len(pixels) - 1):below + EDGE_BLUR + 4].reshape(-1, 3), axis=0)
    return (float(np.abs(over - under).max()) < HIGHLIGHT_CONTRAST / 3
            and float(np.abs(over - np.array(ground)).max()) >= HIGHLIGHT_CONTRAST)


def commonest(pixels: np.ndarray) -> np.ndarray:
    """The commonest colour of ``pixels`` (n x 3, or n x 1 for shades of grey): of the fullest few
    colour bins, the one with the most pixels within BAND_SPREAD of its mean, as their mean. A
    ground that strays over several bins (a title bar's gradient, a JPEG's noise) outnumbers its
    text's one bin of white."""
    pixels = pixels.astype(np.int32)
    bins = _binned(pixels) if pixels.shape[1] == 3 else pixels[:, 0] >> 3
    counts = np.bincount(bins)
    best, most = None, -1
    for fullest in np.argsort(-counts)[:FULLEST_BINS]:
        if counts[fullest] == 0:
            break
        near = np.abs(pixels - pixels[bins == fullest].mean(axis=0)).max(axis=1) <= BAND_SPREAD
        if near.sum() > most:
            best, most = near, int(near.sum())
    return pixels[best].mean(axis=0)


def on_its_band(image: Image.Image, words: list) -> list:
    """A selected row's ``words`` (text, box in ``image``, sureness) less a first word of one or two
    characters on another ground than the next word's: a table's row number, in its header's
    section beside the band (Qt's bold "2", read "Pa" or "2)" at 150%)."""
    if len(words) < 2 or len(words[0][0]) > 2:
        return words
    first, second = (commonest(np.asarray(image.crop(box).convert("RGB")).reshape(-1, 3)) for _w, box, _c in words[:2])
    return words[1:] if float(np.abs(first - second).max()) >= HIGHLIGHT_CONTRAST else words


def alone(image: Image.Image, block: tuple[int, int, int, int], box: tuple[int, int, int, int],
          ground: tuple[int, int, int]) -> Image.Image:
    """``box`` of ``image`` with only ``block`` in it: the margin is painted in the block's own
    ``ground``, so a neighbouring block's text in it is not read twice, and a selected row's colour
    runs on to the crop's edges. The block is taken a little wider (a letter's stem can touch a
    window's border, whose edge the blocks leave out), and a border line or the edge of a coloured
    band caught at its sides is painted over."""
    grown = (max(box[0], block[0] - 2), max(box[1], block[1] - 2), min(box[2], block[2] + 2), min(box[3], block[3] + 2))
    pixels = np.array(image.crop(grown).convert("RGB"), dtype=np.int16)
    colour = np.array(ground, dtype=np.int16)
    differs = np.abs(pixels - colour).max(axis=2) > EDGE_STEP
    # a border line down the side (a table's grid) is ink all the way and runs on above and below
    # the block's text; a letter's stem (a heading's F, E or d at its edge) stops within it
    above, below = block[1] - grown[1], grown[3] - block[3]
    for column in (0, 1, 2, 3, 4, 5, -6, -5, -4, -3, -2, -1):
        runs_on = (above == 0 or differs[:above, column].any()) and (below == 0 or differs[-below:, column].any())
        if differs[:, column].mean() > 0.8 and runs_on:
            pixels[:, column] = colour
    for row in (0, 1, -2, -1):
        if differs[row].mean() > 0.8:
            pixels[row] = colour
    canvas = Image.new("RGB", (box[2] - box[0], box[3] - box[1]), tuple(ground))
    canvas.paste(Image.fromarray(pixels.astype(np.uint8)), (grown[0] - box[0], grown[1] - box[1]))
    return canvas


def ink_on_paper(crop: Image.Image, ground: tuple[int, int, int],
                 as_it_is: Image.Image | None = None) -> tuple[Image.Image, list[tuple[int, int]]]:
    """``crop`` redrawn in grey as how far each pixel is from its ground: light text on a dark
    theme or on a selected row, and pale grey header text, all become dark ink on white, at full
    contrast. A row of pixels mostly of one colour has that colour as its ground, so a selected
    row inside a block (a band of blue across a dark list) is read as well as the rest; such
    bands (top, bottom in the crop) are returned with the picture. ``as_it_is``: the same part of
    the picture before its margin was painted, where the light on a photographed page is measured."""
    rgb = crop.convert("RGB")
    gray = np.asarray(rgb.convert("L"), dtype=np.float32)  # brightness, as PIL weighs it (LUMA)
    block = np.array(ground, dtype=np.float32)
    level = np.full(gray.shape[0], float(block @ LUMA), dtype=np.float32)  # each row's ground, in brightness
    # a row mostly near the block's ground has it as its own; only the others are looked at in colour
    near = (np.abs(gray - level[0]) < HIGHLIGHT_CONTRAST / 2).mean(axis=1)
    banded = np.zeros(gray.shape[0], dtype=bool)
    own = level.copy()
    candidates = np.flatnonzero(near <= 1 - BAND_SHARE)
    if candidates.size:
        pixels = np.asarray(rgb, dtype=np.int32)[candidates]
        bins = _binned(pixels)
        colours = {}
        for index, row in enumerate(candidates):
            fullest = np.bincount(bins[index]).argmax()
            colours[row] = pixels[index][bins[index] == fullest].mean(axis=0)
            # counted round that colour, not in its bin: a JPEG's band strays over a few bins
            if (np.abs(pixels[index] - colours[row]).max(axis=1) <= BAND_SPREAD).mean() >= BAND_SHARE:
                own[row] = float(colours[row] @ LUMA)
                banded[row] = np.abs(colours[row] - block).max() >= HIGHLIGHT_CONTRAST
        _fill_between(banded, own, colours)
    bands = [(a, b) for a, b in runs_of(banded) if b - a >= HIGHLIGHT_MIN_ROWS]
    for top, bottom in bands:  # a band's rows have its colour as ground; a bold heading's middle row does not
        level[top:bottom] = own[top:bottom]
    # in brightness, as a grey copy would be: a yellow shape on white stays faint (it is no letter),
    # white text on a blue selected row or a dark theme is strong
    distance = np.abs(gray - level[:, None])
    measured_on = as_it_is if as_it_is is not None else crop
    lit = _lit_ground(np.asarray(measured_on.convert("L"), dtype=np.float32)) if not bands else None
    if lit is not None:  # a photographed page in uneven light: each part from its own paper
        distance = np.abs(gray - lit)
    strokes = distance[distance >= EDGE_STEP]
    if strokes.size == 0:  # nothing on it
        return Image.new("L", crop.size, 255), []
    strongest = float(np.percentile(strokes, 90))  # the core of the strokes, not their soft edges
    floor = EDGE_STEP / 2  # shading of the ground (a title bar's gradient) stays paper
    scaled = (distance - floor) * (255.0 / max(1.0, strongest - floor))
    return Image.fromarray((255 - np.clip(scaled, 0, 255)).astype(np.uint8), "L"), bands


def _lit_ground(gray: np.ndarray) -> np.ndarray | None:
    """The paper's own brightness under each pixel, where it changes across the block by
    UNEVEN_LIGHT or more, and smoothly (a page photographed with a shadow across it: its shaded
    half differs from the block's ground as much as ink does), else None. The letters are taken
    out of a reduced copy by a closing (dark ink) or an opening (light ink) wider than their strokes."""
    height, width = gray.shape
    if min(height, width) < 2 * LIGHT_REDUCE:
        return None
    small = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8), "L").reduce(LIGHT_REDUCE)
    darkest, middle, lightest = np.percentile(gray, (5, 50, 95))
    dark_ink = middle - darkest >= lightest - middle  # the ink is the few pixels far from the rest
    lighter, darker = ImageFilter.MaxFilter, ImageFilter.MinFilter
    first, then = (lighter, darker) if dark_ink else (darker, lighter)
    paper = small.filter(first(LIGHT_WINDOW)).filter(then(LIGHT_WINDOW))
    values = np.asarray(paper, dtype=np.float32)
    if float(values.max() - values.min()) < UNEVEN_LIGHT:
        return None
    steps = max(float(np.abs(np.diff(values, axis=axis)).max(initial=0)) for axis in (0, 1))
    if steps > LIGHT_STEP:  # a screen's grounds meet at edges (a table's grey header by its white cells)
        return None
    return np.asarray(paper.resize((width, height), Image.BILINEAR), dtype=np.float32)


def _fill_between(banded: np.ndarray, own: np.ndarray, colours: dict) -> None:
    """Rows between two banded rows whose commonest colour is the band's are in the band too: in a
    narrow block (a file chooser's name column) a selected row's text and icon fill more than the
    band's share of the rows they are on."""
    rows = np.flatnonzero(banded)
    for upper, lower in zip(rows[:-1], rows[1:]):
        gap = range(upper + 1, lower)
        if 0 < len(gap) <= BAND_GAP and all(
                row in colours and np.abs(colours[row] - colours[upper]).max() < HIGHLIGHT_CONTRAST / 3 for row in gap):
            banded[upper + 1:lower] = True
            own[upper + 1:lower] = own[upper]
