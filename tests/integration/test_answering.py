"""Questions about a picture, answered by the trained BLIP question-answering test model."""

from __future__ import annotations

import random

import pytest

from fixtures.scenes import Scene, draw_random_scene, draw_scene
from fixtures.train_scene_models import QUESTIONS
from seesay.core.errors import ModelNotAvailableError
from seesay.vision.engine import load_answerer
from seesay.vision.vqa import BlipAnswerer

pytestmark = pytest.mark.slow


@pytest.fixture
def answerer(vqa_model):
    """A question model of its own for each test (loading the tiny model takes a moment): its picture
    cache, keyed by what the caller says the picture is, must not carry one test's picture into another."""
    return BlipAnswerer.load(vqa_model)  # auto: int8 on the CPU, as the app runs it


def test_answers_colour_shape_and_background_of_held_out_scenes(answerer):
    rng = random.Random(2026)  # scenes the model never saw (training used seed 1234)
    right = {"colour": 0, "shape": 0, "background": 0}
    asked = dict.fromkeys(right, 0)
    for index in range(40):
        scene, image = draw_random_scene(rng)
        for question, about in (("what color is the shape?", "colour"), ("what shape is it?", "shape"),
                                ("what color is the background?", "background")):
            answer = answerer.answer(image, question, picture_key=index)
            asked[about] += 1
            right[about] += answer.text == getattr(scene, about)
    for about in right:
        assert right[about] == asked[about], (about, right, asked)  # measured 700 of 700 (scenes-vqa/scores.json)


def test_follow_up_questions_reuse_the_picture(answerer):
    scene = Scene("green", "triangle", "black")
    image = draw_scene(scene, (400, 300), random.Random(3))
    first = answerer.answer(image, "what color is the shape?", picture_key="capture-1")
    follow_up = answerer.answer(image, "what shape is it?", picture_key="capture-1")
    fresh = answerer.answer(image, "what shape is it?", picture_key="capture-2")
    assert (first.text, follow_up.text) == ("green", "triangle")
    assert not first.reused_picture and follow_up.reused_picture and not fresh.reused_picture
    assert follow_up.token_logprobs == pytest.approx(fresh.token_logprobs, abs=1e-5)


def test_lean_answer_loop_matches_transformers_generate(vqa_model):
    import torch
    from transformers import BlipForQuestionAnswering, BlipProcessor

    answerer = BlipAnswerer.load(vqa_model, precision="fp32")
    reference = BlipForQuestionAnswering.from_pretrained(vqa_model).eval()
    processor = BlipProcessor.from_pretrained(vqa_model)
    rng = random.Random(11)
    for _ in range(12):
        _scene, image = draw_random_scene(rng)
        question = rng.choice(sorted(QUESTIONS))
        inputs = processor(images=image, text=question, return_tensors="pt")
        with torch.inference_mode():
            expected = reference.generate(**inputs, max_new_tokens=12)
        assert answerer.answer(image, question).text == processor.decode(expected[0], skip_special_tokens=True)


def test_missing_question_model_says_how_to_get_it(tmp_path):
    with pytest.raises(ModelNotAvailableError) as caught:
        load_answerer({"vqa_model": "vqa", "model_dir": str(tmp_path)})
    assert "question-answering model" in caught.value.message
    assert "seesay download vqa" in caught.value.hint and "--vqa-model" in caught.value.hint
