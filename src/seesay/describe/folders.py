"""``seesay describe --recursive FOLDER…``: every picture in folders, described once.

The route of one file: its content hash (SHA-256 of its bytes; not read again when the index saw
it with the same size and modification time), then the index: a picture already described (by
the same model) is not described again, whatever its name or folder, and its description is
printed from the index. Otherwise it is described as ``seesay describe FILE`` describes it (the
same ``pipeline.look``), on one of several worker threads (``folder_job``) whose captions are
made together in batches (``batches.ModelRoom``), and kept in the index as soon as it is printed. So a second run
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
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from seesay.core.i18n import _, ngettext
from seesay.describe.folder_job import FolderJob, Outcome, Stopped
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
    #: ``ray_job.RayOptions``: the pictures are described on a Ray cluster; None: here
    ray: Any = None


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
    job = FolderJob(files, values, options, index, tell)
    writer = Writer(options.output, out)
    progress = Progress(len(files), tell)
    tally = Tally()
    tell(ngettext("{count} picture to describe.", "{count} pictures to describe.", len(files)).format(
        count=len(files)))
    executor = ThreadPoolExecutor(max_workers=job.workers, thread_name_prefix="seesay-folder")
    previous = _stop_on_ctrl_c(job)
    closed = False
    if options.ray is not None:  # only where the pictures are described changes
        from seesay.describe.ray_job import outcomes_on_ray

        outcomes = outcomes_on_ray(job, options.ray, tell)
    else:
        outcomes = _outcomes_here(job, executor)
    try:
        for number, outcome in outcomes:
            try:
                _finish(job, outcome, number, writer, tally, options, tell)
            except BrokenPipeError:  # the reader went away (| head): stop, keeping what is done
                job.stop.set()
                _quiet_stdout(out)
                closed = True
            progress.update(tally)
    finally:
        job.stop.set()
        outcomes.close()
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


def _outcomes_here(job: FolderJob, executor: ThreadPoolExecutor) -> Iterator[tuple[int, Outcome]]:
    """Each file's outcome, in the order the files were found, from the worker threads here (a
    few pictures in hand at once)."""
    pending: deque[tuple[int, Future]] = deque()
    queue = iter(enumerate(job.files, 1))
    while True:
        while len(pending) < 2 * job.workers and not job.stop.is_set():
            step = next(queue, None)
            if step is None:
                break
            number, path = step
            pending.append((number, executor.submit(job.work, path, number)))
        if not pending:
            return
        number, future = pending.popleft()
        wait([future])  # once stopped, the pictures in hand end at once, done or not
        yield number, future.result()


def _quiet_stdout(out: TextIO) -> None:
    """Standard output whose reader has gone: further writes (and Python's own flush at exit) go nowhere."""
    try:
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stop_on_ctrl_c(job: "FolderJob"):
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


def _finish(job: "FolderJob", outcome: Outcome, number: int, writer: "Writer", tally: Tally,
            options: FolderOptions, tell) -> None:
    """Print one finished file, keep it in the index, and write its alt text and metadata when asked."""
    if isinstance(outcome.error, Stopped) or (outcome.error is not None and outcome.error is job.model_error):
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


