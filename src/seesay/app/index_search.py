"""Searching the picture index for the window, off the GUI thread.

SQLite's full-text search is fast, but another seesay (a folder job) may hold the database locked
for seconds: the search waits for it on a thread of its own, so the window keeps answering keys.
A newer search supersedes an older one still running: only the newest one's results are given.

Thread contract: ``search`` is called on the GUI thread; the search itself runs on a short-lived
thread that touches no widget and reports through the signals (queued to the GUI thread).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from seesay.core import paths
from seesay.core.errors import SeesayError
from seesay.core.i18n import _
from seesay.describe import index

log = logging.getLogger("seesay.search")


class IndexSearch(QObject):
    """``found`` carries the words searched and the list of ``index.Found``, best first;
    ``failed`` a sentence that says why the index could not be searched."""

    found = Signal(str, list)
    failed = Signal(str)

    def __init__(self, location: Path | None = None, parent: QObject | None = None, limit: int = 50) -> None:
        super().__init__(parent)
        self.location = Path(location) if location is not None else None
        self.limit = limit
        self._newest = 0
        self._guard = threading.Lock()

    def search(self, words: str) -> None:
        with self._guard:
            self._newest += 1
            number = self._newest
        threading.Thread(target=self._run, args=(number, words), name="seesay-index-search", daemon=True).start()

    def _is_newest(self, number: int) -> bool:
        with self._guard:
            return number == self._newest

    def _run(self, number: int, words: str) -> None:
        location = self.location or index.default_location()
        try:
            if not location.is_file():  # never made here: an empty index would only hide the reason
                message = _("There is no picture index yet: describe a folder of pictures first (seesay describe "
                            "--recursive FOLDER), then search again.")
                found = None
            else:
                with index.PictureIndex(location) as pictures:
                    found = pictures.search(words, limit=self.limit)
        except (SeesayError, paths.UnsafeFolderError) as error:
            log.warning("the picture index could not be searched: %s", type(error).__name__)
            message, found = error.message, None
        except (sqlite3.Error, OSError) as error:
            log.warning("the picture index could not be searched: %s", type(error).__name__)
            if "locked" in str(error) or "busy" in str(error):
                message = _("The picture index {path} is in use by another program.").format(path=location)
            else:
                message = _("The picture index {path} cannot be used ({detail}).").format(
                    path=location, detail=type(error).__name__)
            found = None
        if not self._is_newest(number):
            return
        if found is None:
            self.failed.emit(message)
        else:
            self.found.emit(words, found)
