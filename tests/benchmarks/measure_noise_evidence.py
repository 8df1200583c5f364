"""Could a capture of random noise be found from its pixels, as evidence that does not depend on any
model's scale (issue 15: "I can't tell" for a never-measured captioner needs such evidence)?

    python tests/benchmarks/measure_noise_evidence.py [--count 40]

The measure tried: how alike neighbouring pixels are (the smaller of the correlations of each grey
pixel with its right and its lower neighbour, over the middle 512x512 at most). Pure noise is
near 0; drawings, text and photos are near 1. Prints the lowest, median and highest value for
noise (PIL's Gaussian noise, the same saved as JPEG, random bytes) and for pictures with something
in them (scenes, text screens, unknown shapes, and bench_capfilt's harder scenes, among them
scenes under heavy noise, which the captioner often still names right). The gap between the
highest noise value and the lowest of the rest is the margin a threshold would have.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_capfilt import KINDS, harder_scene  # noqa: E402
from fixtures.scenes import draw_random_scene  # noqa: E402
from measure_confidence import noise, out_of_world, text_screen  # noqa: E402

SIDE = 512


def neighbour_likeness(image: Image.Image) -> float:
    """The smaller of the right-neighbour and lower-neighbour correlations of the grey pixels."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    height, width = grey.shape
    top, left = max(0, (height - SIDE) // 2), max(0, (width - SIDE) // 2)
    grey = grey[top:top + SIDE, left:left + SIDE]

    def correlation(first: np.ndarray, second: np.ndarray) -> float:
        if first.std() < 1e-3 or second.std() < 1e-3:
            return 1.0  # flat: as unlike noise as a picture gets
        return float(np.corrcoef(first.ravel(), second.ravel())[0, 1])

    return min(correlation(grey[:, :-1], grey[:, 1:]), correlation(grey[:-1, :], grey[1:, :]))


def as_jpeg(image: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    gaussian = [noise(rng) for _ in range(args.count)]
    noise_groups = {"Gaussian noise": gaussian,
                    "the same as JPEG": [as_jpeg(image) for image in gaussian[:args.count // 2]],
                    "random bytes": [Image.frombytes("RGB", (300, 200), rng.randbytes(300 * 200 * 3))
                                     for _ in range(args.count // 2)]}
    content_groups = {"scenes": [draw_random_scene(rng)[1] for _ in range(args.count)],
                      "text screens": [text_screen(rng) for _ in range(args.count // 2)],
                      "unknown shapes": [out_of_world(rng) for _ in range(args.count)],
                      **{f"harder: {kind}": [harder_scene(kind, rng)[1] for _ in range(args.count)] for kind in KINDS}}
    highest_noise, lowest_content = -1.0, 2.0
    print(f"{'pictures':<22} {'n':>4} {'lowest':>8} {'median':>8} {'highest':>8}")
    for kind, groups in (("noise", noise_groups), ("content", content_groups)):
        for name, images in groups.items():
            values = sorted(neighbour_likeness(image) for image in images)
            print(f"{name:<22} {len(values):>4} {values[0]:>8.3f} {values[len(values) // 2]:>8.3f} {values[-1]:>8.3f}")
            if kind == "noise":
                highest_noise = max(highest_noise, values[-1])
            else:
                lowest_content = min(lowest_content, values[0])
    print(f"highest for noise {highest_noise:.3f}, lowest for pictures with something in them {lowest_content:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
