"""Seconds to read a 1920x1080 screen of text (target: 0.3 s on 2 cores), and words right.

    python tests/benchmarks/bench_ocr.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.text_pages import PARAGRAPHS, render_text, words_right  # noqa: E402


def main() -> int:
    from seesay.vision import ocr

    tessdata = ocr.find_tessdata()
    if tessdata is None:
        print("no tesseract language data")
        return 1
    readers = {"whole page, one thread": ocr.TesseractReader(tessdata, split=False),
               "cut in two, two threads (seesay)": ocr.TesseractReader(tessdata)}
    lines = PARAGRAPHS * 3
    for points in (28, 16):
        page = render_text(lines, size=(1920, 1080), points=points)
        seconds = {name: [] for name in readers}
        for reader in readers.values():
            reader.read(page)
        for _ in range(7):  # interleaved, so both see the same machine
            for name, reader in readers.items():
                reader.forget()  # a first look at the page, not one remembered
                started = time.perf_counter()
                read = reader.read(page)
                seconds[name].append(time.perf_counter() - started)
                right = words_right(lines, read.text)
                assert right >= 0.95, (name, right)
        medians = {name: statistics.median(values) for name, values in seconds.items()}
        for name, value in medians.items():
            print(f"{points} px text, 1920x1080, {len(lines)} lines, {name}: median {value:.3f} s "
                  f"(min {min(seconds[name]):.3f}, max {max(seconds[name]):.3f})")
        whole, split = medians.values()
        print(f"{points} px: cut in two takes {split / whole:.2f}x the time of the whole page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
