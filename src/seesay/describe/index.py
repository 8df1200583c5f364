"""The picture index: everything ``seesay describe`` described, kept so it is found again and never
described twice.

One SQLite database in seesay's data folder (private: the folder 0700, the file 0600). Two tables:
``descriptions``, one row per picture *content* (the SHA-256 of the file's bytes: a copy, a move
or a rename is the same picture, described once), and ``files``, one row per path with the hash
it had and its size and modification time when it was last seen (so an unchanged file is not
even read again). Full-text search over what was said, the caption and the text read, with
SQLite's FTS5 (words stemmed: "dogs" finds "dog").

Used from several threads of one folder job: every use takes the index's own lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from seesay.core import paths
from seesay.core.errors import SeesayError
from seesay.core.i18n import _

log = logging.getLogger("seesay.index")

#: Bumped when the tables change; an older database is brought up to date on open.
SCHEMA_VERSION = 2  # 2: vectors
FILE_NAME = "pictures.sqlite3"
#: How long a write waits for another seesay that holds the database (seconds).
BUSY_SECONDS = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS descriptions (
    hash TEXT PRIMARY KEY,
    said TEXT NOT NULL,
    caption TEXT,
    text TEXT,
    certainty TEXT,
    confidence REAL,
    model TEXT,
    record TEXT,
    described_at REAL
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    seen_at REAL
);
CREATE INDEX IF NOT EXISTS files_by_hash ON files(hash);
CREATE TABLE IF NOT EXISTS vectors (
    hash TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (hash, model)
);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    said, caption, text, content='descriptions', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS words_added AFTER INSERT ON descriptions BEGIN
    INSERT INTO words(rowid, said, caption, text) VALUES (new.rowid, new.said, new.caption, new.text);
END;
CREATE TRIGGER IF NOT EXISTS words_removed AFTER DELETE ON descriptions BEGIN
    INSERT INTO words(words, rowid, said, caption, text) VALUES ('delete', old.rowid, old.said, old.caption, old.text);
END;
CREATE TRIGGER IF NOT EXISTS words_changed AFTER UPDATE ON descriptions BEGIN
    INSERT INTO words(words, rowid, said, caption, text) VALUES ('delete', old.rowid, old.said, old.caption, old.text);
    INSERT INTO words(rowid, said, caption, text) VALUES (new.rowid, new.said, new.caption, new.text);
END;
"""


class IndexError_(SeesayError):  # noqa: N801 - IndexError is Python's own
    """The index cannot be used (locked by another program, or not a database)."""


class IndexLocked(IndexError_):
    """Another program holds the index locked for writing (longer than ``BUSY_SECONDS``)."""


@dataclass(frozen=True)
class Found:
    """One search result: a file, what was said about it and how well it matched (higher is better)."""

    path: str
    said: str
    caption: str
    text: str
    score: float


def default_location() -> Path:
    return paths.data_dir() / FILE_NAME


def file_hash(stream: BinaryIO) -> str:
    """SHA-256 of what ``stream`` holds, read a megabyte at a time."""
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


class PictureIndex:
    """The database, opened (and made, private, when missing). A damaged file is moved aside and a
    new index begun: it holds nothing that cannot be made again (the pictures and their own
    metadata are never touched by it)."""

    def __init__(self, location: Path | None = None, *, notify=None) -> None:
        self.location = Path(location) if location is not None else default_location()
        self._lock = threading.RLock()
        self._notify = notify or (lambda message: None)
        self._connection = self._open()

    # -- opening ---------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        folder = self.location.parent
        if folder == paths.data_dir():
            paths.private_folder(folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise self._locked() from None
            raise self._unusable(error) from None
        except sqlite3.DatabaseError as error:  # "file is not a database", a damaged page
            log.warning("the index is damaged (%s); it is moved aside and made again", type(error).__name__)
            aside = self.location.with_name(f"{self.location.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.replace(f"{self.location}{suffix}", f"{aside}{suffix}")
                except FileNotFoundError:
                    pass
            self._notify(_("The picture index was damaged; it was moved to {aside} and a new one is begun. Pictures "
                           "described before are described again when met.").format(aside=aside))
            try:
                return self._connect()
            except sqlite3.DatabaseError as again:
                raise self._unusable(again) from None

    def _connect(self) -> sqlite3.Connection:
        if not self.location.exists():  # made private before SQLite writes a byte (its journals follow its mode)
            os.close(os.open(self.location, os.O_WRONLY | os.O_CREAT, 0o600))
        paths.private_file(self.location)
        connection = sqlite3.connect(self.location, timeout=BUSY_SECONDS, check_same_thread=False,
                                     isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")  # a search may read while a folder job writes
            connection.execute("PRAGMA synchronous=NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                connection.executescript(_SCHEMA)
                connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.execute("SELECT count(*) FROM descriptions").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def _locked(self) -> IndexError_:
        return IndexLocked(_("The picture index {path} is in use by another program.").format(path=self.location),
                           _("Wait for the other program (another seesay, perhaps) to finish, or describe without the "
                             "index (--no-index)."))

    def _unusable(self, error: BaseException) -> IndexError_:
        return IndexError_(_("The picture index {path} cannot be used ({detail}).").format(
            path=self.location, detail=type(error).__name__),
            _("Check that its folder can be written, or describe without the index (--no-index)."))

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> "PictureIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what is known ---------------------------------------------------------------------------
    def known_hash(self, path: str, size: int, mtime_ns: int) -> str | None:
        """The content hash of ``path`` when it was seen with this size and modification time."""
        with self._lock:
            row = self._connection.execute("SELECT hash FROM files WHERE path = ? AND size = ? AND mtime_ns = ?",
                                           (path, size, mtime_ns)).fetchone()
        return row[0] if row else None

    def description(self, content_hash: str, model: str | None = None, language: str = "en") -> dict[str, Any] | None:
        """The record kept for this content (by the same ``model`` when given, said in ``language``:
        a German description is not given to an English run, nor an English one to a German run),
        or None."""
        with self._lock:
            row = self._connection.execute("SELECT record, model FROM descriptions WHERE hash = ?",
                                           (content_hash,)).fetchone()
        if row is None or (model is not None and row[1] != model):
            return None
        try:
            record = json.loads(row[0])
        except (TypeError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("language", "en") == language else None

    # -- adding ----------------------------------------------------------------------------------
    def add(self, path: str, content_hash: str, record: Mapping[str, Any], *, size: int | None = None,
            mtime_ns: int | None = None, model: str = "") -> None:
        """Keep ``record`` (a ``seesay describe --json`` object) for this content, and ``path`` as holding it."""
        kept = {key: value for key, value in record.items() if key not in ("path", "from_index")}
        with self._lock, self._unless_locked():
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "INSERT INTO descriptions(hash, said, caption, text, certainty, confidence, model, record, "
                    "described_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO UPDATE SET "
                    "said=excluded.said, caption=excluded.caption, text=excluded.text, certainty=excluded.certainty, "
                    "confidence=excluded.confidence, model=excluded.model, record=excluded.record, "
                    "described_at=excluded.described_at",
                    (content_hash, record.get("said", ""), record.get("caption"), "\n".join(record.get("text", [])),
                     record.get("certainty"), record.get("confidence"), model, json.dumps(kept),
                     record.get("described_at", time.time())))
                self._set_path(path, content_hash, size, mtime_ns)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def add_path(self, path: str, content_hash: str, *, size: int | None = None, mtime_ns: int | None = None) -> None:
        """``path`` holds this (already described) content."""
        with self._lock, self._unless_locked():
            self._set_path(path, content_hash, size, mtime_ns)

    @contextmanager
    def _unless_locked(self):
        """SQLite's 'database is locked' after waiting ``BUSY_SECONDS``, as ``IndexLocked``."""
        try:
            yield
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise self._locked() from None
            raise

    def _set_path(self, path: str, content_hash: str, size, mtime_ns) -> None:
        self._connection.execute(
            "INSERT INTO files(path, hash, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO "
            "UPDATE SET hash=excluded.hash, size=excluded.size, mtime_ns=excluded.mtime_ns, seen_at=excluded.seen_at",
            (path, content_hash, size, mtime_ns, time.time()))

    # -- finding ---------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[Found]:
        """Files whose description has every word of ``query`` (stemmed), best first; when none
        has them all, those with any of them. Files that are no longer there are left out."""
        words = re.findall(r"\w+", query.lower())
        if not words:
            return []
        quoted = ['"' + word + '"' for word in words]
        for joined in (" AND ".join(quoted), " OR ".join(quoted)):
            found = self._matching(joined, limit)
            if found:
                return found
        return []

    def _matching(self, match: str, limit: int) -> list[Found]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT f.path, d.said, d.caption, d.text, bm25(words) AS rank FROM words "
                "JOIN descriptions d ON d.rowid = words.rowid JOIN files f ON f.hash = d.hash "
                "WHERE words MATCH ? ORDER BY rank, f.path", (match,)).fetchall()
        found = []
        for path, said, caption, text, rank in rows:
            if len(found) >= limit:
                break
            if os.path.lexists(path):
                found.append(Found(path=path, said=said, caption=caption or "", text=text or "",
                                   score=round(-rank, 4)))
        return found

    def add_vector(self, content_hash: str, model: str, vector: bytes) -> None:
        """Keep a picture's embedding by ``model`` (the image-text matcher's folder) for search by meaning."""
        with self._lock, self._unless_locked():
            self._connection.execute("INSERT INTO vectors(hash, model, vector) VALUES (?, ?, ?) ON CONFLICT(hash, "
                                     "model) DO UPDATE SET vector=excluded.vector", (content_hash, model, vector))

    def has_vector(self, content_hash: str, model: str) -> bool:
        with self._lock:
            return self._connection.execute("SELECT 1 FROM vectors WHERE hash = ? AND model = ?",
                                            (content_hash, model)).fetchone() is not None

    def by_meaning(self, words_vector: bytes, model: str, limit: int = 20) -> list[Found]:
        """Files whose picture's embedding (by ``model``) points most the way of the words', best first
        (the score is the cosine, -1 to 1)."""
        import numpy as np

        with self._lock:
            rows = self._connection.execute("SELECT hash, vector FROM vectors WHERE model = ?", (model,)).fetchall()
        if not rows:
            return []
        query = np.frombuffer(words_vector, dtype=np.float32)
        matrix = np.stack([np.frombuffer(vector, dtype=np.float32) for _hash, vector in rows])
        scores = matrix @ query
        found = []
        for row in np.argsort(-scores, kind="stable"):
            content_hash = rows[row][0]
            with self._lock:
                files = self._connection.execute(
                    "SELECT f.path, d.said, d.caption, d.text FROM files f JOIN descriptions d ON d.hash = f.hash "
                    "WHERE f.hash = ? ORDER BY f.path", (content_hash,)).fetchall()
            for path, said, caption, text in files:
                if os.path.lexists(path):
                    found.append(Found(path=path, said=said, caption=caption or "", text=text or "",
                                       score=round(float(scores[row]), 4)))
            if len(found) >= limit:
                return found[:limit]
        return found

    def counts(self) -> tuple[int, int]:
        """(pictures, files) in the index."""
        with self._lock:
            pictures = self._connection.execute("SELECT count(*) FROM descriptions").fetchone()[0]
            files = self._connection.execute("SELECT count(*) FROM files").fetchone()[0]
        return pictures, files


def open_index(location: Path | None, *, err_notify) -> PictureIndex | None:
    """The index, or None after saying why it cannot be used (the describing goes on without it)."""
    try:
        return PictureIndex(location, notify=err_notify)
    except (IndexError_, paths.UnsafeFolderError) as error:
        log.warning("the picture index cannot be used: %s", type(error).__name__)
        err_notify(error.message)
        if error.hint:
            err_notify(error.hint)
        return None
    except OSError as error:
        log.warning("the picture index cannot be used: %s", type(error).__name__)
        err_notify(_("The picture index cannot be used ({detail}); describing without it.").format(
            detail=type(error).__name__))
        return None


def results_as_json(found: Iterable[Found]) -> list[dict[str, Any]]:
    return [{"path": f.path, "score": f.score, "said": f.said, "caption": f.caption, "text": f.text} for f in found]
