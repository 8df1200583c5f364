"""The one-folder PyInstaller bundle (packaging/seesay.spec) builds, starts and describes a picture.

Slow: the build takes about 2.5 minutes on 2 cores and needs about 1.2 GB in a temporary folder
(the 700 MB bundle and PyInstaller's work files, removed afterwards). Skipped when PyInstaller is not installed
(``pip install -e .[bundle]``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.scenes import Scene, draw_scene
from fixtures.speech_dispatcher import captured_speech

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "seesay.spec"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed: pip install -e .[bundle]"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """Build the bundle once for this module; yields the path of its ``seesay`` program."""
    root = tmp_path_factory.mktemp("bundle")
    home = root / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "PYINSTALLER_CONFIG_DIR": str(root / "pyinstaller-cache")}
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(root / "dist"), "--workpath", str(root / "work"), str(SPEC)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500,
    )
    assert build.returncode == 0, f"PyInstaller failed:\n{build.stdout[-3000:]}\n{build.stderr[-6000:]}"
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    shutil.rmtree(root / "work", ignore_errors=True)  # 480 MB of intermediate files
    program = root / "dist" / "seesay" / ("seesay.exe" if sys.platform == "win32" else "seesay")
    assert program.is_file()
    yield program
    shutil.rmtree(root, ignore_errors=True)  # pytest keeps the last three runs' folders otherwise


def run_bundle(program: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


def test_bundle_is_the_size_the_readme_says(bundle):
    """The README says "about N MB": the folder measured here is within a fifth of it."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"make bundle .*-> dist/seesay/, about (\d+) MB", readme)
    assert said, "the README no longer says how big the bundle is"
    folder = bundle.parent
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    print(f"bundle: {size / 1e6:.0f} MB")
    assert abs(size / 1e6 - int(said.group(1))) <= int(said.group(1)) / 5, f"{size / 1e6:.0f} MB"


def test_bundle_prints_its_version(bundle):
    from seesay import __version__

    result = run_bundle(bundle, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"seesay {__version__}"


def test_bundle_describes_a_scene(bundle, scene_model, tmp_path):
    scenes = [Scene("red", "circle", "white"), Scene("blue", "triangle", "black")]
    pictures = []
    for number, scene in enumerate(scenes):
        pictures.append(tmp_path / f"scene{number}.png")
        draw_scene(scene, (400, 300), random.Random(number + 1)).save(pictures[-1])

    result = run_bundle(bundle, "describe", "--json", "--model", str(scene_model), *map(str, pictures))

    assert result.returncode == 0, result.stdout + result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("caption") for line in lines] == [scene.caption for scene in scenes], lines


def test_bundle_describes_a_scene_in_german(bundle, scene_model, tmp_path):
    """The bundle reads a hub Marian folder (the trained German test model) with its own loop."""
    picture = tmp_path / "scene.png"
    draw_scene(Scene("red", "circle", "white"), (400, 300), random.Random(1)).save(picture)
    german = ROOT / "tests" / "fixtures" / "models" / "scenes-translate-en-de"
    state = tmp_path / "state"  # where the log is written
    result = run_bundle(bundle, "describe", "--json", "--no-index", "--language", "de", "--model", str(scene_model),
                        "--translation-model", str(german), str(picture), XDG_STATE_HOME=str(state))

    assert result.returncode == 0, result.stdout + result.stderr
    said = [json.loads(line)["said"] for line in result.stdout.splitlines()]
    assert said == ["ein roter Kreis auf weißem Hintergrund"], (said, result.stderr[-2000:])
    # the translation's and the caption decoder's steps are compiled by TorchScript, which needs
    # their source beside the archive
    for source in ("translation/marian_steps.py", "vision/decoder_script.py", "vision/scripted.py"):
        assert list(bundle.parent.rglob(f"seesay/{source}")), source
    logged = "".join(path.read_text(encoding="utf-8") for path in state.rglob("seesay.log*"))
    assert "could not compile" not in logged, logged


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop menu entries are Linux's")
def test_bundle_adds_itself_to_the_menu(bundle, tmp_path):
    """The menu entry starts the bundle's own program, with the icons from inside the bundle."""
    data = tmp_path / "data"
    result = run_bundle(bundle, "install-desktop", XDG_DATA_HOME=str(data))

    assert result.returncode == 0, result.stderr
    entry = (data / "applications" / "org.seesay.Seesay.desktop").read_text(encoding="utf-8")
    assert f"Exec={bundle}\n" in entry
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "org.seesay.Seesay.svg").is_file()
    assert (data / "metainfo" / "org.seesay.Seesay.metainfo.xml").is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux Qt platform plugins")
def test_bundle_window_starts_offscreen(bundle, scene_model, tmp_path):
    """The window comes up with the bundled Qt (offscreen platform plugin) and loads the model."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    log_file = Path(os.environ["XDG_STATE_HOME"]) / "seesay" / "log" / "seesay.log"
    app = subprocess.Popen([str(bundle), "--model", str(scene_model), "--speech-output", "silent"], env=env,  # no sound here
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and app.poll() is None:
            if log_file.is_file() and "Ready." in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)  # polling a file another process writes: there is no signal to wait on
        assert app.poll() is None, f"the bundled window exited ({app.returncode}):\n{app.stdout.read()}"
        assert "Ready." in log_file.read_text(encoding="utf-8")
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        app.stdout.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Speech Dispatcher is Linux's")
def test_bundle_speaks_through_speech_dispatcher(bundle, scene_model):
    """prismatoid's native libraries are in the bundle: with default settings it speaks through a
    (private, capturing) Speech Dispatcher."""
    with captured_speech() as speechd:
        env = {**os.environ, **speechd.env, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        app = subprocess.Popen([str(bundle), "--model", str(scene_model)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            speechd.wait_said("Ready. Drop, paste or open a picture.", 120)
        finally:
            app.terminate()
            app.wait(20)
