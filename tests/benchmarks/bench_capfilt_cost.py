"""What checking captions costs with models of BLIP-base's size, in one run.

    python tests/benchmarks/bench_capfilt_cost.py [--repeats 3] [--threads 2] [--k 3]

Random weights of the shape of Salesforce/blip-image-captioning-base and blip-itm-base-coco (the
same compute), a 1920x1080 screenshot-like picture, captions forced to exactly 20 tokens,
variants interleaved so all see the same machine:

  (a) one greedy caption (seesay without a matcher)
  (b) one greedy caption checked by the matcher (seesay with one, --candidates 1)
  (c) CapFilt: K beam-search candidates, all read by the matcher (--candidates K)

Prints the CPU, the medians, and the resident memory the matcher adds (int8 on the CPU).
Quality is measured on trained models by bench_capfilt.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))
sys.path.insert(0, str(HERE))
TOKENS = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    import torch

    from bench_caption import screenshot_like
    from bench_regions_and_questions import resident_mib
    from random_models import build_random_blip
    from seesay.vision.blip import BlipCaptioner
    from seesay.vision.caption import CaptionOptions
    from seesay.vision.capfilt import capfilt
    from seesay.vision.itm import BlipMatcher

    torch.set_num_threads(args.threads)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    flags = [flag for flag in ("avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
             if flag in Path("/proc/cpuinfo").read_text()]
    picture = screenshot_like()
    with tempfile.TemporaryDirectory() as temp:
        caption_dir = build_random_blip(Path(temp) / "caption")
        itm_dir = build_random_blip(Path(temp) / "itm", architecture="BlipForImageTextRetrieval")
        options = CaptionOptions(max_new_tokens=TOKENS, min_new_tokens=TOKENS)
        captioner = BlipCaptioner.load(caption_dir, device="cpu", precision="int8", options=options)
        before = resident_mib()
        matcher = BlipMatcher.load(itm_dir, device="cpu", precision="int8")
        matcher.match(picture, "a screenshot of a window")  # weights are mapped lazily: touch them
        added = resident_mib() - before

    def greedy():
        assert len(captioner.describe(picture).token_logprobs) == TOKENS

    def checked():
        caption = captioner.describe(picture)
        matcher.match_pairs([(picture, caption.text)])

    def candidates():
        capfilt(captioner, matcher, picture, args.k)

    variants = {"(a) greedy": greedy, "(b) greedy + matcher": checked, f"(c) CapFilt K={args.k}": candidates}
    for run in variants.values():
        run()
    times = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    print(f"CPU: {cpu} ({', '.join(flags) or 'no AVX-512/AMX'}); int8, {args.threads} threads, {args.repeats} "
          f"repeats, 1920x1080 picture, {TOKENS} tokens per caption")
    base = statistics.median(times["(a) greedy"])
    for name, values in times.items():
        print(f"  {name:24s} {statistics.median(values):6.3f} s  ({statistics.median(values) / base:.2f}x; "
              f"min {min(values):.3f}, max {max(values):.3f})")
    print(f"  the matcher adds {added:.0f} MiB resident")
    return 0


if __name__ == "__main__":
    sys.exit(main())
