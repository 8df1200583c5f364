"""A good neighbour: how late a screen reader's small periodic work runs while seesay captions.

    python tests/benchmarks/bench_neighbour.py [--seconds 12] [--rounds 2] [--model medium|base-sized|FOLDER]

A stand-in for the screen reader, in a process of its own, wakes every 10 ms, does a little work
(about 0.3 ms, as a screen reader handling an event) and records how late each wake-up came.
Meanwhile a second process captions a screenshot-sized picture over and over, as seesay's worker
thread does, with

  old: torch on every core, the worker at normal priority (seesay before issue 20)
  new: torch on (cores - 1) threads, the worker thread below normal priority (seesay now)

and once with nothing running (idle). The phases are interleaved (idle, old, new, idle, old,
new, ...) so they see the same machine; per phase the 50th and 99th percentile and the worst
lateness are printed, with the captions done and the CPU. The goal: the 99th percentile under
20 ms while a caption runs.

The model has BLIP's architecture with random weights ("medium": 512 wide, 8 layers, 384 px;
"base-sized": BLIP-base's shapes, slower to build), built once into a temporary folder: the
load it puts on the cores is what matters here, not its words.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
PERIOD = 0.010
WORK = 0.0003


def cpu_description() -> str:
    name, flags = platform.processor() or "unknown CPU", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                wanted = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile")
                present = set(line.split(":", 1)[1].split())
                flags = " ".join(flag for flag in wanted if flag in present)
    except OSError:
        pass
    return f"{name}; {os.cpu_count()} cores; flags: {flags or 'none of note'}"


# ---- the screen reader's stand-in ---------------------------------------------------------------
def neighbour(seconds: float) -> None:
    """Wake every PERIOD, work for WORK; print the lateness of each wake-up (ms) as JSON."""
    late: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        asked = time.monotonic()
        time.sleep(PERIOD)
        late.append((time.monotonic() - asked - PERIOD) * 1000)
        busy_until = time.monotonic() + WORK
        while time.monotonic() < busy_until:
            pass
    print(json.dumps(late))


# ---- seesay's worker ----------------------------------------------------------------------------
def captions(mode: str, model: str, seconds: float) -> None:
    """Caption until killed (or ``seconds``) the way seesay's worker thread does, in ``mode``."""
    import torch
    from PIL import Image

    from seesay.app.priority import lower_this_thread
    from seesay.vision.device import available_cores
    from seesay.vision.engine import load_captioner

    done = []

    def work():
        if mode == "new":
            lower_this_thread()
        captioner = load_captioner({"model": model, "max_new_tokens": 20}, folder=Path(model))  # limits threads
        if mode == "old":
            torch.set_num_threads(available_cores())  # torch's own default: every core
        picture = Image.new("RGB", (1920, 1080), (52, 101, 164))
        print(f"ready {torch.get_num_threads()}", flush=True)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            caption = captioner.describe(picture)
            done.append(1)
            print(f"caption {caption.seconds:.3f}", flush=True)

    thread = threading.Thread(target=work, name="seesay-worker")
    thread.start()
    thread.join()


def build_model(kind: str, folder: Path) -> Path:
    from fixtures.random_models import build_random_blip

    if kind == "base-sized":
        return build_random_blip(folder / "base-sized")
    return build_random_blip(folder / "medium", hidden=512, layers=8, image_size=384)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def phase(mode: str, model: Path, seconds: float) -> dict:
    me = [sys.executable, __file__]
    worker = None
    if mode != "idle":
        worker = subprocess.Popen([*me, "--captions", mode, "--model", str(model), "--seconds", str(seconds + 30)],
                                  stdout=subprocess.PIPE, text=True)
        line = worker.stdout.readline().split()
        assert line and line[0] == "ready", line
        threads = int(line[1])
    try:
        measured = subprocess.run([*me, "--neighbour", str(seconds)], capture_output=True, text=True, check=True)
    finally:
        seconds_each: list[float] = []
        if worker is not None:
            worker.terminate()
            remaining = worker.communicate(timeout=30)[0]
            seconds_each = [float(line.split()[1]) for line in remaining.splitlines() if line.startswith("caption ")]
    late = json.loads(measured.stdout)
    return {"mode": mode, "threads": threads if worker else 0, "captions": len(seconds_each),
            "caption_s": statistics.median(seconds_each) if seconds_each else 0.0, "each": seconds_each,
            "late": late, "wakeups": len(late),
            "p50": percentile(late, 0.5), "p99": percentile(late, 0.99), "max": max(late)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=12.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model", default="medium", help="medium, base-sized or a model folder")
    parser.add_argument("--neighbour", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--captions", choices=("old", "new"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.neighbour:
        neighbour(args.neighbour)
        return 0
    if args.captions:
        captions(args.captions, args.model, args.seconds)
        return 0

    print(f"CPU: {cpu_description()}")
    print(f"kernel {platform.release()}; neighbour wakes every {PERIOD * 1000:.0f} ms and works "
          f"{WORK * 1000:.1f} ms; {args.seconds:.0f} s a phase, {args.rounds} rounds, model {args.model}")
    with tempfile.TemporaryDirectory(prefix="seesay-bench-neighbour-") as temporary:
        model = Path(args.model) if Path(args.model).is_dir() else build_model(args.model, Path(temporary))
        results = [phase(mode, model, args.seconds) for _ in range(args.rounds) for mode in ("idle", "old", "new")]
    print(f"{'phase':6} {'threads':>7} {'captions':>8} {'s each':>6} {'wake-ups':>8} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'worst ms':>8}")
    for row in results:
        print(f"{row['mode']:6} {row['threads']:7d} {row['captions']:8d} {row['caption_s']:6.2f} {row['wakeups']:8d} "
              f"{row['p50']:7.2f} {row['p99']:7.2f} {row['max']:8.1f}")
    for mode in ("idle", "old", "new"):
        rows = [row for row in results if row["mode"] == mode]
        late = [value for row in rows for value in row["late"]]
        each = [value for row in rows for value in row["each"]]
        print(f"{mode}: all wake-ups together: p99 {percentile(late, 0.99):.2f} ms, worst {max(late):.1f} ms; "
              f"{len(each)} captions, median {statistics.median(each) if each else 0:.2f} s, slowest "
              f"{max(each) if each else 0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
