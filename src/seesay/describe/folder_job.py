"""The work on each file of a folder job, on its worker threads (``describe.folders`` runs them).

A file's content hash (SHA-256 of its bytes; not read again when the index saw it with the same
size and modification time), then the index: a picture already described (by the same model) is
given from it, whatever its name or folder, and a copy being described by another thread right
now is waited for. Otherwise it is described as ``seesay describe FILE`` describes it (the same
``pipeline.look``), its captions made in batches with the other pictures in hand
(``batches.ModelRoom``), and, with an image-text matcher, its embedding for search by meaning.

Logs name files by their number only ("file 12 of 340"): a file's name may say what is in it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seesay.core.errors import Cancelled, ImageError, SeesayError
from seesay.describe.folder_shared import SharedReaders, SharedTranslation

if TYPE_CHECKING:
    from seesay.describe.folders import FolderOptions

log = logging.getLogger("seesay.describe")


@dataclass
class Outcome:
    path: str
    record: dict[str, Any] | None = None
    error: SeesayError | None = None
    content_hash: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    from_index: bool = False
    #: the index already holds this path with this size, time and content: nothing to write
    path_known: bool = False
    #: the picture's embedding for search by meaning (with an image-text matcher), float32 bytes
    vector: bytes | None = None


class Stopped(SeesayError):
    """The run was stopped before this picture was done."""


class FolderJob:
    """What the worker threads share: the models (loaded when the first picture needs them), a few
    text readers, the index, and the pictures being described (a copy found twice in one run waits
    for the first)."""

    def __init__(self, files: list[str], values: Mapping[str, Any], options: FolderOptions, index, tell, *,
                 tell_translation=None) -> None:
        from seesay.describe.batches import can_batch
        from seesay.vision.caption import CaptionOptions

        self.files = files
        self.values = values
        self.index = index
        self.tell = tell
        self.stop = threading.Event()
        self.asked_to_stop = False  # Ctrl+C
        self.index_writable = True  # until another program is found holding it locked
        #: the image-text matcher's folder (its vectors' name in the index), when there is one here
        self.matcher_name: str | None = _matcher_folder(values) if index is not None else None
        self.model_error: SeesayError | None = None
        options_of_model = CaptionOptions(num_beams=int(values.get("num_beams", 1)))
        self.workers = max(1, options.batch) if can_batch(options_of_model, int(values.get("candidates", 1))) else 1
        self.batch = max(1, options.batch)
        self.model_name = str(values.get("model") or "")
        self._loading = threading.Lock()
        self._room = None
        self._readers = SharedReaders(tell, values.get("language", "auto"))
        self.translation = SharedTranslation(values, tell_translation or tell)
        self._told: set[str] = set()
        self._in_hand: dict[str, threading.Event] = {}
        self._in_hand_lock = threading.Lock()
        self._described_here: dict[str, dict[str, Any]] = {}

    # -- one file, on a worker thread --------------------------------------------------------------
    def work(self, path: str, number: int) -> Outcome:
        outcome = Outcome(path)
        return self._guarded(outcome, number, lambda: self._work(outcome))

    def look_up(self, path: str, number: int) -> Outcome:
        """Only the first steps of ``work``, for the Ray job (``describe.ray_job``): the file's content
        hash, and its description when the index has it (``record`` set). Otherwise (no record, no
        error) it is to be described; a copy met again in the same run is left to the caller."""
        outcome = Outcome(path)

        def look() -> Outcome:
            known = self._content_hash(outcome)
            stored = self._stored(outcome.content_hash)
            if stored is not None:
                self._from_index(outcome, stored, known)
            return outcome

        return self._guarded(outcome, number, look)

    def _work(self, outcome: Outcome) -> Outcome:
        path = outcome.path
        if self.stop.is_set():
            raise Stopped("")
        known = self._content_hash(outcome)
        stored, mine = self._stored(outcome.content_hash), None
        while stored is None and mine is None:
            with self._in_hand_lock:
                first = self._in_hand.get(outcome.content_hash)
                if first is None:
                    stored = self._stored(outcome.content_hash)  # finished just now?
                    if stored is None:
                        mine = self._in_hand[outcome.content_hash] = threading.Event()
            if first is not None:  # the same picture under another name, being described now
                first.wait()
                stored = self._stored(outcome.content_hash)  # None if it failed there: try here
        if stored is not None:
            self._from_index(outcome, stored, known)
            if self.matcher_name and not self.index.has_vector(outcome.content_hash, self.matcher_name):
                outcome.vector = self._vector(path)  # described before the matcher came: found by meaning too
            return outcome
        try:
            outcome.record, outcome.vector = self.describe(path)
            # held until it is in the index: a copy met meanwhile is not described again
            self._described_here[outcome.content_hash] = {
                key: value for key, value in outcome.record.items() if key != "path"}
        finally:
            with self._in_hand_lock:
                del self._in_hand[outcome.content_hash]
            mine.set()
        return outcome

    def _content_hash(self, outcome: Outcome) -> str | None:
        """Sets the file's size, time and content hash; returns the hash when the index already
        knew this path with this size and time."""
        info = os.stat(outcome.path)
        outcome.size, outcome.mtime_ns = info.st_size, info.st_mtime_ns
        known = (self.index.known_hash(os.path.abspath(outcome.path), info.st_size, info.st_mtime_ns)
                 if self.index is not None else None)
        outcome.content_hash = known or self._hash(outcome.path)
        return known

    @staticmethod
    def _from_index(outcome: Outcome, stored: dict[str, Any], known: str | None) -> None:
        outcome.record = {"path": outcome.path, **stored, "from_index": True}
        outcome.from_index = True
        outcome.path_known = known is not None

    def _guarded(self, outcome: Outcome, number: int, step) -> Outcome:
        """``step()``, with what can go wrong with one file kept in ``outcome.error``: a missing or
        broken model stops the job (said once), anything else costs only this file."""
        which = f"file {number} of {len(self.files)}"  # for the log
        try:
            return step()
        except (Cancelled, Stopped):
            outcome.error = Stopped("")
        except SeesayError as error:
            if not isinstance(error, ImageError) and self.model_error is None:
                self.model_error = error
                self.stop.set()
            log.warning("%s: %s", which, type(error).__name__)
            outcome.error = error
        except Exception as error:  # noqa: BLE001 - this file failed; the others are still described
            from seesay.describe.files import _failure

            outcome.error = _failure(path=outcome.path, error=error, which=which)
        return outcome

    def _stored(self, content_hash: str) -> dict[str, Any] | None:
        here = self._described_here.get(content_hash)
        if here is not None or self.index is None:
            return here
        return self.index.description(content_hash, self.model_name, self.translation.said_in())

    def kept(self, content_hash: str) -> None:
        """The description of this content is in the index now: this run need not hold it any more."""
        if self.index is not None:
            self._described_here.pop(content_hash, None)

    def _hash(self, path: str) -> str:
        from seesay.core.regular_files import open_regular_file
        from seesay.describe.index import file_hash
        from seesay.vision.images import MAX_FILE_BYTES, load_image

        try:
            with open_regular_file(path, MAX_FILE_BYTES) as stream:
                return file_hash(stream)
        except OSError:
            load_image(path)  # says what is wrong with it, as ``seesay describe FILE`` does
            raise

    def describe(self, path: str, data: bytes | None = None) -> tuple[dict[str, Any], bytes | None]:
        """What is said about one picture, as ``seesay describe FILE`` says it, and its embedding for
        search by meaning (with a matcher). ``data``: the file's bytes, read elsewhere (a Ray
        worker is sent them); ``path`` then only names it."""
        from seesay.describe.files import _record
        from seesay.describe.pipeline import look, say
        from seesay.vision.images import load_image

        picture = load_image(path if data is None else data, name=path)  # read and made small before the models
        room = self._models()
        with room.picture():
            seen = look(picture.image, room.captioner, self._readers, detail=self.values.get("detail") == "on",
                        given=True, matcher=room.matcher, candidates=int(self.values.get("candidates", 1)),
                        cancelled=self.stop.is_set)
            vector = room.ask("vector", [picture.image])[0] if room.matcher is not None else None
        translate = self.translation.into_language if self.translation.translates else None
        said = say(seen, self.values, capture=False, translate=translate)
        return _record(path, seen, said, self.values, self.translation.said_in()), vector

    def _vector(self, path: str) -> bytes | None:
        from seesay.vision.images import load_image

        picture = load_image(path)
        room = self._models()
        if room.matcher is None:
            return None
        with room.picture():
            return room.ask("vector", [picture.image])[0]

    def _models(self):
        from seesay.describe.batches import ModelRoom
        from seesay.describe.files import _load, _load_matcher

        with self._loading:
            if self.model_error is not None:
                raise self.model_error
            if self._room is None:
                captioner = _load(self.values, self.tell_stream)
                matcher = _load_matcher(self.values, self.tell_stream)
                self._room = ModelRoom(captioner, matcher, max_batch=self.batch, cancelled=self.stop.is_set)
                self.matcher_name = str(getattr(matcher, "name", "")) if matcher is not None else None
                self.model_name = self.model_name or str(getattr(captioner, "name", ""))
            return self._room

    def tell_once(self, message: str) -> None:
        """Tell ``message`` unless it was told already (the same notice from several workers)."""
        if message not in self._told:
            self._told.add(message)
            self.tell(message)

    @property
    def tell_stream(self):
        job = self

        class _Lines:
            def write(self, text: str) -> None:
                if text.strip():
                    job.tell(text.rstrip("\n"))

            def flush(self) -> None:
                pass

        return _Lines()

    def close(self) -> None:
        if self._room is not None:
            self._room.close()

    @property
    def batches(self) -> list[int]:
        return self._room.batches if self._room is not None else []


def _matcher_folder(values: Mapping[str, Any]) -> str | None:
    """Where the image-text matcher is on this computer (found, not loaded), or None without one."""
    from seesay.vision.engine import model_store
    from seesay.vision.itm import DEFAULT_MATCHER

    try:
        return str(model_store(values).locate(values.get("itm_model") or DEFAULT_MATCHER, setting="itm_model"))
    except SeesayError:
        return None
