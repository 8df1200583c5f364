"""Hotkey to first audible word, split into its parts, under Xvfb with real speech.

    python tests/benchmarks/bench_hotkey_latency.py [--presses 10] [--model tests/fixtures/models/scenes-caption]

Starts a private X server and PulseAudio (null sink), shows a drawn scene full-screen, runs the
seesay app in this process, and presses the screen hotkey with xdotool (real X key events,
through pynput). For each press it records: the key press (just before xdotool runs), the
capture handed to the worker, the worker starting on it, image preprocessing, the model, text
reading (OCR), and
the moment playback of the spoken description starts. ``--screen article`` shows a page of
text with one picture in it: text reading, layout and the batch of captions (the whole
screen, shown only, and the picture on its own crop) are each timed. Prints the median of each part and the
total of everything that is not the model (target: under 150 ms).

With ``--speech speech-dispatcher`` a private Speech Dispatcher (its output module writes to a
file, see tests/fixtures/speech_dispatcher.py) stands in for the screen reader, and "result to
speech start" is the time until the text has been handed to it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixtures.composed_screens import article  # noqa: E402
from fixtures.desktop import pulseaudio_null_sink, xvfb  # noqa: E402
from fixtures.scenes import Scene, draw_scene  # noqa: E402
from fixtures.speech_dispatcher import captured_speech  # noqa: E402

DEFAULT_MODEL = HERE.parent / "fixtures" / "models" / "scenes-caption"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--model", default=str(DEFAULT_MODEL),
                        help="a model folder, or base-sized (BLIP-base's shapes, random weights, built here)")
    parser.add_argument("--window", choices=("shown", "hidden"), default="shown",
                        help="seesay's own window on the screen (hidden for the capture) or not")
    parser.add_argument("--screen", choices=("scene", "article"), default="scene",
                        help="a drawn scene full-screen, or a page of text with one picture in it")
    parser.add_argument("--speech", choices=("own-voice", "speech-dispatcher"), default="own-voice",
                        help="speak with seesay's own voice, or through a private Speech Dispatcher")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="seesay-bench-home-"))
    if args.model == "base-sized":  # BLIP-base's shapes with random weights: the real model's time, not its words
        from fixtures.random_models import build_random_blip

        args.model = str(build_random_blip(home / "blip-base-sized"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / "state"))
    with xvfb(1280, 800) as display, pulseaudio_null_sink() as audio, contextlib.ExitStack() as stack:
        os.environ.update(audio, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        if args.speech == "speech-dispatcher":
            os.environ.update(stack.enter_context(captured_speech()).env)
        scene = Scene("blue", "circle", "white")
        picture = home / "scene.png"
        if args.screen == "article":  # a page of text with one picture in it
            article(5, size=(1280, 800), where="top right", border=True)[0].save(picture)
        else:
            draw_scene(scene, (1280, 800), random.Random(1)).save(picture)
        shown = subprocess.Popen([sys.executable, str(HERE.parent / "fixtures" / "show_image.py"), str(picture)],
                                 stdout=subprocess.PIPE, text=True)
        shown.stdout.readline()
        try:
            return run(args, display, scene)
        finally:
            shown.terminate()


def run(args, display: str, scene: Scene) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from seesay.app.application import SeesayApp
    from seesay.core import settings

    app = QApplication(sys.argv[:1])
    output = "screen-reader" if args.speech == "speech-dispatcher" else "own-voice"
    seesay = SeesayApp(settings.resolve({"model": args.model, "speech_output": output}), save_settings=False)
    marks: dict[str, float] = {}
    rows: list[dict[str, float]] = []
    ready = threading.Event()
    seesay.worker.signals.ready.connect(lambda name: ready.set())

    submit = seesay.capture._on_request

    def captured(request):
        marks["captured"] = time.perf_counter()
        submit(request)

    seesay.capture._on_request = captured
    seesay.worker.signals.started.connect(lambda request: marks.__setitem__("started", time.perf_counter()))

    def described(description):
        marks["described"] = time.perf_counter()
        timings = description.seen.timings
        marks["ocr"], marks["layout"], marks["model"] = timings["text"], timings["layout"], timings["captions"]
        marks["captioned"] = timings["captioned"]
        marks["said"] = description.text

    seesay.worker.signals.described.connect(described)

    def speech_started(utterance):
        if "described" in marks and utterance.text == marks.get("said") and "speaking" not in marks:
            marks["speaking"] = time.perf_counter()

    seesay.start()
    seesay.speaker.listeners.started.append(speech_started)
    presses = iter(range(args.presses))

    def press():
        try:
            next(presses)
        except StopIteration:
            app.quit()
            return
        marks.clear()
        marks["key"] = time.perf_counter()
        subprocess.Popen(["xdotool", "key", "ctrl+alt+shift+d"])
        QTimer.singleShot(100, collect)

    def collect():
        """The next press once this one is heard (or after 30 s): presses never overlap."""
        if {"key", "captured", "started", "described", "speaking"} <= marks.keys():
            rows.append(dict(marks))
        elif time.perf_counter() - marks["key"] < 30:
            QTimer.singleShot(50, collect)
            return
        QTimer.singleShot(1000, press)  # the speech started: let it go on a moment, as a person would

    def wait_ready():
        if ready.is_set():
            if args.window == "hidden":
                seesay.window.hide()
            QTimer.singleShot(1500, press)
        else:
            QTimer.singleShot(100, wait_ready)

    wait_ready()
    app.exec()
    seesay.quit()
    if not rows:
        print("no press was measured completely")
        return 1
    parts = {
        "key to capture": [r["captured"] - r["key"] for r in rows],
        "capture to worker": [r["started"] - r["captured"] for r in rows],
        "text reading (OCR)": [r["ocr"] for r in rows],
        "layout": [r["layout"] for r in rows],
        f"captions ({rows[0]['captioned']} in a batch)": [r["model"] for r in rows],
        "result to speech start": [r["speaking"] - r["described"] for r in rows],
    }
    total = [r["speaking"] - r["key"] for r in rows]
    not_model = [t - r["model"] - r["ocr"] - r["layout"] for t, r in zip(total, rows)]
    print(f"hotkey -> first audible word, {len(rows)} presses, model {Path(args.model).name}, screen {args.screen}, "
          f"seesay's window {args.window}, speech {args.speech} ({seesay.speaker.name}), medians:")
    print(f"  heard: {rows[-1]['said']!r}")
    for name, values in parts.items():
        print(f"  {name:<24} {statistics.median(values) * 1000:8.1f} ms")
    print(f"  {'total':<24} {statistics.median(total) * 1000:8.1f} ms")
    print(f"  {'all but model, OCR, layout':<26} {statistics.median(not_model) * 1000:8.1f} ms "
          f"(max {max(not_model) * 1000:.1f} ms; target < 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
