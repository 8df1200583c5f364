"""Text made safe to hand to any speech channel.

Text on screen can hold anything: NUL bytes (which prismatoid refuses and which cannot be
a program argument for espeak-ng), terminal control codes, lone surrogates from a broken
clipboard, or 200 KB of OCR from a log window. Nobody wants to hear 200 KB: at the
default rate 5,000 characters are already about five minutes of speech, and a screen
reader's own keys can stop it sooner. So text is cut there, at a word, with an ellipsis.
"""

from __future__ import annotations

import re

#: About five minutes of speech at 175 words a minute.
MAX_SPOKEN_CHARACTERS = 5000
ELLIPSIS = "\u2026"
# C0 controls other than tab and newline, DEL, and the C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str, limit: int = MAX_SPOKEN_CHARACTERS) -> str:
    """``text`` without control characters or NUL bytes, valid UTF-8, at most ``limit`` characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    word_end = max(cut.rfind(" "), cut.rfind("\n"))
    if word_end > limit * 0.8:  # end at a word when one ends near the limit
        cut = cut[:word_end]
    return cut.rstrip(" \t\n,;:") + ELLIPSIS
