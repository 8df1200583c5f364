"""What the worker threads of a folder job (``describe.folder_job``) share: a few text readers,
and the translator into the person's language."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("seesay.describe")


class SharedReaders:
    """Text reading for all the worker threads: a few readers (each tesseract reader is used by one
    thread at a time, and is slow to make: one per worker would cost seconds and memory), one for
    every two cores, as the captioner keeps one core busy. Made when first needed."""

    def __init__(self, tell, language: str = "auto") -> None:
        self._tell = tell
        self._language = language  # the ``language`` setting: which language data reads the text
        self._free: list = []
        self._made = 0
        self._most = max(1, (os.cpu_count() or 2) // 2)
        self._changed = threading.Condition()

    def read(self, image, drawn_at=None):
        return self._with_reader(lambda reader: reader.read(image, drawn_at))

    def read_lettering(self, image):
        """Words written straight on a photo (``vision.lettering``), where the readers can find them."""
        return self._with_reader(lambda reader: getattr(reader, "read_lettering", lambda _image: ())(image))

    def _with_reader(self, work):
        reader = self._take()
        try:
            return work(reader)
        finally:
            with self._changed:
                self._free.append(reader)
                self._changed.notify()

    def _take(self):
        with self._changed:
            while not self._free and self._made >= self._most:
                self._changed.wait()
            if self._free:
                return self._free.pop()
            self._made += 1
        from seesay.vision.ocr import create_text_reader

        reader, problem = create_text_reader(self._language)
        if problem and self._made == 1:
            self._tell(problem)
        return reader


class SharedTranslation:
    """The translators into the person's language for all the worker threads, one at a time (a
    translation takes milliseconds beside a caption's hundreds). A missing or failing model is
    told once, with the line that gets it, and the descriptions go on with English captions."""

    def __init__(self, values: Mapping[str, Any], tell) -> None:
        from seesay.translation.session import TranslationSession

        self._session = TranslationSession(values)
        self._tell = tell
        self._lock = threading.Lock()

    @property
    def translates(self) -> bool:
        return self._session.translates

    def said_in(self) -> str:
        return self._session.said_in()

    def into_language(self, texts: list[str]) -> list[str]:
        with self._lock:
            said = self._session.into_language(texts)
            problems = self._session.problems()
        for problem in problems:
            log.warning("translation: %s", type(problem).__name__)
            self._tell(problem.message)
            if problem.hint:
                self._tell(problem.hint)
        return said
