"""What a person wants read first on a screen: the main content (the article, the document, the
dialog's message), before the chrome round it (tab strip, address bar, menus, side panels).

Read in reading order, a browser's screen starts with its tabs, address bar and the page's side
panel; forty spoken words are gone before the article's first. The main content is found from
the lines alone: its lines are long (sentences), chrome's are short (links, tabs, menu names).
The main column is where the long lines run; its lines, and a heading just above the first of
them, are the main content. A screen without long lines (a list, a file manager) keeps its
order, but for a side panel at its left (a file chooser's places), which comes after the rest.
"""

from __future__ import annotations

#: Marks round a word.
PUNCTUATION = ".,;:!?\"'()[]"
#: A line of at least this many words (of letters only) is a sentence of content.
LONG_LINE = 6
#: A heading this many line heights (its own, or the long line's) above the first long line
#: belongs to the main content.
HEADING_REACH = 3
#: Text at least this many times as high as the first long line's, above it, is its heading.
HEADING_SIZE = 1.3
#: A line of at least this many letters, this share of them as in the window's name, repeats it.
NAME_LETTERS, NAME_SHARE = 4, 0.8
#: A side panel: at least this many items of at most this many words.
PANEL_ITEMS, PANEL_WORDS = 3, 3
#: A line of the main column is at most this many times as wide as the column.
WIDER_THAN_COLUMN = 1.3


def main_first(lines: list) -> list:
    """``lines`` (with ``text`` and ``box``: left, top, width, height) with the main content's
    first, each part in its own reading order."""
    long = [line for line in lines if _words(line.text) >= LONG_LINE]
    if not long:
        panel = _side_panel(lines)  # a file chooser's places: after its files
        return [line for line in lines if line not in panel] + panel
    left = min(line.box[0] for line in long)
    right = max(line.box[0] + line.box[2] for line in long)
    first = min(long, key=lambda line: line.box[1])

    def in_main(line) -> bool:
        middle = line.box[0] + line.box[2] / 2
        bottom = line.box[1] + line.box[3]
        if bottom <= first.box[1] + first.box[3] / 2:  # above the content: only its heading, which runs over
            heading = (line.box[0] < right and line.box[0] + line.box[2] > left  # the column or is bigger text
                       or line.box[3] >= HEADING_SIZE * first.box[3])
            return heading and bottom >= first.box[1] - HEADING_REACH * max(first.box[3], line.box[3])
        return left <= middle <= right and line.box[2] <= WIDER_THAN_COLUMN * (right - left)

    main = [line for line in lines if in_main(line)]
    return main + [line for line in lines if not in_main(line)]


def _side_panel(lines: list) -> list:
    """A column of short items at the screen's left with the content beside it, to its right (a
    file chooser's places: Recent, Home, Desktop): its lines, or none. It ends where the content
    begins, and no line runs across from one to the other beside it. A terminal's lines, all
    starting at its left edge, have nothing beside them."""
    for edge in sorted({line.box[0] for line in lines}):
        panel = [line for line in lines if line.box[0] + line.box[2] <= edge]
        if len(panel) < PANEL_ITEMS:
            continue
        if any(len(line.text.split()) > PANEL_WORDS for line in panel):
            return []
        top = min(line.box[1] for line in panel)
        bottom = max(line.box[1] + line.box[3] for line in panel)
        beside = [line for line in lines if line not in panel and line.box[1] < bottom
                  and line.box[1] + line.box[3] > top]
        if len(beside) >= PANEL_ITEMS and all(line.box[0] >= edge for line in beside):
            return panel
    return []


def _words(text: str) -> int:
    """The words (of letters only) of the longest part of a line: cells joined into a row ("File
    /tmp/page.html, Sign in to Chromium?") are not a sentence, nor is a row of a file list ("2 bytes
    ODS spreadsheet 30 11 2026 21:04") or of ``ls -l``."""
    return max(sum(word.strip(PUNCTUATION).isalpha() for word in part.split()) for part in text.split(", "))


def repeats_window_name(text: str, name: str | None) -> bool:
    """``text`` is the window's name again, as read from its title bar ("Qpen a document" for
    "Open a document"): said once, first, not again among the text."""
    if not name:
        return False
    line, title = _letters(text), _letters(name)
    if title and _letters(_without_icon_ends(text)) == title:  # "x, sh": a terminal's title bar, its menu icon read "x"
        return True
    if len(line) < NAME_LETTERS or len(line) < len(title) / 2:
        return False
    from difflib import SequenceMatcher

    match = SequenceMatcher(None, line, title, autojunk=False).find_longest_match(0, len(line), 0, len(title))
    return match.size >= NAME_SHARE * len(line)


def _without_icon_ends(text: str) -> str:
    """``text`` without a one-character word at either end (an icon beside a title, read as a letter)."""
    words = text.split()
    while len(words) > 1 and sum(ch.isalnum() for ch in words[0]) <= 1:
        words.pop(0)
    while len(words) > 1 and sum(ch.isalnum() for ch in words[-1]) <= 1:
        words.pop()
    return " ".join(words)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
