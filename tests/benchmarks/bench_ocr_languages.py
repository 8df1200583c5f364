"""What reading a second language beside English costs: seesay's text reader with ``eng`` against
``deu+eng`` and ``spa+eng`` on the same screens, interleaved, in one run.

    python tests/benchmarks/bench_ocr_languages.py                  # drawn 1920x1080 pages
    python tests/benchmarks/bench_ocr_languages.py --real-programs  # and the real-program screens (Xvfb)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.text_pages import PARAGRAPHS, render_text, words_right  # noqa: E402

GERMAN = ["Die Größe der Straße überrascht Jürgen jeden Tag, schöne Grüße aus München.",
          "Der Bäcker öffnet früh; süße Brötchen für alle, bis übermorgen!"] * 6
LANGUAGES = {"en": "eng", "de": "deu+eng", "es": "spa+eng"}
ROUNDS = 5


def cpu() -> str:
    """The CPU's model and the flags that change how fast Tesseract's LSTM runs."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    return f"{model}; " + " ".join(flag for flag in flags if flag.startswith(("avx", "fma", "amx")))


def screens(real_programs: bool) -> dict[str, tuple]:
    """name: (picture, the words on it)."""
    found = {"English page, 16 px, 1920x1080": (render_text(PARAGRAPHS * 3, (1920, 1080), 16), PARAGRAPHS * 3),
             "German page, 16 px, 1920x1080": (render_text(GERMAN, (1920, 1080), 16), GERMAN)}
    if real_programs:
        from fixtures.real_programs import WANTED, take_screenshots

        with tempfile.TemporaryDirectory() as folder:
            shots = take_screenshots(Path(folder))
        found.update({f"{name} (1280x800)": (shots[name], WANTED[name]) for name in WANTED})
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real-programs", action="store_true", help="also the real programs' screens (Xvfb)")
    args = parser.parse_args()
    from seesay.vision.ocr import create_text_reader

    print(f"CPU: {cpu()}")
    readers = {}
    for language, data in LANGUAGES.items():
        reader, problem = create_text_reader(language)
        if problem:
            print(problem)
            return 1
        readers[data] = reader
    totals = {data: 0.0 for data in readers}
    for name, (picture, words) in screens(args.real_programs).items():
        seconds = {data: [] for data in readers}
        right = {}
        for reader in readers.values():
            reader.read(picture)  # warm
        for _ in range(ROUNDS):  # interleaved, so every reader sees the same machine
            for data, reader in readers.items():
                reader.forget()  # a first look at the screen, not one remembered
                started = time.perf_counter()
                read = reader.read(picture)
                seconds[data].append(time.perf_counter() - started)
                right[data] = words_right(words, read.text)
        medians = {data: statistics.median(values) for data, values in seconds.items()}
        for data in readers:
            totals[data] += medians[data]
        print(f"{name}: " + "; ".join(f"{data} {medians[data]:.3f} s ({right[data]:.0%} of the words)"
                                      for data in readers)
              + f"; deu+eng / eng {medians['deu+eng'] / medians['eng']:.2f}x")
    print("all screens, sum of medians: " + "; ".join(f"{data} {total:.2f} s" for data, total in totals.items())
          + f"; deu+eng / eng {totals['deu+eng'] / totals['eng']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
