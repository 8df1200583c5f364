"""A letter photographed with a phone and given to seesay (the commonest way a blind person reads
their post): the page is not lit evenly. A shadow across it (the phone's, a hand's) made its
shaded side as far from the page's commonest colour as ink is, and that part of each line was
read as a black smear: the letter's second line ("Thank you for your letter of the fourth of
March.") came out as "Con", and 51% of its words were read. Each block's paper is now measured
where it lies, under its own light."""

from __future__ import annotations

import textwrap
from io import BytesIO

import numpy as np
import pytest
from PIL import Image, ImageFilter

from fixtures.real_programs import LETTER
from fixtures.text_pages import render_text, words_right
from seesay.vision.ocr import create_text_reader

pytestmark = pytest.mark.slow
SIZE = (1200, 900)


def photographed(light: np.ndarray) -> Image.Image:
    """The letter printed, lit by ``light`` (0-1 for each pixel), on slightly warm paper, with a
    camera's noise and softness, saved as a phone saves it."""
    lines = [line for paragraph in LETTER.split("\n") for line in (textwrap.wrap(paragraph, 52) or [""])]
    page = np.asarray(render_text(lines, SIZE, 26), dtype=np.float32)
    lit = page * light[..., None] * np.array([1.0, 0.97, 0.9]) + np.random.default_rng(0).normal(0, 4, page.shape)
    photo = Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    saved = BytesIO()
    photo.save(saved, "JPEG", quality=80)
    return Image.open(saved).convert("RGB")


ACROSS, DOWN = np.mgrid[0:SIZE[1], 0:SIZE[0]][::-1]
LIGHTS = {"even": np.ones((SIZE[1], SIZE[0])), "dim": np.full((SIZE[1], SIZE[0]), 0.55),
          "a shadow across its left side": 0.45 + 0.55 * ACROSS / SIZE[0],
          "darker towards its top left corner": np.clip(0.4 + 0.5 * np.hypot(ACROSS / SIZE[0], DOWN / SIZE[1]), 0, 1)}


@pytest.fixture(scope="module")
def reader():
    made, problem = create_text_reader()
    assert problem is None, problem
    return made


@pytest.mark.parametrize("light", sorted(LIGHTS))
def test_a_photographed_letter_is_read_in_any_light(reader, light):
    text = reader.read(photographed(LIGHTS[light])).text
    assert words_right(LETTER.split(), text) >= 0.95, text
    assert "Thank you for your letter of the fourth of March." in text, text
