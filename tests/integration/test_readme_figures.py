"""The README's accuracy figures for the trained test models are measured, not written by hand.

The training script scores each model on a held-out split and writes ``scores.json`` beside its
weights (``train_scene_models.py evaluate`` scores the weights already there). Here the README must
say what those files say, and a part of the same held-out split is measured again: a model that
scored full marks must still score full marks (a found review: the tests asked 90% of 3 phrasings,
and 38 of 40 int8 captions, where the README promised 700 of 700 and 100 of 100).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from fixtures.train_scene_models import SCORES_FILE, score_answerer, score_captioner

pytestmark = pytest.mark.slow
TESTS = Path(__file__).resolve().parents[1]  # not "from conftest import": tests/gui has a conftest too
SCENE_CAPTION_MODEL = TESTS / "fixtures" / "models" / "scenes-caption"
SCENE_VQA_MODEL = SCENE_CAPTION_MODEL.parent / "scenes-vqa"
README = (TESTS.parent / "README.md").read_text(encoding="utf-8")
#: Held-out scenes measured again here (of the 100 the scores file counts): each is captioned in
#: three precisions and asked all seven phrasings in two.
REMEASURED = 12


def recorded(folder) -> dict:
    return json.loads((folder / SCORES_FILE).read_text(encoding="utf-8"))


def allowed_misses(right: int, out_of: int, measured: int) -> int:
    """Misses allowed in ``measured`` tries for a model that got ``right`` of ``out_of``: twice its
    recorded rate, so none for a model that made none."""
    return math.floor(2 * (out_of - right) / out_of * measured)


def test_the_readme_says_what_the_caption_model_scored():
    scores = recorded(SCENE_CAPTION_MODEL)
    scenes = scores["scenes"]
    right = min(scores["right"].values())
    assert f"names {right} of {scenes} held-out scenes exactly right in fp32, int8 and bf16" in README
    same = min(scores["same_as_fp32"].values())
    assert f"bf16 and int8 captions are identical to fp32\non {same} of {scenes} held-out scenes" in README


def test_the_readme_says_what_the_question_model_scored():
    scores = recorded(SCENE_VQA_MODEL)
    asked = scores["asked"]["all"]
    right = min(scores["right"][precision]["all"] for precision in ("fp32", "int8"))
    assert re.search(rf"it answers {right} of {asked}\s+questions\s+on held-out scenes right \(fp32 and int8\)", README)


def test_the_caption_model_still_scores_what_its_scores_file_says(scene_model):
    scores = recorded(scene_model)
    again = score_captioner(scene_model, count=REMEASURED)
    for precision, right in scores["right"].items():
        misses = REMEASURED - again["right"][precision]
        assert misses <= allowed_misses(right, scores["scenes"], REMEASURED), (precision, again)
    for precision, same in scores["same_as_fp32"].items():
        assert REMEASURED - again["same_as_fp32"][precision] <= allowed_misses(same, scores["scenes"], REMEASURED)


def test_the_question_model_still_scores_what_its_scores_file_says(vqa_model):
    scores = recorded(vqa_model)
    again = score_answerer(vqa_model, count=REMEASURED)
    for precision, kinds in scores["right"].items():
        for about, right in kinds.items():
            asked_again = again["asked"][about]
            misses = asked_again - again["right"][precision][about]
            assert misses <= allowed_misses(right, scores["asked"][about], asked_again), (precision, about, again)
