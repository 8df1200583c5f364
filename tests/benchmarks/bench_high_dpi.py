"""Seconds to read real programs at 100% and at 200% (a high-DPI screen), a first look at each.

At 200% the screen is read twice: once as it is (which tells how big its text is drawn,
``vision/drawn_size``) and again from a copy brought back to its usual size. Programs under Xvfb
(``fixtures/real_programs.py``: xterm, zenity, a Qt table), each read in turn, the two sizes
interleaved so both see the same machine.

    python tests/benchmarks/bench_high_dpi.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from bench_hotkey_latency import cpu_name
    from fixtures.real_programs import take_screenshots
    from seesay.vision.ocr import create_text_reader

    reader, problem = create_text_reader()
    if problem:
        print(problem)
        return 1
    shots = {}
    with tempfile.TemporaryDirectory() as folder:
        for scale in (1, 2):
            (Path(folder) / f"at-{scale}").mkdir()
            shots[scale] = take_screenshots(Path(folder) / f"at-{scale}", scale)
    print(f"CPU: {cpu_name()}; {len(shots[1])} programs, 100% at 1280x800 and 200% at 2560x1600, "
          f"{args.repeats} repeats, a first look each time (nothing remembered)")
    seconds = {(name, scale): [] for name in shots[1] for scale in (1, 2)}
    drawn = {}
    for _ in range(args.repeats):
        for name in shots[1]:
            for scale in (1, 2):
                reader.forget()
                started = time.perf_counter()
                read = reader.read(shots[scale][name])
                seconds[name, scale].append(time.perf_counter() - started)
                drawn[name, scale] = read.drawn_at
    print(f"{'program':<20} {'100% s':>8} {'200% s':>8} {'ratio':>6}  told at 200%")
    for name in shots[1]:
        at_100, at_200 = (statistics.median(seconds[name, scale]) for scale in (1, 2))
        print(f"{name:<20} {at_100:8.3f} {at_200:8.3f} {at_200 / at_100:6.2f}  {drawn[name, 2]:g}x")
    totals = [sum(statistics.median(seconds[name, scale]) for name in shots[1]) for scale in (1, 2)]
    print(f"{'all':<20} {totals[0]:8.3f} {totals[1]:8.3f} {totals[1] / totals[0]:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
