"""``seesay describe --recursive FOLDER…``: every picture in folders, described once.

The route of one file: its content hash (SHA-256 of its bytes; not read again when the index saw
it with the same size and modification time), then the index: a picture already described (by
the same model) is not described again, whatever its name or folder, and its description is
printed from the index. Otherwise it is described as ``seesay describe FILE`` describes it (the
same ``pipeline.look``), on one of several worker threads whose captions are made together in
batches (``batches.ModelRoom``), and kept in the index as soon as it is printed. So a second run
describes only new or changed pictures, and an interrupted one (Ctrl+C, or the computer
switched off) goes on where it stopped.

Output, on standard output, in the order the files were found: text (``path: description``),
JSON Lines (the ``seesay describe --json`` object, with ``from_index``) or CSV. Progress lines,
problems and the summary go to standard error. Each picture may also get an alt-text file beside
it (``photo.jpg.alt.txt``: the full name, so photo.jpg and photo.png keep theirs apart, and
``.alt.txt`` says what it is) and the description in its own metadata (``metadata``).

Logs name files by their number only ("file 12 of 340"): a file's name may say what is in it.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from seesay.core.errors import Cancelled, ImageError, SeesayError
from seesay.core.i18n import _, ngettext
from seesay.describe.folder_output import Progress, Tally, Writer, write_sidecar

log = logging.getLogger("seesay.describe")

#: Pictures worked on at once, and the largest caption batch.
DEFAULT_BATCH = 8


@dataclass(frozen=True)
class FolderOptions:
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    output: str = "text"
    sidecar: bool = False
    write_metadata: bool = False
    batch: int = DEFAULT_BATCH
    index_location: Path | None = None
    use_index: bool = True


@dataclass
class _Outcome:
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


def describe_folders(roots: Sequence[str], values: Mapping[str, Any], options: FolderOptions, *,
                     out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Describe every picture under ``roots``; 0 when all worked, 1 when any failed, 130 when stopped."""
    from seesay.describe.index import open_index
    from seesay.describe.walk import pictures_in

    out = out or sys.stdout
    err = err or sys.stderr

    def tell(message: str) -> None:
        print(message, file=err, flush=True)

    files = list(pictures_in(roots, include=options.include, exclude=options.exclude, report=tell))
    scratch = None
    if options.use_index:
        index = open_index(options.index_location, err_notify=tell)
    else:  # this run's own index, removed at the end: a copy is still described once, in flat memory
        from seesay.describe.index import PictureIndex

        scratch = tempfile.TemporaryDirectory(prefix="seesay-run-")
        index = PictureIndex(Path(scratch.name) / "run.sqlite3")
    job = _FolderJob(files, values, options, index, tell)
    writer = Writer(options.output, out)
    progress = Progress(len(files), tell)
    tally = Tally()
    tell(ngettext("{count} picture to describe.", "{count} pictures to describe.", len(files)).format(
        count=len(files)))
    pending: deque[tuple[int, str, Future]] = deque()
    queue = iter(enumerate(files, 1))
    executor = ThreadPoolExecutor(max_workers=job.workers, thread_name_prefix="seesay-folder")
    previous = _stop_on_ctrl_c(job)
    closed = False
    try:
        while True:
            while len(pending) < 2 * job.workers and not job.stop.is_set():
                step = next(queue, None)
                if step is None:
                    break
                number, path = step
                pending.append((number, path, executor.submit(job.work, path, number)))
            if not pending:
                break
            number, path, future = pending.popleft()
            wait([future])  # once stopped, the pictures in hand end at once, done or not
            try:
                _finish(job, future.result(), number, writer, tally, options, tell)
            except BrokenPipeError:  # the reader went away (| head): stop, keeping what is done
                job.stop.set()
                _quiet_stdout(out)
                closed = True
            progress.update(tally)
    finally:
        job.stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
        job.close()
        if index is not None:
            index.close()
        if scratch is not None:
            scratch.cleanup()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if closed:
        return 141  # as a program ended by SIGPIPE
    stopped = job.asked_to_stop
    if job.model_error is not None:
        tell(_("Error: {message}").format(message=job.model_error.message))
        if job.model_error.hint:
            tell(job.model_error.hint)
    progress.finish(tally, stopped=stopped)
    if stopped:
        tell(_("Stopped. What was described is kept in the index: run the same command again to go on.")
             if options.use_index and index is not None else _("Stopped."))
        return 130
    return 1 if tally.failed or tally.extras_failed or job.model_error is not None else 0


def _quiet_stdout(out: TextIO) -> None:
    """Standard output whose reader has gone: further writes (and Python's own flush at exit) go nowhere."""
    try:
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stop_on_ctrl_c(job: "_FolderJob"):
    """Ctrl+C (SIGINT) stops the job cleanly: no new picture is begun, the pictures in hand are
    dropped, and everything finished before is printed and kept. A second Ctrl+C stops at once.
    Returns the handler to put back (None off the main thread, where signals cannot be handled)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(_signal, _frame) -> None:
        job.asked_to_stop = True
        job.stop.set()
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, stop)
    return previous


class _Stopped(SeesayError):
    """The run was stopped before this picture was done."""


def _finish(job: "_FolderJob", outcome: _Outcome, number: int, writer: "Writer", tally: Tally,
            options: FolderOptions, tell) -> None:
    """Print one finished file, keep it in the index, and write its alt text and metadata when asked."""
    if isinstance(outcome.error, _Stopped) or (outcome.error is not None and outcome.error is job.model_error):
        return
    if outcome.error is not None:
        tally.failed += 1
        writer.error(outcome.path, outcome.error, tell)
        return
    record = outcome.record
    if job.index is not None and job.index_writable:
        from seesay.describe.index import IndexLocked

        try:
            if not outcome.from_index:
                job.index.add(os.path.abspath(outcome.path), outcome.content_hash, record, size=outcome.size,
                              mtime_ns=outcome.mtime_ns, model=job.model_name)
                job.kept(outcome.content_hash)
                if outcome.vector is not None:
                    job.index.add_vector(outcome.content_hash, job.matcher_name, outcome.vector)
            else:
                if not outcome.path_known:
                    job.index.add_path(os.path.abspath(outcome.path), outcome.content_hash, size=outcome.size,
                                       mtime_ns=outcome.mtime_ns)
                if outcome.vector is not None:
                    job.index.add_vector(outcome.content_hash, job.matcher_name, outcome.vector)
        except IndexLocked as error:  # said once; waiting again for every picture would take for ever
            job.index_writable = False
            log.warning("the picture index is locked")
            tell(error.message)
            tell(_("This run's descriptions are printed but not kept in the index."))
        except Exception as error:  # noqa: BLE001 - the description is still printed and written
            log.warning("file %d: not kept in the index: %s", number, type(error).__name__)
            tell(_("{path}: not kept in the picture index ({detail}).").format(path=outcome.path,
                                                                             detail=type(error).__name__))
    if outcome.from_index:
        tally.known += 1
    else:
        tally.described += 1
    said = record.get("said", "")
    if options.sidecar:
        try:
            write_sidecar(outcome.path, said)
        except OSError as error:
            tally.extras_failed += 1
            log.warning("file %d: alt-text file not written: %s", number, type(error).__name__)
            tell(_("{path}: the alt-text file could not be written ({detail}).").format(
                path=outcome.path, detail=error.strerror or type(error).__name__))
    if options.write_metadata:
        from seesay.describe.metadata import MetadataError, write_description

        try:
            written = write_description(outcome.path, said)
            if written.changed and job.index is not None and job.index_writable:  # new bytes, the same picture
                job.index.add(os.path.abspath(outcome.path), written.content_hash, record, size=written.size,
                              mtime_ns=written.mtime_ns, model=job.model_name)
                if outcome.vector is not None:
                    job.index.add_vector(written.content_hash, job.matcher_name, outcome.vector)
        except MetadataError as error:
            tally.extras_failed += 1
            log.warning("file %d: metadata not written", number)
            tell(error.message)
    writer.record(outcome.path, record, outcome.from_index)


class _FolderJob:
    """What the worker threads share: the models (loaded when the first picture needs them), a text
    reader per thread, the index, and the pictures being described (a copy found twice in one run
    waits for the first)."""

    def __init__(self, files: list[str], values: Mapping[str, Any], options: FolderOptions, index, tell) -> None:
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
        self._readers = _SharedReaders(tell)
        self._in_hand: dict[str, threading.Event] = {}
        self._in_hand_lock = threading.Lock()
        self._described_here: dict[str, dict[str, Any]] = {}

    # -- one file, on a worker thread --------------------------------------------------------------
    def work(self, path: str, number: int) -> _Outcome:
        which = f"file {number} of {len(self.files)}"  # for the log
        outcome = _Outcome(path)
        try:
            if self.stop.is_set():
                raise _Stopped("")
            info = os.stat(path)
            outcome.size, outcome.mtime_ns = info.st_size, info.st_mtime_ns
            known = (self.index.known_hash(os.path.abspath(path), info.st_size, info.st_mtime_ns)
                     if self.index is not None else None)
            outcome.content_hash = known or self._hash(path)
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
                outcome.record = {"path": path, **stored, "from_index": True}
                outcome.from_index = True
                outcome.path_known = known is not None
                if self.matcher_name and not self.index.has_vector(outcome.content_hash, self.matcher_name):
                    outcome.vector = self._vector(path)  # described before the matcher came: found by meaning too
                return outcome
            try:
                outcome.record, outcome.vector = self._describe(path)
                # held until it is in the index: a copy met meanwhile is not described again
                self._described_here[outcome.content_hash] = {
                    key: value for key, value in outcome.record.items() if key != "path"}
            finally:
                with self._in_hand_lock:
                    del self._in_hand[outcome.content_hash]
                mine.set()
        except (Cancelled, _Stopped):
            outcome.error = _Stopped("")
        except SeesayError as error:
            if not isinstance(error, ImageError) and self.model_error is None:
                self.model_error = error
                self.stop.set()
            log.warning("%s: %s", which, type(error).__name__)
            outcome.error = error
        except Exception as error:  # noqa: BLE001 - this file failed; the others are still described
            from seesay.describe.files import _failure

            outcome.error = _failure(path, error, which)
        return outcome

    def _stored(self, content_hash: str) -> dict[str, Any] | None:
        here = self._described_here.get(content_hash)
        if here is not None or self.index is None:
            return here
        return self.index.description(content_hash, self.model_name)

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

    def _describe(self, path: str) -> tuple[dict[str, Any], bytes | None]:
        from seesay.describe.files import _record
        from seesay.describe.pipeline import look, say
        from seesay.vision.images import load_image

        picture = load_image(path)  # read and made small before the models are asked
        room = self._models()
        with room.picture():
            seen = look(picture.image, room.captioner, self._readers, detail=self.values.get("detail") == "on",
                        matcher=room.matcher, candidates=int(self.values.get("candidates", 1)),
                        cancelled=self.stop.is_set)
            vector = room.ask("vector", [picture.image])[0] if room.matcher is not None else None
        said = say(seen, self.values, capture=False)
        return _record(path, seen, said, self.values), vector

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


class _SharedReaders:
    """Text reading for all the worker threads: a few readers (each tesseract reader is used by one
    thread at a time, and is slow to make: one per worker would cost seconds and memory), one for
    every two cores, as the captioner keeps one core busy. Made when first needed."""

    def __init__(self, tell) -> None:
        self._tell = tell
        self._free: list = []
        self._made = 0
        self._most = max(1, (os.cpu_count() or 2) // 2)
        self._changed = threading.Condition()

    def read(self, image):
        reader = self._take()
        try:
            return reader.read(image)
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

        reader, problem = create_text_reader()
        if problem and self._made == 1:
            self._tell(problem)
        return reader


