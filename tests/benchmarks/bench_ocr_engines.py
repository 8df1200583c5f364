"""Text reading engines compared on real programs (the corpus of tests/e2e/test_real_programs.py:
xterm, GTK dialogs, list and editor, a Qt table, light and dark), in one run: words right, in
order, and seconds per screen.

    python tests/benchmarks/bench_ocr_engines.py [--rapidocr-python PATH]

Engines: seesay's reader (text blocks, each on its own ground, two tesseracts), tesseract's own
page analysis on the whole screen, and RapidOCR (PP-OCR models on ONNX Runtime) when a Python
with the ``rapidocr`` and ``onnxruntime`` packages is given (it is not a dependency of seesay:
``python3 -m venv /tmp/rapid && /tmp/rapid/bin/pip install rapidocr onnxruntime``). Each engine
reads each screen three times; the median time is printed (RapidOCR's models are loaded before
the clock starts). "seesay, no terminal cells" reads a terminal's grid as any big block, in pieces
(``glyphs=False``). "seesay, inverted pass" is seesay's reader with tesseract's second reading of
unsure lines inverted left on (it is off: blocks are redrawn dark on light before reading).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.real_programs import WANTED, full_screen_terminal, take_screenshots  # noqa: E402
from fixtures.text_pages import names_in_order, words_right  # noqa: E402

#: The 1920x1080 screen of a terminal's tiny text (xterm, ls -l of 78 files): file names found in order.
FULL = "terminal, 1920x1080"

RAPID = """
import json, statistics, sys, time
from rapidocr import RapidOCR
engine = RapidOCR()
result = {}
for path in sys.argv[1:]:
    times, text = [], ""
    for _ in range(3):
        started = time.perf_counter()
        out = engine(path)
        times.append(time.perf_counter() - started)
        text = "\\n".join(out.txts or ())
    result[path] = [text, statistics.median(times)]
print(json.dumps(result))
"""


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else ():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def timed(reader, image) -> tuple[str, float]:
    times, text = [], ""
    for _ in range(3):
        reader.forget()  # each a first look at the screen, not one remembered
        read = reader.read(image)
        times.append(read.seconds)
        text = read.text
    return text, statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapidocr-python", help="a Python that has rapidocr and onnxruntime")
    options = parser.parse_args()
    from seesay.vision.ocr import TesseractReader, find_tessdata

    tessdata = find_tessdata()
    if tessdata is None:
        print("no tesseract language data")
        return 1
    engines = {"seesay (blocks)": TesseractReader(tessdata),
               "seesay, no terminal cells": TesseractReader(tessdata, glyphs=False),
               "seesay, inverted pass": TesseractReader(tessdata, inverted_lines=True),
               "tesseract page": TesseractReader(tessdata, blocks=False)}
    with tempfile.TemporaryDirectory(prefix="seesay-bench-") as folder:
        shots = take_screenshots(Path(folder))
        (Path(folder) / "full").mkdir()
        shots[FULL], listing = full_screen_terminal(Path(folder) / "full")
        shots[FULL].save(Path(folder) / f"{FULL}.png")
        wanted = {**WANTED, FULL: [word for word in listing if word.endswith(".txt")]}
        results = {name: {} for name in engines}
        for screen in wanted:  # engines in turn on each screen, so all see the same machine
            for name, reader in engines.items():
                results[name][screen] = timed(reader, shots[screen])
        if options.rapidocr_python:
            paths = {screen: str(Path(folder) / f"{screen}.png") for screen in wanted}
            started = time.perf_counter()
            done = subprocess.run([options.rapidocr_python, "-c", RAPID, *paths.values()], capture_output=True,
                                  text=True, timeout=1800, check=True)
            print(f"RapidOCR run: {time.perf_counter() - started:.1f} s", file=sys.stderr)
            found = json.loads(done.stdout.strip().splitlines()[-1])
            results["RapidOCR"] = {screen: tuple(found[path]) for screen, path in paths.items()}
    print(f"CPU: {cpu()}; screens 1280x800 (and {FULL}: file names found); words right in order, median of 3 reads")
    names = list(results)
    print("| screen | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    totals = {name: [0.0, 0.0] for name in names}
    for screen, words in wanted.items():
        cells = []
        for name in names:
            text, seconds = results[name][screen]
            right = names_in_order(words, text) / len(words) if screen == FULL else words_right(words, text)
            totals[name][0] += right / len(wanted)
            totals[name][1] += seconds / len(wanted)
            cells.append(f"{right:.0%}, {seconds:.2f} s")
        print(f"| {screen} | " + " | ".join(cells) + " |")
    print("| mean | " + " | ".join(f"{totals[name][0]:.0%}, {totals[name][1]:.2f} s" for name in names) + " |")
    looks_again(engines["seesay (blocks)"], shots[FULL], wanted[FULL])
    return 0


def looks_again(reader, screen, names: list[str], rounds: int = 3) -> None:
    """The full-screen terminal read as a first look, looked at again unchanged, and after it
    printed one more line (every line 13 pixels up, the last row blank): the pieces read before
    are taken from the reader's memo."""
    ground = screen.getpixel((screen.width - 3, screen.height - 3))
    scrolled = screen.copy()
    scrolled.paste(screen.crop((0, 13, screen.width, screen.height)), (0, 0))
    scrolled.paste(ground, (0, screen.height - 13, screen.width, screen.height))
    times = {"first look": [], "again, unchanged": [], "after one more line": []}
    for _ in range(rounds):
        reader.forget()
        for name, image in zip(times, (screen, screen, scrolled)):
            read = reader.read(image)
            times[name].append(read.seconds)
            assert names_in_order(names, read.text) >= 0.95 * len(names) - 1, name
    print(f"{FULL}, seesay's reader, median of {rounds}: " + "; ".join(
        f"{name} {statistics.median(values):.2f} s" for name, values in times.items()))


if __name__ == "__main__":
    sys.exit(main())
