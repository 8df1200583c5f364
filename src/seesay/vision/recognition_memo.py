"""What tesseract read in a piece of the screen, kept for the next look at the same pixels.

A person presses the key again on the same window (to hear it again, after moving through a
dialog's fields, after a terminal printed one more line): most of what is read has not changed.
A piece read before, pixel for pixel the same and read the same way (enlargement, page mode), is
taken from here instead of being recognised again: tesseract gives the same words for the same
pixels. Only words and their boxes in the piece are kept, never a picture; the memory lives with
the reader and goes with it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from PIL import Image

#: One word as tesseract read it: whether it begins a line, its text, its box in the piece as read
#: (enlarged; None where tesseract gave none), and how sure tesseract was (0-1).
Word = tuple[bool, str, tuple[int, int, int, int] | None, float]

#: Pieces kept: a screen is cut into a few dozen at most, and a person moves between a few windows.
KEPT = 256


def key_of(image: Image.Image, *how: object) -> bytes:
    """A key for ``image``'s pixels read ``how`` (the enlargement, the page mode...)."""
    digest = hashlib.blake2b(image.tobytes(), digest_size=20)
    digest.update(repr((image.mode, image.size, how)).encode())
    return digest.digest()


class RecognitionMemo:
    """The words of the pieces read lately, the least recently used let go first. Both of the
    reader's threads use it."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._words: OrderedDict[bytes, tuple[Word, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: bytes) -> tuple[Word, ...] | None:
        with self._lock:
            words = self._words.get(key)
            if words is None:
                self.misses += 1
                return None
            self._words.move_to_end(key)
            self.hits += 1
            return words

    def put(self, key: bytes, words: tuple[Word, ...]) -> None:
        with self._lock:
            self._words[key] = words
            self._words.move_to_end(key)
            while len(self._words) > self._kept:
                self._words.popitem(last=False)
