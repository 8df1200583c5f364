"""Folder speed: pictures a second, one by one (``seesay describe FILE…``) against the folder job
(``seesay describe --recursive``: several pictures in hand, captions in shared batches), in one run;
with ``--ray``, also the folder job on a Ray started here (``seesay describe --ray``), for the scene model.

    python tests/benchmarks/bench_folder.py [--pictures 24] [--batch 8] [--model scenes|base|both] [--ray]

``scenes`` is the trained scene model (tests/fixtures/models/scenes-caption); ``base`` a model of
BLIP-base's shape with random weights (ViT-B/16 at 384 px, 12-layer decoder: the real model's
compute; its captions are nonsense of 30 tokens, the longest a caption may be). The same folder
of drawn 640x480 scenes is described both ways, neither with the picture index, on half the
pictures and on all: the rate is the pictures added over the time added, so the model's loading
(paid once either way) is left out. The processor time of each is printed too: on a machine
shared with other work the wall-clock times wander, the work done does not. The captions of the
two ways are compared word for word. The Ray job is measured the same way, on one Ray started for
the whole run (its start is left out as the model's loading is; each run's actor start is not: a
Ray Data job starts its model actors anew), with the machine's cores as Ray's CPUs.
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


def ray_job(paths: list[str], values: dict, batch: int) -> tuple[float, list[str]]:
    """The folder job on the Ray started by ``local_ray`` (the job finds it connected)."""
    from seesay.describe.folders import FolderOptions, describe_folders
    from seesay.describe.ray_job import RayOptions

    out = io.StringIO()
    started = time.perf_counter()
    describe_folders(paths, values, FolderOptions(output="jsonl", batch=batch, use_index=False,
                                                  ray=RayOptions(address="local")), out=out, err=io.StringIO())
    seconds = time.perf_counter() - started
    return seconds, [json.loads(line).get("caption", "") for line in out.getvalue().splitlines()]


def local_ray(folder: Path) -> None:
    """A Ray on this computer for the whole run, as ``seesay describe --ray local`` starts one."""
    import logging

    from seesay.describe import ray_job as job
    from seesay.vision.device import available_cores

    job._local_ray_environment()
    import ray

    ray.init(num_cpus=available_cores(), include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
             _temp_dir=str(folder))


def measure(name: str, model: Path, paths: list[str], batch: int, rounds: int, ways=("one", "folder")) -> dict:
    """Each way on half the pictures and on all of them, interleaved; the rate is the pictures
    added over the time added, so loading the model (paid once either way) is not in it."""
    from seesay.core import settings

    values = settings.resolve({"model": str(model)})
    half = paths[:len(paths) // 2]
    run = {"one": lambda some: one_by_one(some, values), "folder": lambda some: folder_job(some, values, batch),
           "ray": lambda some: ray_job(some, values, batch)}
    for way in ways:  # the first run in a process pays for imports and reading the model from disk
        run[way](paths[:2])
    times = {way: {} for way in ways}
    cpu_times = {way: {} for way in ways}  # the work done here, whatever else the machine is doing
    captions = {}
    for _ in range(rounds):
        for some in (half, paths):
            for way in ways:
                cpu = time.process_time()
                seconds, captions[way] = run[way](some)
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
    if "ray" in ways:  # its processor time is mostly in Ray's processes, not in this one: not comparable
        result.update(ray_job_s={n: round(statistics.median(t), 2) for n, t in times["ray"].items()},
                      ray_job_per_s=rate["ray"] and round(rate["ray"], 2),
                      ray_against_folder=round(rate["ray"] / rate["folder"], 2) if rate["ray"] and rate["folder"]
                      else None,
                      ray_same_captions=f"{sum(a == b for a, b in zip(captions['folder'], captions['ray']))}/{len(paths)}")
    print(json.dumps(result), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=24)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--model", choices=("scenes", "base", "both"), default="both")
    parser.add_argument("--ray", action="store_true", help="also the folder job on a local Ray (scene model)")
    args = parser.parse_args()
    print(json.dumps(cpu()), flush=True)
    with tempfile.TemporaryDirectory(prefix="seesay-bench-folder-") as temporary:
        folder = Path(temporary) / "pictures"
        folder.mkdir()
        paths = draw_folder(folder, args.pictures)
        if args.ray:
            local_ray(Path(temporary) / "ray")
        try:
            if args.model in ("scenes", "both"):
                measure("scenes-caption (trained)", SCENES, paths, args.batch, args.rounds,
                        ("one", "folder", "ray") if args.ray else ("one", "folder"))
            if args.model in ("base", "both"):
                from fixtures.random_models import build_random_blip

                base = build_random_blip(Path(temporary) / "blip-base-shape")
                measure("BLIP-base shape (random weights)", base, paths, args.batch, args.rounds)
        finally:
            if args.ray:
                import ray

                ray.shutdown()
    return 0


def cpu() -> dict:
    """The CPU's model and its flags that matter here: times from another CPU are not comparable."""
    from seesay.vision.device import available_cores, cpu_flags

    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    return {"cpu": model, "cores": available_cores(),
            "flags": sorted(cpu_flags() & {"avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8"})}


if __name__ == "__main__":
    sys.exit(main())
