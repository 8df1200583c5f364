"""Captions you can trust: greedy captions against CapFilt (K beam-search candidates, the image-text
matcher picks one), on scenes made harder than the captioner was trained on, in one run.

    python tests/benchmarks/bench_capfilt.py [--count 40] [--k 3 5] [--threads 1]

Harder scenes (each from a scene of the model's world, so the right caption is known): heavy
noise, blur, low contrast, two shapes (either shape's caption is right), and the shape partly cut
off by the edge. For each way of captioning, prints how many captions are right, how many wrong
captions would be said plainly under seesay's rule (``compose.certainty_of``: for greedy, with
the token confidence alone, as seesay did before, and with the matcher), how many are hedged or
replaced by "I can't tell", how often each of those is right (calibration), and the time per
caption (the matcher's share included).
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixtures.scenes import BACKGROUNDS, COLOURS, SHAPES, Scene, draw_scene, random_canvas_size, random_scene  # noqa: E402

MODELS = HERE.parent / "fixtures" / "models"


def noisy(image: Image.Image, rng: random.Random) -> Image.Image:
    noise = Image.frombytes("RGB", image.size, rng.randbytes(image.width * image.height * 3))
    return Image.blend(image, noise, rng.uniform(0.45, 0.6))


def blurred(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(min(image.size) * rng.uniform(0.05, 0.09)))


def low_contrast(image: Image.Image, rng: random.Random) -> Image.Image:
    return ImageEnhance.Contrast(image).enhance(rng.uniform(0.1, 0.2))


def harder_scene(kind: str, rng: random.Random) -> tuple[set[str], Image.Image]:
    """(the right captions, the picture) for one harder scene of ``kind``."""
    scene = random_scene(rng)
    size = random_canvas_size(rng, 160, 480)
    if kind == "two shapes":
        other = Scene(rng.choice(sorted(set(COLOURS) - {scene.colour})), rng.choice(SHAPES), scene.background)
        width, height = size
        image = draw_scene(scene, size, rng)
        second = draw_scene(other, (width // 2, height), rng)
        image.paste(second.crop((0, 0, width // 2, height)), (width // 2, 0))  # the right half shows the other
        return {scene.caption, other.caption}, image
    if kind == "cut off":
        width, height = size
        canvas = Image.new("RGB", (width * 3, height * 3), BACKGROUNDS[scene.background])
        canvas.paste(draw_scene(scene, (width, height), rng), (width, height))  # room all round: no crop runs off
        grey = canvas.convert("L")
        ground = grey.getpixel((0, 0))
        left, top, right, _bottom = grey.point(lambda v: 0 if v == ground else 255).getbbox() or (0, 0, width, height)
        keep = rng.uniform(0.45, 0.65)  # of the shape's width stays in the picture
        x, y = int(left + (right - left) * keep), max(0, top - height // 4)
        return {scene.caption}, canvas.crop((x - width, y, x, y + height))
    image = draw_scene(scene, size, rng)
    return {scene.caption}, {"noise": noisy, "blur": blurred, "low contrast": low_contrast}[kind](image, rng)


KINDS = ("noise", "blur", "low contrast", "two shapes", "cut off")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODELS / "scenes-caption")
    parser.add_argument("--itm-model", type=Path, default=MODELS / "scenes-itm")
    parser.add_argument("--count", type=int, default=40, help="scenes of each kind")
    parser.add_argument("--k", type=int, nargs="+", default=[3, 5], help="CapFilt candidates")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    import torch

    from seesay.describe.compose import certainty_of
    from seesay.vision.blip import BlipCaptioner
    from seesay.vision.capfilt import capfilt
    from seesay.vision.itm import BlipMatcher

    torch.set_num_threads(args.threads)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    flags = [flag for flag in ("avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
             if flag in Path("/proc/cpuinfo").read_text()]
    print(f"CPU: {cpu} ({', '.join(flags) or 'no AVX-512/AMX'}), {args.threads} thread(s)")
    captioner = BlipCaptioner.load(args.model, device="cpu", precision="int8", warm_up=False)
    matcher = BlipMatcher.load(args.itm_model, device="cpu", precision="int8")
    rng = random.Random(args.seed)
    cases = [(kind, *harder_scene(kind, rng)) for kind in KINDS for _ in range(args.count)]

    ways = ["greedy, tokens alone", "greedy + matcher"] + [f"CapFilt K={k}" for k in args.k]
    results: dict[str, list] = {way: [] for way in ways}  # (kind, right, certainty, seconds)
    for kind, truth, image in cases:  # every way on the same picture, one after another
        started = time.perf_counter()
        greedy = captioner.describe(image)
        greedy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        match = matcher.match(image, greedy.text).probability
        match_seconds = time.perf_counter() - started
        confidence = greedy.weakest_token_probability
        results["greedy, tokens alone"].append(
            (kind, greedy.text in truth, certainty_of(confidence), greedy_seconds))
        results["greedy + matcher"].append(
            (kind, greedy.text in truth, certainty_of(confidence, match), greedy_seconds + match_seconds))
        for k in args.k:
            started = time.perf_counter()
            chosen = capfilt(captioner, matcher, image, k)
            seconds = time.perf_counter() - started
            results[f"CapFilt K={k}"].append(
                (kind, chosen.text in truth, certainty_of(chosen.weakest_token_probability, chosen.match), seconds))

    print(f"\n{len(cases)} harder scenes ({args.count} of each kind: {', '.join(KINDS)})")
    print(f"{'way':<22} {'right':>7} {'wrong said plainly':>19} {'plain/probably/cannot tell':>27} {'ms/caption':>11}")
    for way, rows in results.items():
        right = sum(row[1] for row in rows)
        wrong_plain = sum(not row[1] and row[2] == "plain" for row in rows)
        bands = "/".join(str(sum(row[2] == band for row in rows)) for band in ("plain", "hedged", "unsure"))
        ms = 1000 * sorted(row[3] for row in rows)[len(rows) // 2]
        print(f"{way:<22} {right:>3}/{len(rows):<3} {wrong_plain:>19} {bands:>27} {ms:>11.1f}")
    print("\ncalibration: right captions among those said plainly / with 'probably' / replaced by 'I can't tell'")
    for way, rows in results.items():
        shares = []
        for band in ("plain", "hedged", "unsure"):
            said = [row for row in rows if row[2] == band]
            shares.append(f"{sum(row[1] for row in said)}/{len(said)}")
        print(f"{way:<22} {' '.join(f'{share:>9}' for share in shares)}")
    print("\nright captions by kind:")
    print(f"{'kind':<14} " + " ".join(f"{way:>22}" for way in ways))
    for kind in KINDS:
        print(f"{kind:<14} " + " ".join(
            f"{sum(r[1] for r in rows if r[0] == kind):>19}/{args.count:<2}" for rows in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
