"""CapFilt at inference (--candidates K): the captioner proposes K captions by beam search and the
image-text matcher keeps one. Real trained models (scenes-caption, scenes-itm), a real process."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.scenes import draw_random_scene
from seesay.vision.blip import BlipCaptioner
from seesay.vision.capfilt import capfilt, propose
from seesay.vision.itm import BlipMatcher

pytestmark = pytest.mark.slow
ITM_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm"


def test_describe_with_candidates_says_the_caption_the_matcher_keeps(scene_model, tmp_path):
    rng = random.Random(515)
    truth = {}
    for index in range(4):
        scene, image = draw_random_scene(rng)
        truth[str(tmp_path / f"{index}.png")] = scene.caption
        image.save(tmp_path / f"{index}.png")
    result = subprocess.run([sys.executable, "-m", "seesay", "describe", "--json", "--model", str(scene_model),
                             "--itm-model", str(ITM_MODEL), "--candidates", "3", *truth],
                            capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    for record in map(json.loads, result.stdout.splitlines()):
        assert record["said"] == record["caption"] == truth[record["path"]]
        assert record["match"] >= 0.9 and record["certainty"] == "plain"


def test_candidates_differ_and_the_kept_one_is_the_first_the_matcher_accepts(scene_model):
    captioner = BlipCaptioner.load(scene_model, device="cpu", warm_up=False)
    matcher = BlipMatcher.load(ITM_MODEL, device="cpu")
    scene, image = draw_random_scene(random.Random(77))
    candidates = propose(captioner, image, 3)
    assert len({caption.text for caption in candidates}) == len(candidates) >= 2
    assert candidates[0].text == scene.caption
    assert all(len(caption.token_logprobs) == len(caption.tokens) for caption in candidates)
    kept = capfilt(captioner, matcher, image, 3)
    assert kept.text == scene.caption and kept.match >= 0.9
    assert [text for text, _match in kept.extra["candidates"]] == [caption.text for caption in candidates]
