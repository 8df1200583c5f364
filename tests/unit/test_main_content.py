"""What is read first on a screen without sentences: a side panel at its left (a file chooser's
places) comes after the content beside it; a terminal's lines, all at its left edge, keep their order."""

from __future__ import annotations

from dataclasses import dataclass

from seesay.describe.main_content import main_first


@dataclass(frozen=True)
class Line:
    text: str
    box: tuple[int, int, int, int]


PLACES = [Line("Recent", (131, 37, 44, 9)), Line("Home", (131, 75, 38, 9)), Line("Desktop", (131, 111, 53, 14)),
          Line("Other Locations", (130, 196, 101, 11))]
FILES = [Line("Name, Size, Type, Modified", (256, 73, 924, 13)),
         Line("Budget 2026.ods, 14 bytes, Spreadsheet", (282, 97, 870, 14)),
         Line("Holiday photos.odt, 14 bytes, Document", (282, 120, 870, 14)),
         Line("Recipes.md, 14 bytes, Text", (282, 189, 870, 14))]


def test_a_side_panel_at_the_left_comes_after_the_files_beside_it():
    title = Line("Open a document", (583, 5, 114, 11))
    lines = [title, *PLACES, *FILES]
    assert main_first(lines) == [title, *FILES, *PLACES]


def test_a_terminals_lines_keep_their_order():
    rows = [Line(f"-rw-r--r-- 1 root root {n} file{n}.txt", (3, 24 + 13 * n, 320, 11)) for n in range(6)]
    short = [Line(f"file{n}", (3, 24 + 13 * n, 40, 11)) for n in range(6)]  # ls: one name a line
    assert main_first(rows) == rows and main_first(short) == short


def test_a_list_of_short_items_with_nothing_beside_it_keeps_its_order():
    assert main_first(PLACES) == PLACES


def test_a_place_whose_icon_is_read_as_letters_stays_in_the_side_panel():
    """A place named by its folder ("ci2"), its icon read as "6D": the line starts further left."""
    place = Line("6D ci2", (107, 150, 60, 14))
    lines = [*PLACES[:3], place, PLACES[3], *FILES]
    assert main_first(lines) == [*FILES, *PLACES[:3], place, PLACES[3]]


def test_a_title_bar_read_with_its_icon_is_not_said_again_after_the_window_name():
    from seesay.describe.main_content import repeats_window_name

    assert repeats_window_name("x, sh", "sh")  # xterm's title bar: its menu icon read as "x"
    assert repeats_window_name("Qpen a document", "Open a document")
    assert not repeats_window_name("sh", "ssh")  # a short word is the name only when it is the name
    assert not repeats_window_name("x, sh: line 3: not found", "sh")  # a line of the terminal itself
