"""The log file: every error the user is told about is also written here, with details.

The log is private (0600 in a 0700 folder) and says what kind of request failed and its number,
never what was on the screen, a window's title, or what the person asked.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from seesay.core import paths

LOG_FILE_NAME = "seesay.log"
BACKUP_COUNT = 3


class PrivateFileHandler(RotatingFileHandler):
    """A rotating log whose files are created readable by this user only, whatever the umask."""

    def _open(self):
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        handle = os.open(self.baseFilename, flags, 0o600)
        return open(handle, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the user's log folder; returns its path, or None if unwritable
    (or not private: a folder owned by someone else is never written to)."""
    folder = folder or paths.log_dir()
    root = logging.getLogger("seesay")
    root.setLevel(level)
    try:
        paths.private_folder(folder)
        path = folder / LOG_FILE_NAME
        for name in [LOG_FILE_NAME] + [f"{LOG_FILE_NAME}.{n}" for n in range(1, BACKUP_COUNT + 1)]:
            paths.private_file(folder / name)  # as an older seesay left them: readable by all
        if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
            handler = PrivateFileHandler(path, maxBytes=1_000_000, backupCount=BACKUP_COUNT, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)
    except (OSError, paths.UnsafeFolderError):
        return None
    return path
