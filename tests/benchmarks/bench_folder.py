"""Folder speed: pictures a second, one by one (``seesay describe FILE…``) against the folder job
(``seesay describe --recursive``: several pictures in hand, captions in shared batches), in one run.

    python tests/benchmarks/bench_folder.py [--pictures 24] [--batch 8] [--model scenes|base|both]

``scenes`` is the trained scene model (tests/fixtures/models/scenes-caption); ``base`` a model of
BLIP-base's shape with random weights (ViT-B/16 at 384 px, 12-layer decoder: the real model's
compute; its captions are nonsense of 30 tokens, the longest a caption may be). The same folder
of drawn 640x480 scenes is described both ways, neither with the picture index, on half the
pictures and on all: the rate is the pictures added over the time added, so the model's loading
(paid once either way) is left out. The processor time of each is printed too: on a machine
shared with other work the wall-clock times wander, the work done does not. The captions of the
two ways are compared word for word.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
SCENES = HERE.parent / "fixtures" / "models" / "scenes-caption"


def draw_folder(folder: Path, count: int) -> list[str]:
    from fixtures.scenes import draw_random_scene

    rng = random.Random(2018)
    paths = []
    for number in range(count):
        _scene, image = draw_random_scene(rng, (640, 480))
        path = folder / f"{number:03d}.png"
        image.save(path)
        paths.append(str(path))
    return paths


def one_by_one(paths: list[str], values: dict) -> tuple[float, list[str]]:
    from seesay.describe.files import describe_files

    out = io.StringIO()
    started = time.perf_counter()
    describe_files(paths, values, as_json=True, out=out, err=io.StringIO(), use_index=False)
    seconds = time.perf_counter() - started
    return seconds, [json.loads(line).get("caption", "") for line in out.getvalue().splitlines()]


def folder_job(paths: list[str], values: dict, batch: int) -> tuple[float, list[str]]:
    from seesay.describe.folders import FolderOptions, describe_folders

    out = io.StringIO()
    started = time.perf_counter()
    describe_folders(paths, values, FolderOptions(output="jsonl", batch=batch, use_index=False), out=out,
                     err=io.StringIO())
    seconds = time.perf_counter() - started
    return seconds, [json.loads(line).get("caption", "") for line in out.getvalue().splitlines()]


def measure(name: str, model: Path, paths: list[str], batch: int, rounds: int) -> dict:
    """Each way on half the pictures and on all of them, interleaved; the rate is the pictures
    added over the time added, so loading the model (paid once either way) is not in it."""
    from seesay.core import settings

    values = settings.resolve({"model": str(model)})
    half = paths[:len(paths) // 2]
    one_by_one(paths[:2], values)  # the first run in a process pays for imports and reading the model from disk
    folder_job(paths[:2], values, batch)
    times = {"one": {}, "folder": {}}
    cpu_times = {"one": {}, "folder": {}}  # the work done, whatever else the machine is doing
    captions = {}
    for _ in range(rounds):
        for some in (half, paths):
            for way in ("one", "folder"):
                cpu = time.process_time()
                seconds, captions[way] = one_by_one(some, values) if way == "one" else folder_job(some, values, batch)
                times[way].setdefault(len(some), []).append(seconds)
                cpu_times[way].setdefault(len(some), []).append(time.process_time() - cpu)
    added = {way: statistics.median(times[way][len(paths)]) - statistics.median(times[way][len(half)])
             for way in times}
    # None when the machine's other work swamped the difference (more pictures took less time)
    rate = {way: (len(paths) - len(half)) / added[way] if added[way] > 0 else None for way in times}
    same = sum(a == b for a, b in zip(captions["one"], captions["folder"]))
    result = {"model": name, "pictures": len(paths), "batch": batch,
              "one_by_one_s": {n: round(statistics.median(t), 2) for n, t in times["one"].items()},
              "folder_job_s": {n: round(statistics.median(t), 2) for n, t in times["folder"].items()},
              "one_by_one_per_s": rate["one"] and round(rate["one"], 2),
              "folder_job_per_s": rate["folder"] and round(rate["folder"], 2),
              "speedup": round(rate["folder"] / rate["one"], 2) if rate["one"] and rate["folder"] else None,
              "one_by_one_cpu_s": {n: round(statistics.median(t), 2) for n, t in cpu_times["one"].items()},
              "folder_job_cpu_s": {n: round(statistics.median(t), 2) for n, t in cpu_times["folder"].items()},
              "same_captions": f"{same}/{len(paths)}"}
    print(json.dumps(result), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=24)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--model", choices=("scenes", "base", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seesay-bench-folder-") as temporary:
        folder = Path(temporary) / "pictures"
        folder.mkdir()
        paths = draw_folder(folder, args.pictures)
        if args.model in ("scenes", "both"):
            measure("scenes-caption (trained)", SCENES, paths, args.batch, args.rounds)
        if args.model in ("base", "both"):
            from fixtures.random_models import build_random_blip

            base = build_random_blip(Path(temporary) / "blip-base-shape")
            measure("BLIP-base shape (random weights)", base, paths, args.batch, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
