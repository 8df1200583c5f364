"""Issue 21 end to end with the trained scene model: what a person hears when a picture is too
small to caption, and a made-up word in a caption is never said (the scene model is given it as
the start of its caption with --prompt, the way real BLIP-large writes it itself)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.scenes import Scene, draw_scene
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner

pytestmark = pytest.mark.slow
CIRCLE = Scene("red", "circle", "white")


def describe_json(*args: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "seesay", "describe", "--json", *args], capture_output=True,
                            text=True, timeout=300, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_an_icon_is_said_as_a_small_image_and_a_picture_beside_it_is_described(scene_model, tmp_path):
    icon, photo = tmp_path / "icon.png", tmp_path / "picture.png"
    draw_scene(CIRCLE, (32, 32), random.Random(1)).save(icon)
    draw_scene(CIRCLE, (200, 150), random.Random(2)).save(photo)
    small, described = describe_json("--model", str(scene_model), str(icon), str(photo))
    assert small["said"] == "A small image, 32 by 32 pixels, too small to describe."
    assert (small["kind"], small["certainty"], small["small"]) == ("picture", "unsure", True)
    assert "caption" not in small  # never captioned: nothing invented from 32 pixels enlarged to the model's size
    assert described["said"] == "a red circle on a white background"
    assert "small" not in described


def test_a_caption_that_repeats_itself_is_said_once(scene_model):
    """The scene model made to go on past its caption's end (as real BLIP runs on until its length
    is spent) repeats its last phrase; both ways a caption is made say it once, and keeps the raw
    text for the details. (Its tokenizer knows only scene words, so "arafed" is tested on strings.)"""
    from seesay.vision.blip import BlipCaptioner
    from seesay.vision.caption import CaptionOptions

    stammering = BlipCaptioner.load(scene_model, device="cpu", options=CaptionOptions(min_new_tokens=18))
    picture = draw_scene(CIRCLE, (200, 150), random.Random(3))
    made = [stammering.describe(picture), *stammering.describe_batch([picture])]  # CapFilt's: the same cleaning
    for caption in made:
        raw = caption.extra.get("raw_text", caption.text)
        phrase = "circle on a white background"
        assert raw.count(phrase) >= 3, raw  # the model did stammer...
        assert caption.text.count(phrase) <= 2 and caption.text.split()[-1] == "background", caption.text
    seen = look(picture, stammering, None)
    assert seen.whole.extra["raw_text"] != seen.whole.text
    assert say(seen, {}, capture=False).spoken == "I can't tell what this picture shows."  # its end was a guess


@pytest.fixture(scope="module")
def captioner(scene_model: Path):
    return load_captioner({"model": str(scene_model), "precision": "auto", "device": "cpu"}, folder=scene_model)


def test_detail_mode_does_not_cut_a_small_picture_into_parts_too_small_to_caption(captioner):
    """An 80-pixel picture's quarters would be 40 pixels: said whole, with no made-up parts."""
    small = draw_scene(CIRCLE, (80, 80), random.Random(4))
    seen = look(small, captioner, None, detail=True)
    assert seen.is_one_picture and seen.whole is not None and seen.quarters == ()
    assert say(seen, {}, capture=False).spoken == "a red circle on a white background"
    big = draw_scene(CIRCLE, (160, 160), random.Random(5))
    assert len(look(big, captioner, None, detail=True).quarters) == 4  # 80-pixel parts are described


def test_capfilt_keeps_a_candidate_that_describes_over_one_that_says_nothing_or_names_a_screen():
    """The captioner's first choice is kept while the matcher accepts it, unless it is one word or
    'a screenshot of ...' (never said as a description): then the best accepted candidate that
    describes the picture is. Real trained matcher; the candidates as real BLIP writes them."""
    from seesay.vision.capfilt import choose
    from seesay.vision.caption import Caption
    from seesay.vision.itm import BlipMatcher

    matcher = BlipMatcher.load(Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm",
                               device="cpu")
    picture = draw_scene(CIRCLE, (200, 150), random.Random(6))
    for first in ("circle", "a screenshot of a red circle on a white background"):
        candidates = [Caption(text, 0.1, (-0.01,) * 6) for text in (first, "a red circle on a white background")]
        kept = choose(matcher, picture, candidates)
        assert kept.text == "a red circle on a white background", (first, kept.extra["candidates"])
    only = choose(matcher, picture, [Caption("circle", 0.1, (-0.01,))])  # nothing better: kept, and said unsure
    assert only.text == "circle"
