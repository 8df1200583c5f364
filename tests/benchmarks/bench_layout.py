"""How long finding the pictures inside a capture takes (target: 50 ms on 1920x1080).

    python tests/benchmarks/bench_layout.py [--repeats 15]

Composed 1920x1080 screens (an article, a chat, a gallery of five, a page of text, a dialog)
and one 5760x1080 capture (three monitors); the text boxes come from the real reader, read
once beforehand, since the layout is timed on its own. Prints the CPU and the median and
worst time per screen.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixtures import composed_screens as screens  # noqa: E402


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    from PIL import Image

    from seesay.describe.layout import find_layout
    from seesay.vision.ocr import create_text_reader

    size = (1920, 1080)
    cases = {
        "article": screens.article(1, size=size)[0],
        "chat": screens.chat(2, size=size)[0],
        "gallery of 5": screens.gallery(3, 5, size=size)[0],
        "page of text": screens.text_page(4, size=size),
        "dialog": screens.dialog(5, size=size),
    }
    wide = Image.new("RGB", (5760, 1080), "white")
    wide.paste(cases["article"], (1920, 0))
    cases["three monitors"] = wide
    reader, problem = create_text_reader()
    if problem:
        print(problem)
    print(f"layout of a capture, {cpu_name()}, {args.repeats} repeats each (median, worst):")
    for name, image in cases.items():
        read = reader.read(image)
        boxes = [(line.box, line.confidence) for line in read.lines]
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            layout = find_layout(image, boxes)
            times.append(time.perf_counter() - started)
        print(f"  {name:<16} {image.size[0]}x{image.size[1]}  {statistics.median(times) * 1000:6.1f} ms  "
              f"{max(times) * 1000:6.1f} ms  pictures {len(layout.pictures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
