"""Hotkey to first audible word, and to the last part of the description, under Xvfb with a
window manager and real speech.

    python tests/benchmarks/bench_hotkey_latency.py [--presses 10] [--model FOLDER | base-sized]
        [--screen scene|article|text] [--speech own-voice|speech-dispatcher] [--language de|es]

Starts a private X server with openbox (so the window on the screen is active and has a name, as
on a desktop) and PulseAudio (null sink), shows a drawn scene full-screen in a window named
"Holiday photo - Viewer" (``--screen article``: a page of text with one picture in it, named
"Spring newsletter - Reader"; ``--screen text``: an editor full of text, "notes.txt - Editor"), runs
the seesay app in this process, and presses the screen hotkey with xdotool (real X key events,
through pynput). For each press it records: the key press (just before xdotool runs), the capture
handed to the worker, the worker starting on it, text reading (OCR), layout, the batch of
captions, the description ready, and when each utterance of it started to play. Prints the
medians of "key to first audible word" (whatever is said first: the window's name) and "key to
last part" (the utterance that ends the description starts), and of each step, and the first press
alone (the later presses at the unchanged screen find its text in the reader's memo).

With ``--speech speech-dispatcher`` a private Speech Dispatcher (its output module writes to a
file, see tests/fixtures/speech_dispatcher.py) stands in for the screen reader, and an utterance
"starts" when its text has been handed to it.

With ``--language de`` (or ``es``) seesay speaks German: its own words, and each caption translated
by the trained scene translation model (``--translation-model`` for another, such as a converted
OPUS-MT folder), as a German user hears it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
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
from fixtures.desktop import desktop_with_window_manager, pulseaudio_null_sink, xdotool  # noqa: E402
from fixtures.scenes import Scene, draw_scene  # noqa: E402
from fixtures.speech_dispatcher import captured_speech  # noqa: E402

DEFAULT_MODEL = HERE.parent / "fixtures" / "models" / "scenes-caption"
TRANSLATION_MODELS = HERE.parent / "fixtures" / "models"
TITLES = {"scene": "Holiday photo - Viewer", "article": "Spring newsletter - Reader", "text": "notes.txt - Editor"}


def cpu_name() -> str:
    """The CPU's model and the flags that decide the engine's speed (benchmarks print them)."""
    name, flags = platform.processor() or "unknown CPU", set()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
    return f"{name}, {os.cpu_count()} cores, {' '.join(flag for flag in wanted if flag in flags) or 'no AVX2'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--model", default=str(DEFAULT_MODEL),
                        help="a model folder, or base-sized (BLIP-base's shapes, random weights, built here)")
    parser.add_argument("--window", choices=("shown", "hidden"), default="shown",
                        help="seesay's own window on the screen (hidden for the capture) or not")
    parser.add_argument("--screen", choices=tuple(TITLES), default="scene",
                        help="a drawn scene full-screen, a page of text with one picture in it, or an editor's text")
    parser.add_argument("--language", choices=("en", "de", "es"), default="en",
                        help="the language seesay speaks (captions translated into it)")
    parser.add_argument("--translation-model", default=None,
                        help="the translation model into --language (default: the trained scene one)")
    parser.add_argument("--speech", choices=("own-voice", "speech-dispatcher"), default="own-voice",
                        help="speak with seesay's own voice, or through a private Speech Dispatcher")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="seesay-bench-home-"))
    if args.model == "base-sized":  # BLIP-base's shapes with random weights: the real model's time, not its words
        from fixtures.random_models import build_random_blip

        args.model = str(build_random_blip(home / "blip-base-sized"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / "state"))
    with pulseaudio_null_sink() as audio, desktop_with_window_manager(audio) as (env, processes), \
            contextlib.ExitStack() as stack:
        os.environ.update(audio, DISPLAY=env["DISPLAY"], QT_QPA_PLATFORM="xcb")
        if args.speech == "speech-dispatcher":
            os.environ.update(stack.enter_context(captured_speech()).env)
        picture = home / "screen.png"
        if args.screen == "text":
            command = [str(HERE.parent / "fixtures" / "show_text.py")]
        else:
            if args.screen == "article":
                article(5, size=(1280, 800), where="top right", border=True)[0].save(picture)
            else:
                draw_scene(Scene("blue", "circle", "white"), (1280, 800), random.Random(1)).save(picture)
            command = [str(HERE.parent / "fixtures" / "show_image.py"), str(picture), TITLES[args.screen]]
        shown = subprocess.Popen([sys.executable, *command], stdout=subprocess.PIPE, text=True, env=os.environ)
        processes.append(shown)
        shown.stdout.readline()
        return run(args)


def run(args) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from seesay.app.application import SeesayApp
    from seesay.core import i18n, settings
    from seesay.speech.safe_text import safe_text

    app = QApplication(sys.argv[:1])
    output = "screen-reader" if args.speech == "speech-dispatcher" else "own-voice"
    chosen = {"model": args.model, "speech_output": output, "language": args.language}
    if args.language != "en":
        chosen["translation_model"] = args.translation_model or str(
            TRANSLATION_MODELS / f"scenes-translate-en-{args.language}")
    i18n.use_language(args.language)
    seesay = SeesayApp(settings.resolve(chosen), save_settings=False)
    marks: dict[str, object] = {}
    rows: list[dict] = []
    ready = threading.Event()
    seesay.worker.signals.ready.connect(lambda name: ready.set())
    #: (when, text) of every utterance that started, written on the speech thread: matched to a
    #: press afterwards on this thread, so its order against the signals below does not matter
    starts: list[tuple[float, str]] = []
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
        note = description.request.note
        marks["said"] = f"{note} {description.text}" if note else description.text
        unsaid = description.unsaid  # None: said whole; else what was left after the parts said as known
        parts = marks.get("parts", [])
        last = marks["said"] if unsaid is None else unsaid or (parts[-1] if parts else "")
        marks["last"] = safe_text(last)

    def part_known(part):
        marks.setdefault("parts", []).append(part.text)
        marks.setdefault("part kinds", []).append(part.what)

    seesay.worker.signals.part.connect(part_known)
    seesay.worker.signals.described.connect(described)
    seesay.start()
    seesay.speaker.listeners.started.append(lambda utterance: starts.append((time.perf_counter(), utterance.text)))
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
        """The next press once this one is heard to its last part (or after 30 s): presses never overlap."""
        heard = [(at, text) for at, text in list(starts) if at > marks["key"]]
        last = [at for at, text in heard if text == marks.get("last")]
        if {"captured", "started", "described"} <= marks.keys() and heard and last:
            rows.append({**marks, "first": heard[0][0], "last at": last[0], "first said": heard[0][1],
                         "utterances": [(at - marks["key"], text) for at, text in heard if at <= last[0]]})
        elif time.perf_counter() - marks["key"] < 30:
            QTimer.singleShot(50, collect)
            return
        QTimer.singleShot(1000, press)  # the speech started: let it go on a moment, as a person would

    def wait_ready():
        if ready.is_set():
            if args.window == "hidden":
                seesay.window.hide()
            window = xdotool(os.environ["DISPLAY"], "search", "--name", f"^{TITLES[args.screen]}$").split()[0]
            xdotool(os.environ["DISPLAY"], "windowactivate", window)  # the shown screen is the active window
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
        "key to description ready": [r["described"] - r["key"] for r in rows],
    }
    print(f"CPU: {cpu_name()}")
    print(f"hotkey -> first audible word, {len(rows)} presses, model {Path(args.model).name}, screen {args.screen}, "
          f"seesay's window {args.window}, speech {args.speech} ({seesay.speaker.name}), language {args.language}, "
          "medians:")
    print(f"  heard first: {rows[-1]['first said']!r}; said before the captions: "
          f"{', '.join(rows[-1].get('part kinds', [])) or 'nothing'}")
    print(f"  heard in all: {rows[-1]['said']!r}")
    print("  last press, each utterance's start: " + "; ".join(
        f"+{at * 1000:.0f} ms {text[:24]!r}" for at, text in rows[-1]["utterances"]))
    for name, values in parts.items():
        print(f"  {name:<28} {statistics.median(values) * 1000:8.1f} ms")
    first = [r["first"] - r["key"] for r in rows]
    last = [r["last at"] - r["key"] for r in rows]
    print(f"  {'KEY TO FIRST AUDIBLE WORD':<28} {statistics.median(first) * 1000:8.1f} ms "
          f"(max {max(first) * 1000:.1f} ms; target <= 600 ms)")
    print(f"  {'key to last part heard':<28} {statistics.median(last) * 1000:8.1f} ms")
    # the later presses find the unchanged text in the reader's memo; the first is a first look
    print(f"  first press alone: text reading {rows[0]['ocr'] * 1000:.1f} ms, first audible word "
          f"{first[0] * 1000:.1f} ms, last part {last[0] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
