"""Start-up of the description model: imports, load, warm-up and steady memory, with and without
the int8 weights seesay keeps beside the model (``vision.blip.SAVED_INT8``).

    python tests/benchmarks/bench_model_load.py [--model FOLDER | base-sized] [--rounds 3]

Each run is a fresh process (so imports and memory are a start's), from a warm disk (one run
first, not counted, reads every file once). The two variants alternate, round by round, so a
busy machine slows both alike; medians are printed with their ratio. "load" is
``BlipCaptioner.load`` without its warm-up (transformers' from_pretrained, fused attention, int8
layers); "warm-up" is what load does next: a whole caption (before) or
``BlipCaptioner.warm_up`` (two tokens); "steady RSS" is the process's
resident memory after that, with freed memory handed back. Target (issue 16): load <= 3 s, steady
RSS <= 800 MiB with BLIP-base.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_hotkey_latency import cpu_name  # noqa: E402

ONE_RUN = r"""
import json, sys, time
started = time.perf_counter()
import torch, transformers
from transformers import BlipForConditionalGeneration, BlipProcessor  # what load imports, on its own thread
from seesay.vision.blip import BlipCaptioner, return_freed_memory
from seesay.vision.device import limit_threads
imported = time.perf_counter()
threads = limit_threads()
from pathlib import Path
from PIL import Image
loading = time.perf_counter()
warm_up = sys.argv[2]
captioner = BlipCaptioner.load(Path(sys.argv[1]), precision="int8", warm_up=False)
loaded = time.perf_counter()
captioner.warm_up() if warm_up == "2 tokens" else captioner.describe(Image.new("RGB", (64, 64), (128, 128, 128)))
warm = time.perf_counter()
captioner.describe(Image.new("RGB", (64, 64), (120, 130, 140)))
second = time.perf_counter()
return_freed_memory()
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS")) / 1024
print(json.dumps(dict(imports=imported - started, load=loaded - loading, warm_up=warm - loaded,
                      second=second - warm, rss=rss, threads=threads)))
"""


def run_once(folder: Path, warm_up: str) -> dict:
    result = subprocess.run([sys.executable, "-c", ONE_RUN, str(folder), warm_up], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


#: name: (int8 weights saved beside the model, how the model is warmed up)
VARIANTS = {
    "quantised at load, caption": (False, "caption"),
    "saved int8, caption": (True, "caption"),
    "saved int8, 2 tokens": (True, "2 tokens"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base-sized", help="a model folder, or base-sized (BLIP-base's shapes, "
                                                              "random weights, built here)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from seesay.vision.blip import SAVED_INT8

    with tempfile.TemporaryDirectory(prefix="seesay-bench-load-") as scratch:
        folder = Path(scratch) / "model"
        if args.model == "base-sized":
            from fixtures.random_models import build_random_blip

            build_random_blip(folder)
        else:
            shutil.copytree(args.model, folder)
        saved = folder / SAVED_INT8
        saved.unlink(missing_ok=True)
        run_once(folder, "caption")  # warms the disk cache, and saves the int8 weights
        kept = Path(scratch) / "kept.safetensors"
        shutil.copyfile(saved, kept)
        runs: dict[str, list[dict]] = {name: [] for name in VARIANTS}
        for _round in range(args.rounds):
            for name, (keep, warm_up) in VARIANTS.items():
                saved.unlink(missing_ok=True)  # a run without them saves them again
                if keep:
                    shutil.copyfile(kept, saved)
                runs[name].append(run_once(folder, warm_up))
    print(f"CPU: {cpu_name()}")
    print(f"model {Path(args.model).name}, int8, {runs['saved int8, caption'][0]['threads']} thread(s), "
          f"{args.rounds} rounds, medians:")
    print(f"  {'variant (load, warm-up)':<28} {'imports s':>9} {'load s':>7} {'warm-up s':>9} {'load+warm s':>11} "
          f"{'2nd caption s':>13} {'steady RSS MiB':>14}")
    medians = {}
    for name, rows in runs.items():
        median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        median["total"] = statistics.median(row["load"] + row["warm_up"] for row in rows)
        medians[name] = median
        print(f"  {name:<28} {median['imports']:9.2f} {median['load']:7.2f} {median['warm_up']:9.2f} "
              f"{median['total']:11.2f} {median['second']:13.2f} {median['rss']:14.0f}")
    before, after = medians["quantised at load, caption"], medians["saved int8, 2 tokens"]
    print(f"  saved int8 and 2-token warm-up against before: load {before['load'] / after['load']:.2f}x faster, "
          f"load + warm-up {before['total'] / after['total']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
