"""seesay beside a screen reader, under a real window manager (Xvfb + openbox, EWMH): it never takes
the focus from the program the person is in, and what it said last can be copied for review."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from fixtures.desktop import desktop_with_window_manager, end_process, wait_until, xdotool
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 1280, 800
READY = "Ready. Drop, paste or open a picture."
#: The picture in the program the person is in, half under seesay's window.
PROGRAM = Scene("green", "circle", "black")


@pytest.fixture(scope="module")
def desktop(pulse_env):
    with desktop_with_window_manager(pulse_env, WIDTH, HEIGHT) as (env, processes):
        yield env, processes


@pytest.fixture(scope="module")
def speech_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech")


def said(speech_dir: Path) -> list[str]:
    return [p.read_text().strip() for p in sorted(speech_dir.glob("*.txt"))]


def wait_said(speech_dir: Path, predicate, after: int = 0, timeout: float = 30) -> str:
    """What was heard from utterance number ``after`` up to the first one for which ``predicate``
    holds, as one text: a description's parts are said as they are known (the window's name at
    once, then what it shows)."""
    found: list[str] = []

    def check():
        lines = said(speech_dir)[after:]
        matching = [index for index, line in enumerate(lines) if predicate(line)]
        found[:] = lines[:matching[0] + 1] if matching else []
        return bool(found)

    assert wait_until(check, timeout), said(speech_dir)[after:]
    return " ".join(found)


def show(env, path: Path, script: str = "show_window.py", *extra: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(FIXTURES / script), str(path), *extra], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "shown"
    return process


@pytest.fixture(scope="module")
def seesay(desktop, scene_model, speech_dir, tmp_path_factory):
    """The app, started once for the module, with its window open; a full-screen scene behind it."""
    env, processes = desktop
    pictures = tmp_path_factory.mktemp("pictures")
    Image.new("RGB", (WIDTH, HEIGHT), "black").save(pictures / "desktop.png")
    processes.append(show(env, pictures / "desktop.png", "show_image.py", "desktop"))
    draw_scene(PROGRAM, (1200, 740), random.Random(4)).save(pictures / "program.png")
    processes.append(show(env, pictures / "program.png", "show_picture_at.py", "40", "30", "Picture viewer"))
    app = subprocess.Popen([sys.executable, "-m", "seesay", "--model", str(scene_model), "--speech-output",
                            "own-voice", "--speech-dir", str(speech_dir)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_said(speech_dir, lambda line: line == READY, timeout=60)
        yield app
    finally:
        end_process(app)


def test_a_capture_never_takes_the_focus_from_the_program_in_use(desktop, seesay, speech_dir):
    """The person is in another program, with seesay's window open on top of part of it."""
    display = desktop[0]["DISPLAY"]
    ours = xdotool(display, "search", "--onlyvisible", "--name", "^seesay$").split()
    assert ours, "seesay's window should be open for this test"
    program = xdotool(display, "search", "--name", "^Picture viewer$").split()[0]
    xdotool(display, "windowactivate", "--sync", ours[0])  # on top, covering half of the program's picture,
    xdotool(display, "windowfocus", "--sync", program)  # but the focus is in the program (not raised)
    assert wait_until(lambda: xdotool(display, "getactivewindow") == program, 5)
    time.sleep(0.3)
    before = len(said(speech_dir))

    xdotool(display, "key", "ctrl+alt+shift+d")
    heard = wait_said(speech_dir, lambda line: "background" in line, after=before)
    # the program in use named, then its picture, whole: seesay's window was out of it
    assert heard == f"Picture viewer. {PROGRAM.caption}"
    assert wait_until(lambda: xdotool(display, "search", "--onlyvisible", "--name", "^seesay$"), 5)
    time.sleep(0.5)  # a window manager activates a window it maps at once; give it time to do it wrongly
    assert xdotool(display, "getactivewindow") == program
    active = subprocess.run(["xprop", "-root", "_NET_ACTIVE_WINDOW"], env=desktop[0], capture_output=True,
                            text=True, timeout=10).stdout
    assert int(active.split("#")[-1].split(",")[0], 16) == int(program)


def test_a_capture_leaves_the_focus_in_seesay_when_the_person_was_there(desktop, seesay, speech_dir):
    display = desktop[0]["DISPLAY"]
    ours = xdotool(display, "search", "--onlyvisible", "--name", "^seesay$").split()[0]
    xdotool(display, "windowactivate", "--sync", ours)
    assert wait_until(lambda: xdotool(display, "getactivewindow") == ours, 5)
    time.sleep(0.3)
    before = len(said(speech_dir))

    xdotool(display, "key", "ctrl+alt+shift+d")
    heard = wait_said(speech_dir, lambda line: "background" in line, after=before)
    assert PROGRAM.caption in heard  # seesay's window, in front, was out of the picture
    assert wait_until(lambda: xdotool(display, "getactivewindow") == ours, 5)


def thread_nice(pid: int) -> dict[str, list[int]]:
    """Each thread's name, with the nice values of the threads of that name (from /proc)."""
    threads: dict[str, list[int]] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a thread that just ended
            continue
        threads.setdefault(name, []).append(int(fields[16]))  # stat field 19: nice
    return threads


def test_the_model_runs_below_normal_priority_and_the_window_at_normal(seesay):
    threads = thread_nice(seesay.pid)
    # the worker, and the threads it started (they inherit its name and its priority)
    assert threads["seesay-worker"] and set(threads["seesay-worker"]) == {10}, threads
    main = int(Path(f"/proc/{seesay.pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    assert main == 0  # the window and the keys stay quick


def clipboard_text(env) -> str:
    return subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=env, capture_output=True, text=True,
                          timeout=10).stdout


def test_the_review_key_and_seesay_copy_put_the_last_description_on_the_clipboard(desktop, seesay, speech_dir):
    env = desktop[0]
    display = env["DISPLAY"]
    program = xdotool(display, "search", "--name", "^Picture viewer$").split()[0]
    xdotool(display, "windowactivate", "--sync", program)
    before = len(said(speech_dir))
    xdotool(display, "key", "ctrl+alt+shift+d")
    heard = wait_said(speech_dir, lambda line: "background" in line, after=before)

    xdotool(display, "key", "ctrl+alt+shift+c")
    wait_said(speech_dir, lambda line: line == "Copied.", after=before)
    assert clipboard_text(env) == heard  # exactly what was heard, to read at one's own pace or paste

    # something else is copied (xclip in the foreground, serving one request: ours, just below)
    other = subprocess.Popen(["xclip", "-quiet", "-loops", "1", "-selection", "clipboard", "-i"], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        other.stdin.write("something else")
        other.stdin.close()
        assert wait_until(lambda: clipboard_text(env) == "something else", 5)
    finally:
        end_process(other)
    copied = len(said(speech_dir))
    result = subprocess.run([sys.executable, "-m", "seesay", "--copy"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    wait_said(speech_dir, lambda line: line == "Copied.", after=copied)
    assert clipboard_text(env) == heard


def run_seesay(env, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "seesay", *args], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_describe_rect_describes_exactly_what_the_screen_reader_is_on_with_its_label_first(
        desktop, seesay, speech_dir, tmp_path):
    env = desktop[0]
    shown = {(60, 80): Scene("red", "triangle", "white"), (470, 80): Scene("blue", "square", "black"),
             (880, 80): Scene("yellow", "circle", "black")}
    windows = []
    try:
        for number, ((left, top), scene) in enumerate(shown.items()):
            path = tmp_path / f"{number}.png"
            draw_scene(scene, (320, 240), random.Random(number + 11)).save(path)
            windows.append(show(env, path, "show_picture_at.py", str(left), str(top), f"picture {number}"))
        for (left, top), scene in list(shown.items())[1:]:  # the middle one, then the right one
            before = len(said(speech_dir))
            run_seesay(env, "--describe", "rect", f"{left},{top},320,240", "--label", "graphic, team photo")
            heard = wait_said(speech_dir, lambda line: "background" in line, after=before)
            assert heard == f"graphic, team photo: {scene.caption}"

        before = len(said(speech_dir))  # no label: just what is there
        run_seesay(env, "--describe", "rect", "60,80,320,240")
        assert wait_said(speech_dir, lambda line: "background" in line, after=before) == shown[(60, 80)].caption

        before = len(said(speech_dir))  # partly off the screen (a monitor that is not there): cut to it
        run_seesay(env, "--describe", "rect", "880,80,700,240", "--label", "graphic")
        heard = wait_said(speech_dir, lambda line: "background" in line, after=before)
        assert heard == f"graphic: {shown[(880, 80)].caption}"
    finally:
        for window in windows:
            end_process(window)


@pytest.mark.parametrize(("rect", "message"), [
    ("team photo", "The rectangle team photo is not four whole numbers: X,Y,WIDTH,HEIGHT in screen pixels, "
                   "for example 100,200,640,480."),
    ("10,10,0,50", "The rectangle 10,10,0,50 has no area: its width and height must be more than 0."),
    ("10,10,-40,50", "The rectangle 10,10,-40,50 has no area: its width and height must be more than 0."),
    ("10,10,3,3", "The rectangle 10,10,3,3 is too small to describe: it must be at least 8 pixels wide and high."),
    ("5000,100,200,200", "The rectangle 5000,100,200,200 is outside the screen, which is 1280 by 800 pixels from "
                         "0,0."),
    ("-500,-400,200,200", "The rectangle -500,-400,200,200 is outside the screen, which is 1280 by 800 pixels "
                          "from 0,0."),
])
def test_a_rectangle_that_cannot_be_described_is_said_to_be_so(desktop, seesay, speech_dir, rect, message):
    before = len(said(speech_dir))
    run_seesay(desktop[0], "--describe", "rect", rect, "--label", "graphic")
    wait_said(speech_dir, lambda line: line == message, after=before, timeout=15)
