from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SCENE_CAPTION_MODEL = TESTS / "fixtures" / "models" / "scenes-caption"
SCENE_VQA_MODEL = SCENE_CAPTION_MODEL.parent / "scenes-vqa"


#: Set in every process the tests start (they inherit it): a process still running at the end that
#: carries it was left behind by this run, even one that left its parent (a daemon) or whose parent died.
SESSION_MARK = "SEESAY_TEST_SESSION"
TORCH_CACHE = "torch-compiler-cache"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """The widgets a test closed are deleted when it ends. pytest-qt closes them and asks Qt to delete
    them later, but only a running event loop does that, and most tests never run one: the windows of
    every earlier test stayed, each style change went through all of them, and a later test took 15 s
    instead of a fraction of one."""
    yield
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session", autouse=True)
def _no_process_or_temporary_folder_left_behind(tmp_path_factory):
    """A whole run leaves no process and no temporary folder behind: every process a test starts
    carries this run's mark, and every temporary file goes to this run's own temporary folder. What
    is left at the end is named, ended by its PID, removed, and fails the run."""
    tmp_path_factory.getbasetemp()  # pytest's own folders stay where pytest keeps (and prunes) them
    mark = f"{os.getpid()}-{time.time_ns()}"
    os.environ[SESSION_MARK] = mark
    temporary = Path(tempfile.mkdtemp(prefix="seesay-tests-"))
    temporary.chmod(0o1777)  # as /tmp: helpers run as another user (nobody) write there too
    old_tempdir, old_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(temporary)
    os.environ["TMPDIR"] = str(temporary)
    # torch makes a compiler cache in the temporary folder when a model is loaded (torchinductor_<user>),
    # and keeps it: a cache, not something a test forgot; it is removed with the folder
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(temporary / TORCH_CACHE)
    yield
    tempfile.tempdir = old_tempdir
    if old_env is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = old_env
    problems = []
    left = _processes_left(mark)
    if left:
        deadline = time.monotonic() + 5  # a process ended just now may still be on its way out
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = _processes_left(mark)
    if left:
        problems.append("processes left running: " + "; ".join(f"{pid} {command}" for pid, command in left.items()))
        for pid in left:
            _end_by_pid(pid)
    leftovers = sorted(str(path.relative_to(temporary)) for entry in temporary.iterdir() if entry.name != TORCH_CACHE
                       for path in _left_in(entry))
    if leftovers:
        problems.append(f"temporary files left in {temporary}: " + ", ".join(leftovers))
    shutil.rmtree(temporary, ignore_errors=True)
    if problems:
        pytest.fail("This run left things behind:\n" + "\n".join(problems), pytrace=False)


def _left_in(entry: Path) -> list[Path]:
    """What counts as left behind in ``entry``: all of it, except what seesay keeps on purpose in its
    private folder for the socket (``seesay-<uid>``, used without XDG_RUNTIME_DIR): the folders (made
    again, they could be made first by someone else) and the instance lock file (a flock lock file
    removed on quit would let two seesays starting at once hold two different locks). A socket
    left there counts."""
    if entry.name != f"seesay-{os.getuid()}" or entry.is_symlink() or not entry.is_dir():
        return [entry]
    return [path for path in entry.rglob("*") if not path.is_dir() and not path.name.endswith(".sock.lock")]


def _processes_left(mark: str) -> dict[int, str]:
    """PID -> command line of every live process (not a zombie) that descends from this one or carries
    ``mark``."""
    found, parents, states, carrying = {}, {}, {}, set()
    wanted = f"{SESSION_MARK}={mark}".encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            states[int(entry.name)], parents[int(entry.name)] = fields[0], int(fields[1])
            with open(f"/proc/{entry.name}/environ", "rb") as environ:
                if wanted in environ.read().split(b"\0"):
                    carrying.add(int(entry.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    ours = {os.getpid()}  # and every descendant, whatever its environment
    while True:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        if not more:
            break
        ours |= more
    for pid in sorted((ours - {os.getpid()}) | carrying):
        try:
            if states[pid] not in (b"Z", b"X"):
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    found[pid] = cmdline.read().replace(b"\0", b" ").decode(errors="replace")[:200]
        except OSError:
            continue
    return found


def _end_by_pid(pid: int) -> None:
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sent)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Logs, caches and configs go to a temporary home; nothing reaches the network."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))  # the picture index
    monkeypatch.setenv("LANGUAGE", "en")  # tests read seesay's English, whatever this machine's locale
    monkeypatch.setenv("HF_HOME", str(home / ".cache" / "huggingface"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the discard port: refused at once
    # run from a Wayland desktop's terminal, seesay would capture that desktop through its portal and ask it
    # for keys, not the test's own X server: a test that wants Wayland starts its own (fixtures/wayland.py)
    for name in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "SWAYSOCK", "I3SOCK"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(scope="session")
def scene_model() -> Path:
    assert (SCENE_CAPTION_MODEL / "model.safetensors").is_file(), (
        "the trained scene model is missing: run python tests/fixtures/train_scene_models.py"
    )
    return SCENE_CAPTION_MODEL


@pytest.fixture(scope="session")
def vqa_model() -> Path:
    assert (SCENE_VQA_MODEL / "model.safetensors").is_file(), (
        "the trained question-answering model is missing: run python tests/fixtures/train_scene_models.py vqa"
    )
    return SCENE_VQA_MODEL


@pytest.fixture(scope="module")
def scene_look(scene_model: Path) -> tuple:
    """The scene caption model and the real text reader: what ``describe.pipeline.look`` needs."""
    from seesay.vision.engine import load_captioner
    from seesay.vision.ocr import create_text_reader

    captioner = load_captioner({"model": str(scene_model), "precision": "auto", "device": "cpu"},
                               folder=scene_model)
    reader, problem = create_text_reader()
    assert problem is None, problem
    return captioner, reader


@pytest.fixture
def scene_model_copy(scene_model, tmp_path) -> Path:
    copy = tmp_path / "scenes-caption"
    shutil.copytree(scene_model, copy)
    return copy


@pytest.fixture(scope="session")
def pulse_env():
    """Environment for a real, real-time audio output (PulseAudio with a null sink)."""
    from fixtures.desktop import pulseaudio_null_sink

    with pulseaudio_null_sink() as env:
        yield env


@pytest.fixture
def audio(pulse_env, monkeypatch):
    for key, value in pulse_env.items():
        monkeypatch.setenv(key, value)
    return pulse_env


@pytest.fixture(scope="session")
def slow_model(tmp_path_factory) -> Path:
    """A random-weight BLIP big enough that one caption takes a noticeable time (threading tests)."""
    from fixtures.random_models import build_random_blip

    return build_random_blip(tmp_path_factory.mktemp("slow-model"), hidden=384, layers=6, image_size=384)


# ---- Speech Dispatcher ------------------------------------------------------------------------------
# Here for every test folder: libspeechd keeps the socket path it first used for the life of the process,
# so the unit and GUI tests of one run must share one private Speech Dispatcher runtime folder.
@pytest.fixture(scope="session")
def speech_dispatcher():
    """One private Speech Dispatcher runtime folder for every test in this process: the client library
    keeps the socket path it first used for the life of the process, so a second folder is never reached."""
    from fixtures.speech_dispatcher import captured_speech

    with captured_speech() as capture:
        yield capture


def _use(capture, monkeypatch, broken=False):
    capture.use(broken=broken)
    for key, value in capture.env.items():
        monkeypatch.setenv(key, value)
    return capture


@pytest.fixture
def speechd(speech_dispatcher, monkeypatch):
    """A Speech Dispatcher that writes what it is asked to say to a file (started on first use)."""
    return _use(speech_dispatcher, monkeypatch)


@pytest.fixture
def no_speechd(speech_dispatcher, monkeypatch):
    """A Speech Dispatcher is installed but cannot start (as on a machine without sound)."""
    return _use(speech_dispatcher, monkeypatch, broken=True)
