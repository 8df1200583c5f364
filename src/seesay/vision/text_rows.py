"""Lines read block by block, put back together as a person reads them: the cells of a table row
on one line ("Saturday, nine, five"), rows in order, header first.

The blocks of a list without grid lines (a GTK list, a file manager's details view) are its
columns: read block by block, a table comes out column by column ("Holiday photos.odt, Minutes
March.txt, … Waiting, Paused"). So a short line (a cell) joins the row of an earlier short line
it stands beside, whichever block it came from. Long lines (an article's) never do, nor cells
far apart (a side panel's link beside a heading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from seesay.vision.ocr_types import TextLine

#: A line of at most this many words can be a table's cell.
CELL_WORDS = 6
#: A selected row has a row of its list at most this many line heights above or below it.
LIST_GAP = 1.5
#: Columns whose lines are spaced within this ratio of each other's spacing can be one table's.
PITCH_RATIO = 1.3
#: How far back (lines) a cell looks for the row it belongs to.
LOOK_BACK = 60


def rows(lines: list[TextLine], apart: Callable[[tuple, tuple], bool] | None = None) -> list[TextLine]:
    """Lines that stand side by side on one row (the cells of a table row, a row of buttons)
    become one line, left to right, its parts separated by commas: "Saturday, nine, five"; the
    row keeps the place of its first cell in reading order. A cell read after the row it belongs
    to (its column was another block) joins it only when the line read before or after it also
    joins an earlier row: a table has rows, a side panel's link beside a heading is one line.
    ``apart(left box, right box)``: the two lines are in separate panes (``vision.panes``: shop
    cards), whose lines never join."""
    pitches = [_pitch(lines, index) for index in range(len(lines))]
    partners = [_partner(lines, index, pitches, apart) for index in range(len(lines))]
    row_of = list(range(len(lines)))
    for index, partner in enumerate(partners):
        if partner is None:
            continue
        in_a_column = any(0 <= other < len(lines) and partners[other] is not None and partners[other] != other - 1
                          for other in (index - 1, index + 1))
        if partner == index - 1 or in_a_column:
            row_of[index] = row_of[partner]
    members: dict[int, list[TextLine]] = {}
    for index, line in enumerate(lines):
        members.setdefault(row_of[index], []).append(line)
    return [_joined(members[first]) for first in sorted(members)]


def in_lists(lines: list[TextLine]) -> list[TextLine]:
    """Lines taken for a selected row (a band of its own colour) stay selected only in a list:
    with a row of the list's own ground just above or below it (a link on a page's coloured
    navigation bar has none)."""
    def beside(line: TextLine, other: TextLine) -> bool:
        height = max(line.box[3], other.box[3])
        gap = max(other.box[1] - (line.box[1] + line.box[3]), line.box[1] - (other.box[1] + other.box[3]))
        overlap = min(line.box[0] + line.box[2], other.box[0] + other.box[2]) - max(line.box[0], other.box[0])
        return other.role == "text" and 0 <= gap <= LIST_GAP * height and overlap > 0

    return [line if line.role != "selected" or any(beside(line, other) for other in lines)
            else replace(line, role="text") for line in lines]


def _partner(lines: list[TextLine], index: int, pitches: list, apart=None) -> int | None:
    """The line ``lines[index]`` continues on its row: the one just before it, else the nearest
    short line to its left on the same row read earlier (a cell of another column's block) whose
    column has the same pitch (a file chooser's places, 38 pixels apart, are no cells of the file
    list beside them, 23 apart)."""
    line = lines[index]
    if index and _same_row(lines[index - 1].box, line.box) and _alike(lines[index - 1].role, line.role):
        return index - 1
    if len(line.text.split()) > CELL_WORDS:
        return None
    found, reach = None, -1
    for earlier in range(index - 1, max(-1, index - 1 - LOOK_BACK), -1):
        other = lines[earlier]
        right = other.box[0] + other.box[2]
        if (_alike(other.role, line.role) and len(other.text.split()) <= CELL_WORDS and _same_row(other.box, line.box)
                and right > reach and _same_pitch(pitches[earlier], pitches[index])
                and (apart is None or not apart(other.box, line.box))):
            found, reach = earlier, right
    return found


def _alike(first: str, second: str) -> bool:
    """Lines of these roles can be cells of one row: the same role, or a selected row's cell and a
    cell whose block's band of colour was not told (reduced from 150%, a column's band blurs)."""
    return first == second or {first, second} == {"text", "selected"}


def _pitch(lines: list[TextLine], index: int) -> int | None:
    """How far (pixels, top to top) the line ``lines[index]`` is from the nearest line above or
    below it in its column (one it overlaps from side to side, give or take two line heights);
    None when it stands alone."""
    left, top, width, height = lines[index].box
    left, width = left - 2 * height, width + 4 * height  # a centred header over left-aligned cells
    distances = [abs(other.box[1] - top) for other in lines
                 if (other.box[1] >= top + height or other.box[1] + other.box[3] <= top)  # above or below
                 and min(left + width, other.box[0] + other.box[2]) > max(left, other.box[0])]
    return min(distances) if distances else None


def _same_pitch(first: int | None, second: int | None) -> bool:
    return first is None or second is None or max(first, second) <= PITCH_RATIO * min(first, second)


def _joined(cells: list[TextLine]) -> TextLine:
    if len(cells) == 1:
        return cells[0]
    cells = sorted(cells, key=lambda cell: cell.box[0])
    left, top = min(c.box[0] for c in cells), min(c.box[1] for c in cells)
    right, bottom = max(c.box[0] + c.box[2] for c in cells), max(c.box[1] + c.box[3] for c in cells)
    role = "selected" if any(cell.role == "selected" for cell in cells) else cells[0].role  # a row is selected whole
    return TextLine(text=", ".join(c.text for c in cells), box=(left, top, right - left, bottom - top),
                    confidence=min(c.confidence for c in cells), role=role)


def _same_row(first: tuple[int, int, int, int], second: tuple[int, int, int, int]) -> bool:
    """``second`` lies to the right of ``first``, sharing most of its height."""
    overlap = min(first[1] + first[3], second[1] + second[3]) - max(first[1], second[1])
    return second[0] >= first[0] + first[2] and overlap >= 0.6 * min(first[3], second[3])
