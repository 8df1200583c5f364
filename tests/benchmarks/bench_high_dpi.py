"""Seconds to read real programs at 100%, at 150% and at 200% (a high-DPI screen), a first look at each.

At 200% the screen is read twice: once as it is (which tells how big its text is drawn,
``vision/drawn_size``) and again from a copy brought back to its usual size. At 150% (the 200%
screen reduced by a quarter, as GNOME's fractional scaling draws it) the capture gives the
desktop's scale, 1.5, and the screen is read twice too. Programs under Xvfb
(``fixtures/real_programs.py``: xterm, zenity, a Qt table), each read in turn, the sizes
interleaved so all see the same machine.

    python tests/benchmarks/bench_high_dpi.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

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
    shots[1.5] = {name: shot.resize((1920, 1200), Image.Resampling.BILINEAR) for name, shot in shots[2].items()}
    scales = (1, 1.5, 2)
    print(f"CPU: {cpu_name()}; {len(shots[1])} programs, 100% at 1280x800, 150% at 1920x1200 (read with the "
          f"desktop's scale) and 200% at 2560x1600, {args.repeats} repeats, a first look each time "
          "(nothing remembered)")
    seconds = {(name, scale): [] for name in shots[1] for scale in scales}
    drawn = {}
    for _ in range(args.repeats):
        for name in shots[1]:
            for scale in scales:
                reader.forget()
                started = time.perf_counter()
                read = reader.read(shots[scale][name], 1.5 if scale == 1.5 else None)
                seconds[name, scale].append(time.perf_counter() - started)
                drawn[name, scale] = read.drawn_at
    print(f"{'program':<20} {'100% s':>8} {'150% s':>8} {'ratio':>6} {'200% s':>8} {'ratio':>6}  told at 200%")
    for name in shots[1]:
        at_100, at_150, at_200 = (statistics.median(seconds[name, scale]) for scale in scales)
        print(f"{name:<20} {at_100:8.3f} {at_150:8.3f} {at_150 / at_100:6.2f} {at_200:8.3f} {at_200 / at_100:6.2f}"
              f"  {drawn[name, 2]:g}x")
    totals = [sum(statistics.median(seconds[name, scale]) for name in shots[1]) for scale in scales]
    print(f"{'all':<20} {totals[0]:8.3f} {totals[1]:8.3f} {totals[1] / totals[0]:6.2f} {totals[2]:8.3f} "
          f"{totals[2] / totals[0]:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
