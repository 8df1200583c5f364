"""Answers checked against the picture where it applies (the worker loop the window uses, the real
scene captioner, question model and matcher): the answer said as a caption ("a circle") is read
by the matcher, and a rejection makes the answer "probably" at most; "I can't tell" only with a
matcher measured to keep right answers (``answer_check.json``, bench_answer_check.py)."""

from __future__ import annotations

import io
import json
import random
import shutil
import threading
from pathlib import Path

import pytest

from benchmarks.bench_capfilt import harder_scene
from fixtures.scenes import Scene, draw_scene
from integration.test_describe_service import Recorder
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest
from seesay.describe.service import DescribeService
from seesay.vision.engine import load_answerer, load_captioner
from seesay.vision.itm import ANSWER_CHECK_FILE, answer_check_of

pytestmark = pytest.mark.slow
ITM_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm"


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def ask(scene_model, vqa_model, itm_model: Path, questions: list[tuple[bytes, str]]):
    """Each (picture, question) asked in turn; the descriptions (answers) in order."""
    queue, events = RequestQueue(), Recorder()
    values = {"model": str(scene_model), "vqa_model": str(vqa_model), "itm_model": str(itm_model),
              "memory_budget": 65536}
    thread = threading.Thread(target=DescribeService(queue, load_captioner, values, events,
                                                     load_answerer=load_answerer).run, daemon=True)
    thread.start()
    try:
        for count, (picture, question) in enumerate(questions, 1):
            queue.submit(DescribeRequest(picture, question, "question", question=question, about=count))
            assert events.wait_for("described", count, timeout=60)
    finally:
        queue.close()
        thread.join(10)
    return events.of("described")


@pytest.fixture
def unmeasured_matcher(tmp_path) -> Path:
    """The scene matcher as a matcher never measured on answers (as Salesforce's is here)."""
    copy = tmp_path / "scenes-itm"
    shutil.copytree(ITM_MODEL, copy)
    (copy / ANSWER_CHECK_FILE).unlink()
    return copy


# A blurred green square on white (bench_capfilt's blur, seed 8): the question model is 99% sure it
# is a circle.
BLURRED_SQUARE = harder_scene("blur", random.Random(8))


def test_a_wrong_answer_the_model_is_sure_of_is_not_said_as_fact(scene_model, vqa_model, unmeasured_matcher):
    truth, image = BLURRED_SQUARE
    assert "a green square on a white background" in truth
    (said,) = ask(scene_model, vqa_model, unmeasured_matcher, [(png(image), "what shape is it?")])
    assert said.caption.text == "circle" and said.caption.confidence >= 0.95  # wrong, and sure of it
    assert said.text == "probably circle" and said.certainty == "hedged"  # never plainly, never silenced
    assert "Checked as \u201ca circle\u201d, fits the picture" in said.details


def test_answers_that_make_no_caption_are_not_checked(scene_model, vqa_model, unmeasured_matcher):
    picture = png(draw_scene(Scene("red", "circle", "white"), (300, 200), random.Random(1)))
    (said,) = ask(scene_model, vqa_model, unmeasured_matcher, [(picture, "what is written here?")])
    assert "Checked as" not in said.details


def test_a_matcher_measured_not_to_read_answers_leaves_them_as_the_model_says(scene_model, vqa_model):
    """The scene matcher knows whole captions only: it rejects "a red shape" for a red shape (it
    accepted 7% of right answers' statements: answer_check.json), so its verdict on answers is not used."""
    record = json.loads((ITM_MODEL / ANSWER_CHECK_FILE).read_text())
    assert record["right_statements_accepted"] < 0.95 and answer_check_of(ITM_MODEL) == "none"
    picture = png(draw_scene(Scene("red", "circle", "white"), (300, 200), random.Random(1)))
    said = ask(scene_model, vqa_model, ITM_MODEL, [(picture, "what color is the shape?"),
                                                     (picture, "what shape is it?")])
    assert [(d.text, d.certainty) for d in said] == [("red", "plain"), ("circle", "plain")]
    assert not any("Checked as" in d.details for d in said)


def test_a_question_model_never_measured_hedges_where_a_measured_one_cannot_tell(scene_model, vqa_model, tmp_path):
    """The scene question model's thresholds were measured on it (confidence.json: 9 of the 10
    answers under 70% were wrong), so it may say "I can't tell"; a copy without that file (as
    Salesforce's question model here) says "probably" instead, on token probabilities alone."""
    _truth, image = harder_scene("noise", random.Random(5))  # a red triangle on white, under noise
    asked = [(png(image), "what color is the background?")]
    (measured,) = ask(scene_model, vqa_model, ITM_MODEL, asked)
    assert measured.caption.text == "black" and measured.caption.confidence < 0.7  # wrong, and unsure
    assert (measured.text, measured.certainty) == ("I can't tell from this picture.", "unsure")
    never = tmp_path / "scenes-vqa"
    shutil.copytree(vqa_model, never)
    (never / "confidence.json").unlink()
    (unmeasured,) = ask(scene_model, never, ITM_MODEL, asked)
    assert (unmeasured.text, unmeasured.certainty) == ("probably black", "hedged")


def test_the_readme_gives_the_measured_answer_check():
    record = json.loads((ITM_MODEL / ANSWER_CHECK_FILE).read_text())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name, group in record["groups"].items():
        cells = [group[f"plain/probably/cannot tell, {way}"].replace("/", " / ")
                 for way in ("tokens", "hedge", "silence")]
        assert f"| {name} | {group['answers']} | {group['statement_accepted']} | {' | '.join(cells)} |" in readme, name


def test_seesay_describe_asks_and_says_what_the_window_says(scene_model, vqa_model, unmeasured_matcher, tmp_path):
    """``seesay describe --ask`` printed the question model's bare answer: the blurred square's
    "circle", 99% sure and wrong, as fact, where the window says "probably circle"."""
    from integration.test_describe_cli import seesay

    _truth, image = BLURRED_SQUARE
    image.save(tmp_path / "blurred.png")
    run = ["describe", "--model", str(scene_model), "--vqa-model", str(vqa_model), "--itm-model",
           str(unmeasured_matcher), "--ask", "what shape is it?", str(tmp_path / "blurred.png")]
    printed = seesay(*run)
    assert printed.returncode == 0, printed.stderr
    assert "  what shape is it? probably circle" in printed.stdout.splitlines(), printed.stdout
    record = json.loads(seesay(*run[:1], "--json", *run[1:]).stdout.splitlines()[0])
    (answer,) = record["answers"]
    assert (answer["answer"], answer["said"], answer["certainty"]) == ("circle", "probably circle", "hedged"), answer
    assert answer["statement"] == "a circle" and answer["match"] < 0.5, answer
