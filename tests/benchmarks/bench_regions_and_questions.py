"""What detail mode and questions cost, against one ordinary caption, in one run.

    python tests/benchmarks/bench_regions_and_questions.py [--repeats 5] [--threads 2] [--precision auto]

Uses models of BLIP-base's shape with random weights (the compute of the real
Salesforce/blip-image-captioning-base and blip-vqa-base) on a 1920x1080 screenshot-like
picture, every caption forced to exactly 20 tokens, interleaved so all variants see the same
machine:

  (a) one caption of the whole picture (what a describe key does)
  (b) detail mode: the whole picture and its four quarters captioned in one batch, the quarters
      encoded smaller on the CPU (``vision.part_encoding``: what seesay does)
  (b0) the same with the quarters encoded at the model's own size (what seesay did before)
  (b') detail by a double press: the whole picture was just described, so only the quarters
  (c) the same five captions made one after another (what detail mode would cost without batching)
  (d) a question about a new picture, and (e) a follow-up question about the same picture
      (answers forced to 3 tokens)

Prints the medians and the ratios b/a, c/a and b/c, and e/d.
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


def resident_mib() -> float:
    """This process's resident memory (Linux; NaN elsewhere)."""
    import gc

    gc.collect()
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", default="auto")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    import torch

    from bench_caption import screenshot_like
    from random_models import build_random_blip
    from seesay.vision import vqa
    from seesay.vision.blip import BlipCaptioner
    from seesay.vision.caption import CaptionOptions
    from seesay.vision.regions import grid_regions

    torch.set_num_threads(args.threads)
    picture = screenshot_like()
    quarters = [region.image for region in grid_regions(picture)]
    with tempfile.TemporaryDirectory() as temp:
        caption_dir = build_random_blip(Path(temp) / "caption")
        vqa_dir = build_random_blip(Path(temp) / "vqa", architecture="BlipForQuestionAnswering")
        options = CaptionOptions(max_new_tokens=TOKENS, min_new_tokens=TOKENS)
        captioner = BlipCaptioner.load(caption_dir, precision=args.precision, options=options)
        rss_before = resident_mib()
        answerer = vqa.BlipAnswerer.load(vqa_dir, precision=args.precision)
        answerer.answer(picture, "what is on the screen?")  # weights are mapped lazily: touch them
        rss_after = resident_mib()
    vqa.MAX_ANSWER_TOKENS = 3  # random weights never end an answer by themselves

    def one():
        captioner.describe(picture)

    def detail():
        captions = captioner.describe_batch([picture, *quarters], parts=[False] + [True] * len(quarters))
        assert all(len(caption.token_logprobs) == TOKENS for caption in captions)

    def detail_full_size():
        captions = captioner.describe_batch([picture, *quarters])
        assert all(len(caption.token_logprobs) == TOKENS for caption in captions)

    def quarters_only():
        captioner.describe_batch(quarters, parts=[True] * len(quarters))

    def separately():
        for image in (picture, *quarters):
            captioner.describe(image)

    asked = {"key": 0}

    def question():  # a picture never asked about before
        asked["key"] += 1
        answerer.answer(picture, "what is on the screen?", picture_key=asked["key"])

    def follow_up():  # about the picture the question just before was about
        answer = answerer.answer(picture, "what color is the window?", picture_key=asked["key"])
        assert answer.reused_picture

    variants = {"one caption": one, "detail (batched 1+4)": detail,
                "detail, quarters full size": detail_full_size, "double press (batched 4)": quarters_only,
                "1+4 captions one by one": separately,
                "question, new picture": question, "follow-up question": follow_up}
    for run in variants.values():  # warm up every path once
        run()
    times = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    median = {name: statistics.median(values) for name, values in times.items()}
    from bench_layout import cpu_name

    print(f"CPU: {cpu_name()}; precision {captioner.precision}, {args.threads} threads, {args.repeats} repeats, "
          f"1920x1080 picture, {TOKENS} tokens per caption")
    for name, value in median.items():
        print(f"  {name:28s} {value:6.3f} s  (min {min(times[name]):.3f}, max {max(times[name]):.3f})")
    print(f"detail / one caption:           {median['detail (batched 1+4)'] / median['one caption']:.2f}x")
    print(f"detail, quarters full size / one caption: "
          f"{median['detail, quarters full size'] / median['one caption']:.2f}x (before)")
    print(f"double press / one caption:     {median['double press (batched 4)'] / median['one caption']:.2f}x")
    print(f"one by one / one caption:       {median['1+4 captions one by one'] / median['one caption']:.2f}x")
    print(f"detail / one by one:            {median['detail (batched 1+4)'] / median['1+4 captions one by one']:.2f}x")
    print(f"follow-up / question:           {median['follow-up question'] / median['question, new picture']:.2f}x")
    print(f"question model resident memory: +{rss_after - rss_before:.0f} MiB (on top of {rss_before:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
