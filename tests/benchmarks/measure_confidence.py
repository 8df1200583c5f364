"""How sure the captioner is, on pictures it knows and pictures it does not: the data behind the
default thresholds ``confidence_plain`` (spoken plainly) and ``confidence_hedge`` ("probably").

    python tests/benchmarks/measure_confidence.py [--model tests/fixtures/models/scenes-caption] [--count 100]

Confidence is the geometric mean of the probabilities of the caption's tokens (the end token
included). Groups: held-out scenes of the model's world (should be spoken plainly); random
noise, pictures of text, and scenes outside its world (two shapes, other colours, grey
backgrounds), which should be hedged or "can't tell". Prints percentiles per group and where
the thresholds put each group. With the real BLIP, run it with --model on your own screenshots
folder (--folder DIR) to see where your pictures fall.

With --itm-model (an image-text matching model, such as tests/fixtures/models/scenes-itm), it
also prints what seesay's rule (``compose.certainty_of``) makes of each group with the token
confidence alone and with the matcher: how many captions are said plainly, with "probably", or
replaced by "I can't tell", and how many wrong captions are said plainly (for the scenes, the
right caption is known; no caption of noise, text or unknown shapes is right).

Last, the calibration of the model under seesay's rule: how often each way of saying (plainly,
"probably", "I can't tell") is right, over all groups, with the token confidence alone and with
the matcher. The rule is applied as seesay applies it to this model: a model without
``confidence.json`` beside its weights is never measured, and its tokens alone never say
"I can't tell".
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixtures.scenes import draw_random_scene  # noqa: E402

MEASURES = {"weakest": "weakest_token_probability", "mean": "mean_token_probability"}
DEFAULT_MODEL = HERE.parent / "fixtures" / "models" / "scenes-caption"
WORDS = "the report meeting summary quarter region orders please read attached before friday team".split()


def noise(rng: random.Random) -> Image.Image:
    return Image.effect_noise((rng.randint(200, 800), rng.randint(200, 800)), rng.randint(20, 120)).convert("RGB")


def text_screen(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (1280, 800), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", rng.randint(14, 30))
    for row in range(rng.randint(5, 20)):
        draw.text((40, 40 + row * 36), " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))),
                  fill="black", font=font)
    return image


def out_of_world(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (640, 480), tuple(rng.randint(60, 200) for _ in range(3)))  # grey-ish background
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(2, 5)):  # several shapes in colours the model never saw
        x, y, size = rng.randint(0, 500), rng.randint(0, 340), rng.randint(40, 140)
        draw.ellipse((x, y, x + size, y + size), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(DEFAULT_MODEL))
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--folder", type=Path, help="also measure every picture in this folder")
    parser.add_argument("--measure", choices=sorted(MEASURES), default="weakest")
    parser.add_argument("--plain", type=float, default=0.95)
    parser.add_argument("--hedge", type=float, default=0.70)
    parser.add_argument("--itm-model", type=Path, help="also measure the rule with this image-text matcher")
    args = parser.parse_args()

    from seesay.vision.blip import BlipCaptioner

    from seesay.vision.model_store import measured_confidence

    args.measured = measured_confidence(args.model) is not None  # as seesay judges this model
    captioner = BlipCaptioner.load(Path(args.model))
    rng = random.Random(99)
    known = [draw_random_scene(rng) for _ in range(args.count)]
    groups = {
        "scenes (known world)": [image for _scene, image in known],
        "random noise": [noise(rng) for _ in range(args.count)],
        "text screens": [text_screen(rng) for _ in range(args.count // 2)],
        "unknown shapes/colours": [out_of_world(rng) for _ in range(args.count)],
    }
    if args.folder:
        groups[str(args.folder)] = [Image.open(p).convert("RGB") for p in sorted(args.folder.iterdir())
                                    if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp")]
    print(f"confidence = {args.measure} token probability; plain >= {args.plain:.2f}, "
          f"probably >= {args.hedge:.2f}")
    print(f"{'group':<24} {'n':>4} {'p5':>6} {'median':>7} {'p95':>6} {'plain':>7} {'probably':>9} {'unsure':>7}")
    captions = {name: [captioner.describe(image) for image in images] for name, images in groups.items()}
    truth = [scene.caption for scene, _image in known]
    rights = {name: ([caption.text == text for caption, text in zip(captions[name], truth)]
                     if name.startswith("scenes") else [False] * len(captions[name])) for name in groups}
    for name, images in groups.items():
        values = sorted(getattr(caption, MEASURES[args.measure]) for caption in captions[name])
        n = len(values)
        plain = sum(v >= args.plain for v in values) / n
        hedged = sum(args.hedge <= v < args.plain for v in values) / n
        print(f"{name:<24} {n:>4} {values[int(n * 0.05)]:>6.2f} {statistics.median(values):>7.2f} "
              f"{values[min(n - 1, int(n * 0.95))]:>6.2f} {plain:>7.0%} {hedged:>9.0%} {1 - plain - hedged:>7.0%}")
    said = {"tokens alone": {name: [certainty_of_caption(caption, None, args) for caption in captions[name]]
                             for name in groups}}
    if args.itm_model:
        said["with the matcher"] = rule_table(args, groups, captions, rights)
    calibration_table(args, said, rights)
    return 0


def certainty_of_caption(caption, match, args) -> str:
    from seesay.describe.compose import certainty_of

    return certainty_of(caption.weakest_token_probability, match, plain_at=args.plain, hedge_at=args.hedge,
                        measured=args.measured)


def rule_table(args, groups: dict, captions: dict, rights: dict) -> dict:
    """What the rule says of each group, with token confidence alone and with the matcher."""
    from seesay.vision.itm import BlipMatcher

    matcher = BlipMatcher.load(args.itm_model, device="cpu", precision="int8")
    print(f"\nrule: tokens alone vs tokens + image-text match ({args.itm_model.name}); "
          "plain / probably / can't tell; wrong = wrong captions said plainly")
    print(f"{'group':<24} {'n':>4} {'tokens alone':>16} {'wrong':>6} {'with matcher':>16} {'wrong':>6}")
    checked = {}
    for name, images in groups.items():
        matches = [matcher.match(image, caption.text).probability for image, caption in zip(images, captions[name])]
        row = [name[:24].ljust(24), f"{len(images):>4}"]
        for match_of in (lambda index: None, lambda index: matches[index]):
            said = [certainty_of_caption(caption, match_of(index), args)
                    for index, caption in enumerate(captions[name])]
            counts = "/".join(str(said.count(kind)) for kind in ("plain", "hedged", "unsure"))
            wrong = sum(kind == "plain" and not ok for kind, ok in zip(said, rights[name]))
            row += [f"{counts:>16}", f"{wrong:>6}"]
        checked[name] = said
        print(" ".join(row))
    return checked


def calibration_table(args, said: dict, rights: dict) -> None:
    """How often each way of saying is right, over every group (only the scenes' captions can be
    right): the model's calibration under seesay's rule, per way."""
    print(f"\ncalibration of {Path(args.model).name} ({'measured' if args.measured else 'never measured'}: "
          "confidence.json): right captions among those said plainly / with 'probably' / replaced by "
          "'I can't tell'")
    for way, by_group in said.items():
        cells = []
        for band in ("plain", "hedged", "unsure"):
            pairs = [(kind, ok) for name in by_group for kind, ok in zip(by_group[name], rights[name]) if kind == band]
            right = sum(ok for _kind, ok in pairs)
            cells.append(f"{right}/{len(pairs)}" + (f" ({right / len(pairs):.0%})" if pairs else ""))
        print(f"{way:<18} " + "   ".join(f"{cell:>14}" for cell in cells))


if __name__ == "__main__":
    sys.exit(main())
