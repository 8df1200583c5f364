"""Peak memory of reading hostile pictures: small files that decode to huge pictures, and files
that are not files at all (target: under 1.5 GB for any picture under the pixel limit).

    python tests/benchmarks/bench_hostile_pictures.py [--side 14000] [--src OTHER_CHECKOUT/src]

Builds the corpus (16-bit PNGs, float and integer TIFFs, a palette PNG with transparency, a
1-bit PNG; each ``side`` x ``side``, 196 megapixels at 14000, under the 200-megapixel limit), a
FIFO named x.png and a link to /dev/zero, then reads each with ``load_image`` in a process of
its own and prints that process's peak resident memory (VmHWM: ru_maxrss, but counted from
after the imports) and what it said. Each process is limited to 8 GiB of address space and
60 seconds, so the old code's failures end.
``--src`` measures another checkout (a git worktree of an older commit) the same way.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixtures.bad_images import hostile_corpus  # noqa: E402

SOURCE = HERE.parents[1] / "src"
ADDRESS_LIMIT = 8 << 30
READ_ONE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from seesay.core.errors import ImageError
from seesay.vision.images import load_image
def peak_kb():  # VmHWM: ru_maxrss would start from the forking parent's size
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")  # the peak starts again from here, after the imports
before = peak_kb()
try:
    picture = load_image(sys.argv[1])
    said = "read, %dx%d" % picture.image.size
except ImageError as error:
    said = "refused: " + error.message
except MemoryError:
    said = "MemoryError"
peak = peak_kb()
print("%d %d %s" % (before, peak, said))
"""


def read_in_own_process(path: Path, source: Path) -> tuple[str, str, float]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", READ_ONE.format(limit=ADDRESS_LIMIT), str(path)],
                              capture_output=True, text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return "-", "hung: killed after 60 s", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return "-", f"crashed (exit {done.returncode}): {last[:70]}", seconds
    before, peak, said = done.stdout.strip().split(" ", 2)
    return f"{int(peak) / 1024:,.0f} MB (imports {int(before) / 1024:,.0f})", said[:70], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", type=int, default=14000, help="width and height of each picture")
    parser.add_argument("--src", type=Path, default=SOURCE, help="the src folder of the checkout to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seesay-hostile-") as folder:
        corpus = hostile_corpus(Path(folder), args.side)
        fifo = Path(folder) / "x.png"
        os.mkfifo(fifo)
        zero = Path(folder) / "zero.png"
        zero.symlink_to("/dev/zero")
        corpus.update({"FIFO named x.png": fifo, "link to /dev/zero": zero})
        print(f"reading hostile pictures with {args.src}, {args.side}x{args.side} each:")
        print(f"{'file':31} {'size':>10}  {'peak memory':>26}  {'seconds':>7}  what seesay said")
        for name, path in corpus.items():
            size = f"{path.stat().st_size / 1024:,.0f} KB" if path.is_file() else "-"
            peak, said, seconds = read_in_own_process(path, args.src)
            print(f"{name:31} {size:>10}  {peak:>26}  {seconds:7.1f}  {said}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
