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
    from seesay.vision.ocr import create_text_reader

    reader, problem = create_text_reader()
    if problem:
        print(problem)
        return 1
    lines = PARAGRAPHS * 3
    for points in (28, 16):
        page = render_text(lines, size=(1920, 1080), points=points)
        reader.read(page)
        seconds = []
        for _ in range(5):
            started = time.perf_counter()
            read = reader.read(page)
            seconds.append(time.perf_counter() - started)
        print(f"{points} px text, 1920x1080, {len(lines)} lines: median {statistics.median(seconds):.3f} s, "
              f"words right {words_right(lines, read.text):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
