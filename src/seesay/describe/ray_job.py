"""``seesay describe --ray ADDRESS --recursive FOLDER…``: the folder job, its pictures described on Ray.

Only where the descriptions are made changes. This process (Ray's driver) walks the folders, hashes
each file and asks the picture index, as the local job does (``FolderJob.look_up``). What is new
goes to the cluster in waves: a Ray Data dataset of the files (their bytes, read here, since the
cluster's machines may not see this disk; or only their paths, with ``shared_files``), and
``map_batches`` over a pool of model actors (``ray_actor.Describer``), each describing its batches
exactly as the local job does; one actor per GPU, the model on cuda, where the cluster has GPUs,
CPU actors where it has none. The descriptions come back in file order
and are printed, kept in the index and written beside the pictures here, by the local job's own
code (``folders._finish``): resuming, copies found once and Ctrl+C work as they do there.

A picture that cannot be read is reported as the local job reports it. A batch whose worker fails
(its actor raised or died) is left out by Ray Data (``max_errored_blocks``): its pictures are
reported as not described, and the job goes on; the next run tries them again.

Ray is imported only here and in ``ray_actor``, and only when asked for (``pip install seesay[cluster]``).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import warnings
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from seesay.core.errors import ImageError, SeesayError
from seesay.core.i18n import _, ngettext
from seesay.describe.folder_job import FolderJob, Outcome
from seesay.describe.ray_actor import Describer

log = logging.getLogger("seesay.describe")

#: A wave (one dataset) holds at most this many pictures to describe, or this many bytes of them.
WAVE_FILES = 512
WAVE_BYTES = 256 << 20
#: Most CPUs one CPU actor takes (a model copy each; torch gains little from more threads per caption).
CPUS_PER_ACTOR = 4


@dataclass(frozen=True)
class RayOptions:
    #: ``local`` (a Ray started here, on this computer's cores), or a cluster's address
    #: (``ray://HOST:10001`` from outside it, ``HOST:6379`` or ``auto`` on one of its machines)
    address: str = "local"
    #: the workers read the pictures at the same paths (a shared file system): only paths are sent
    shared_files: bool = False
    #: model actors (default: one per GPU; without GPUs one per CPUS_PER_ACTOR CPUs)
    workers: int | None = None
    #: where a Ray started here keeps its session (default: a temporary folder, removed at the end)
    temp_dir: str | None = None
    #: the actor class (tests give one that fails)
    describer: Any = None


@dataclass(frozen=True)
class _Pool:
    workers: int
    device: str
    resources: dict


def outcomes_on_ray(job: FolderJob, options: RayOptions, tell) -> Iterator[tuple[int, Outcome]]:
    """Each file's outcome, in the order the files were found (as ``folders._outcomes_here``)."""
    try:
        if options.address == "local" and "ray" not in sys.modules:
            _local_ray_environment()
        ray = _import_ray()
        temporary, mine = _connect(ray, options)
    except SeesayError as error:
        job.model_error = error
        return
    try:
        pool = _pool(ray, job.values, options)
        if pool.device == "cuda":
            tell(ngettext("Describing on Ray at {address}: {count} model worker with a GPU.",
                          "Describing on Ray at {address}: {count} model workers, each with a GPU.",
                          pool.workers).format(address=options.address, count=pool.workers))
        else:
            tell(ngettext("Describing on Ray at {address}: {count} model worker on CPUs.",
                          "Describing on Ray at {address}: {count} model workers on CPUs.",
                          pool.workers).format(address=options.address, count=pool.workers))
        files = iter(enumerate(job.files, 1))
        with _core_log_lines_to_log():
            while not job.stop.is_set():
                plan, rows = yield from _next_wave(job, files, options.shared_files)
                if not rows:
                    break
                yield from _run_wave(ray, job, plan, rows, pool, options, tell)
    finally:
        if mine:
            ray.shutdown()
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)


def _local_ray_environment() -> None:
    """A Ray started here (read by Ray when it is imported, and by the processes it starts) listens on
    the loopback address only, so nothing on the network can reach it; asks every process for a token
    only its own processes know (Ray would otherwise write one into ~/.ray); and sends no usage
    statistics: nothing leaves this computer. Settings already made by the person are kept."""
    import secrets

    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # Ray's switch for "this computer only"
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if "RAY_AUTH_MODE" not in os.environ:
        os.environ["RAY_AUTH_MODE"] = "token"
        os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401 - the extra installs both; Ray alone lacks Ray Data's parts
    except ImportError:
        raise SeesayError(_("Ray is not installed, so pictures cannot be described on a Ray cluster."),
                          _("Install it with: pip install \"seesay[cluster]\"")) from None
    return ray


def _connect(ray, options: RayOptions) -> tuple[str | None, bool]:
    """Starts Ray here or joins the cluster. Returns the temporary folder to remove afterwards and
    whether this job made the connection (and ends it); a program already connected keeps its own."""
    if ray.is_initialized():
        return None, False
    _raylet_messages_to_log()
    # what is said is seesay's: Ray's INFO lines and its workers' output stay in Ray's log files
    quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
    if options.address == "local":
        from seesay.vision.device import available_cores

        temporary = None if options.temp_dir else tempfile.mkdtemp(prefix="ray-")  # short: socket paths
        ray.init(num_cpus=available_cores(), include_dashboard=False, _temp_dir=options.temp_dir or temporary,
                 **quiet)
        return temporary, True
    try:
        _knock(options.address)  # Ray itself would try for minutes
        ray.init(address=options.address, **quiet)
    except Exception as error:  # noqa: BLE001 - Ray's own errors differ by address and version
        log.warning("Ray at the given address could not be reached: %s", type(error).__name__)
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        raise SeesayError(_("The Ray cluster at {address} could not be reached ({detail}).").format(
            address=options.address, detail=detail),
            _("Check the address: ray://HOST:10001 from outside the cluster, HOST:6379 on one of its machines; "
              "or use --ray local.")) from None
    return None, True


def _raylet_messages_to_log() -> None:
    """Ray's driver prints the messages its raylets send (a task retried, a worker killed) to standard
    output, whatever ``log_to_driver`` says, where they would land among the JSON Lines or CSV:
    they go to seesay's log instead (Ray looks the printer up by its name at each message)."""
    import ray._private.worker as driver

    def to_log(data, ignore_prefix: bool = False) -> None:  # noqa: ARG001 - Ray's signature
        for line in data.get("lines", ()):
            log.warning("ray %s: %s", data.get("pid", ""), line)

    driver.print_to_stdstream = to_log


def _knock(address: str, seconds: float = 5.0) -> None:
    """Raises OSError at once when nothing answers at ``address`` (HOST:PORT, or ray://HOST:PORT);
    other forms (``auto``) are left to Ray."""
    import socket

    host, _colon, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    with socket.create_connection((host.strip("[]"), int(port)), timeout=seconds):
        pass


def _pool(ray, values: Mapping[str, Any], options: RayOptions) -> _Pool:
    """GPU actors where the cluster has GPUs (unless the device setting says cpu), else CPU actors."""
    from ray.data import DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True  # printed in the order the files were found
    context.max_errored_blocks = -1  # a failed batch is left out; the others go on
    context.enable_progress_bars = False  # seesay's own progress lines are said instead
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # a failed batch is said by seesay, in words
    resources = ray.cluster_resources()
    gpus, cpus = int(resources.get("GPU", 0)), max(1, int(resources.get("CPU", 1)))
    if gpus and str(values.get("device", "auto")) in ("auto", "cuda"):
        return _Pool(options.workers or gpus, "cuda", {"num_gpus": 1})
    workers = options.workers or max(1, cpus // CPUS_PER_ACTOR)
    return _Pool(workers, "cpu", {"num_cpus": max(1, min(CPUS_PER_ACTOR, cpus // workers))})


def _next_wave(job: FolderJob, files, shared_files: bool):
    """Looks the next files up; yields those that need nothing from the cluster while none does, and
    returns the rest of the wave: its plan (number, outcome, the first's number for a copy sent in
    this wave) and the rows to describe."""
    plan: deque[tuple[int, Outcome, int | None]] = deque()
    rows: list[dict[str, Any]] = []
    first_of: dict[str, int] = {}
    size = 0
    for number, path in files:
        outcome = job.look_up(path, number)
        first = None
        if outcome.record is None and outcome.error is None:
            first = first_of.get(outcome.content_hash)
            if first is None:
                try:
                    data = None if shared_files else _file_bytes(path)
                except ImageError as error:
                    outcome.error = error
                else:
                    first_of[outcome.content_hash] = number
                    rows.append({"number": number, "path": path, "data": data})
                    size += len(data or b"")
        if not rows:
            yield number, outcome
        else:
            plan.append((number, outcome, first))
        if len(rows) >= WAVE_FILES or size >= WAVE_BYTES or len(plan) >= 8 * WAVE_FILES or job.stop.is_set():
            break
    return plan, rows


def _file_bytes(path: str) -> bytes:
    from seesay.core.regular_files import open_regular_file
    from seesay.vision.images import MAX_FILE_BYTES, load_image

    try:
        with open_regular_file(path, MAX_FILE_BYTES) as stream:
            return stream.read()
    except OSError:
        load_image(path)  # says what is wrong with it, as the local job does
        raise ImageError(_("{name} could not be read ({detail}).").format(name=path, detail="OSError")) from None


def _run_wave(ray, job: FolderJob, plan, rows: list[dict[str, Any]], pool: _Pool, options: RayOptions, tell):
    """Describes one wave's rows on the cluster and yields the wave's outcomes in file order."""
    from seesay.core import i18n

    blocks = math.ceil(len(rows) / job.batch)
    dataset = ray.data.from_items(rows, override_num_blocks=blocks)  # a batch a block
    actors = ray.data.ActorPoolStrategy(size=min(pool.workers, blocks))  # none waiting for work that cannot come
    arguments = dict(batch_size=job.batch, batch_format="numpy", compute=actors,
                     fn_constructor_kwargs={"values": dict(job.values), "batch": job.batch, "device": pool.device,
                                            "language": i18n.current_language(),
                                            "shared_files": options.shared_files},
                     **pool.resources)
    try:  # a batch whose actor dies is tried once more on a new one, then left out (Ray retries for ever)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the catch-all for actor options, in Ray 2.60
            described = dataset.map_batches(options.describer or Describer, max_task_retries=1, **arguments)
    except TypeError:  # a later Ray without it
        described = dataset.map_batches(options.describer or Describer, **arguments)
    wave = _Wave(job, plan)
    try:
        for row in described.iter_rows():  # in file order: a number passed over was in a failed batch
            yield from wave.ready(int(row["number"]), row)
            if job.stop.is_set():
                return
    except Exception as error:  # noqa: BLE001 - the cluster went away, or every worker failed
        log.warning("the Ray dataset failed: %s", type(error).__name__)
    finally:
        if wave.lost:
            tell(ngettext("A worker of the Ray cluster failed: {count} picture was not described; the others go on.",
                          "A worker of the Ray cluster failed: {count} pictures were not described; the others go "
                          "on.", wave.lost).format(count=wave.lost))
    if not job.stop.is_set():
        yield from wave.ready(math.inf, None)


class _Wave:
    """A wave's files in order, each given as soon as it and all before it are done."""

    def __init__(self, job: FolderJob, plan) -> None:
        self.job = job
        self.plan = plan
        self.outcome_of = {number: outcome for number, outcome, _first in plan}
        self.lost = 0

    def ready(self, passed: float, result: Mapping[str, Any] | None):
        """Takes the result for file number ``passed`` (None: no more will come) and yields the
        outcomes that can be given now, from the plan's head."""
        job = self.job
        while self.plan:
            number, outcome, first = self.plan[0]
            if outcome.record is None and outcome.error is None:
                if first is not None:  # a copy: its first was printed and kept before it
                    stored = job._stored(outcome.content_hash)
                    if stored is not None:
                        job._from_index(outcome, stored, None)
                    else:
                        outcome.error = self.outcome_of[first].error or _lost(outcome.path)
                elif number == passed:
                    _fill(job, outcome, result)
                elif number < passed:
                    outcome.error = _lost(outcome.path)
                    self.lost += 1
                else:
                    return
            self.plan.popleft()
            yield number, outcome


def _fill(job: FolderJob, outcome: Outcome, result: Mapping[str, Any]) -> None:
    for line in str(result.get("notice") or "").splitlines():  # each worker tells it: said here once
        job.tell_once(line)
    if result.get("record"):
        outcome.record = json.loads(result["record"])
        outcome.vector = result.get("vector") or None
        if not job.model_name and result.get("model"):
            job.model_name = str(result["model"])
        # held until it is in the index: a copy later in the wave is given from it
        job._described_here[outcome.content_hash] = {k: v for k, v in outcome.record.items() if k != "path"}
        return
    kind, message, hint = result.get("kind"), str(result.get("error") or ""), result.get("hint") or None
    outcome.error = (ImageError if kind == "image" else SeesayError)(message, hint)
    if kind == "model":  # the model is missing or broken on the cluster: said once, the job stops
        if job.model_error is None:
            job.model_error = outcome.error
            job.stop.set()
        outcome.error = job.model_error


def _lost(path: str) -> SeesayError:
    return SeesayError(_("A worker of the Ray cluster failed while describing {name}; it was not described.").format(
        name=path), _("Run the same command again to describe it."))


@contextmanager
def _core_log_lines_to_log():
    """Ray's C++ core prints its own log lines to standard error, an error among them for every actor
    pool Ray Data starts (ray-project/ray#53727: harmless, and long); a screen reader would read
    them all out. While the job runs, lines in that form go to seesay's log; all else passes as is."""
    try:
        sys.stderr.flush()
        original = os.dup(2)
    except (AttributeError, OSError, ValueError):  # no standard error to look after
        yield
        return
    reading, writing = os.pipe()
    os.dup2(writing, 2)
    os.close(writing)
    forwarder = threading.Thread(target=_forward_stderr, args=(reading, original), name="seesay-ray-stderr",
                                 daemon=True)
    forwarder.start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(original, 2)  # the pipe's last writing end closes: the forwarder reads its end and stops
        forwarder.join(timeout=5)
        os.close(original)


_CORE_LOG_LINE = re.compile(rb"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [DIWEF] \d+ \d+\] \S+\.cc:\d+: ")


def _forward_stderr(reading: int, original: int) -> None:
    waiting = b""
    with os.fdopen(reading, "rb", buffering=0) as pipe:
        while chunk := pipe.read(65536):
            *lines, waiting = (waiting + chunk).split(b"\n")
            for line in lines:
                if _CORE_LOG_LINE.match(line):
                    log.info("ray: %s", line.decode(errors="replace"))
                else:
                    os.write(original, line + b"\n")
    if waiting:
        os.write(original, waiting)
