"""How flat a picture is: programs' screens are mostly flat colour, photos and noise are not."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from fixtures.text_pages import PARAGRAPHS, render_text
from seesay.vision.look import flat_share


def test_a_dialog_is_mostly_flat_and_noise_is_not():
    dialog = Image.new("RGB", (800, 500), (240, 240, 240))
    draw = ImageDraw.Draw(dialog)
    draw.rectangle((0, 0, 800, 40), fill=(60, 90, 160))
    draw.text((30, 120), "Save changes to notes.txt before closing?", fill="black")
    for left in (480, 630):
        draw.rectangle((left, 420, left + 130, 460), fill=(250, 250, 250), outline=(120, 120, 120))
    assert flat_share(dialog) > 0.8
    assert flat_share(render_text(PARAGRAPHS)) > 0.6
    rng = random.Random(2)
    noise = Image.frombytes("L", (640, 480), bytes(rng.getrandbits(8) for _ in range(640 * 480)))
    assert flat_share(noise) == 0.0
    assert flat_share(Image.new("RGB", (4, 4))) == 0.0  # too small to tell
