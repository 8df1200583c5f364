"""Thresholds per model: a captioner's confidence.json gives the thresholds measured on it
(plain_at, hedge_at, on_text_at), and seesay judges its captions by them, in the window and in
``seesay describe``; a setting the person changed from its default still wins. (A real BLIP's
least sure word is far less sure than the scene models': thresholds that suit one do not suit the other.)"""

from __future__ import annotations

import json
import random
import shutil

import pytest

from fixtures.scenes import Scene, draw_scene
from integration.test_describe_cli import seesay
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner

pytestmark = pytest.mark.slow


@pytest.fixture
def strict_model(scene_model, tmp_path):
    """The scene captioner, measured (say) to need full certainty before a caption is said plainly."""
    strict = tmp_path / "strict-model"
    shutil.copytree(scene_model, strict)
    measured = json.loads((strict / "confidence.json").read_text())
    measured.update(plain_at=1.0, hedge_at=0.5)
    (strict / "confidence.json").write_text(json.dumps(measured))
    return strict


def test_a_captioners_own_thresholds_decide_and_a_changed_setting_wins(scene_model, strict_model):
    image = draw_scene(Scene("red", "circle", "white"), (480, 320), random.Random(7))
    plain = say(look(image, load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model), None),
                {})
    assert (plain.spoken, plain.certainty) == ("a red circle on a white background", "plain")
    seen = look(image, load_captioner({"model": str(strict_model), "device": "cpu"}, folder=strict_model), None)
    assert say(seen, {}).spoken == "probably a red circle on a white background"
    assert say(seen, {"confidence_plain": 80}).certainty == "plain"  # the person's own choice


def test_seesay_describe_judges_by_the_captioners_own_thresholds(strict_model, tmp_path):
    path = tmp_path / "scene.png"
    draw_scene(Scene("red", "circle", "white"), (480, 320), random.Random(7)).save(path)
    result = seesay("describe", "--json", "--no-index", "--model", str(strict_model), str(path))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert (record["said"], record["certainty"]) == ("probably a red circle on a white background", "hedged"), record
    assert record["caption_certainty"] == "hedged", record
