"""The window's worker (``describe.service``, what the window, the keys and the tray go through)
in German: descriptions, detail mode and answers in German, a German question understood; the
translation model let go when idle; a missing pair said once, with the English description."""

from __future__ import annotations

import random
import threading

import pytest

from fixtures.scenes import Scene, draw_grid, draw_scene
from integration.test_describe_service import Recorder
from seesay.core import i18n
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest
from seesay.describe.service import DescribeService
from seesay.translation import session
from seesay.vision.engine import load_answerer, load_captioner
from integration.test_translation_cli import translation_model

pytestmark = pytest.mark.slow


@pytest.fixture
def in_german():
    i18n.use_language("de")  # as seesay --language de does at start
    yield
    i18n.use_language("en")


def start(values):
    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, values, events, load_answerer=load_answerer)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    assert events.wait_for("ready")
    return queue, events, thread


def test_the_window_describes_details_and_answers_in_german(in_german, scene_model, vqa_model):
    queue, events, thread = start({"model": str(scene_model), "vqa_model": str(vqa_model), "language": "de",
                                   "translation_model": translation_model("en-de")})
    try:
        picture = draw_scene(Scene("yellow", "square", "black"), (400, 300), random.Random(2))
        queue.submit(DescribeRequest(picture, "eingefügtes Bild", "paste"))
        assert events.wait_for("described")
        assert events.of("described")[0].text == "ein gelbes Quadrat auf schwarzem Hintergrund"
        grid = draw_grid([Scene("red", "circle", "white"), Scene("blue", "triangle", "white"),
                          Scene("green", "square", "black"), Scene("yellow", "circle", "black")], (640, 480))
        queue.submit(DescribeRequest(grid, "Raster", "paste"))  # a picture of pictures: each said with its place
        assert events.wait_for("described", 2)
        regions = events.of("described")[1].text
        assert "Bild oben links: ein roter Kreis auf weißem Hintergrund" in regions, regions
        large = draw_scene(Scene("red", "circle", "white"), (800, 600), random.Random(5))
        queue.submit(DescribeRequest(large, "großes Bild", "paste", detail=True))  # quarter by quarter
        assert events.wait_for("described", 3)
        detail = events.of("described")[2].text
        assert detail.startswith("ein roter Kreis auf weißem Hintergrund. Im Einzelnen: oben links: "), detail
        assert "background" not in detail and " on a " not in detail, detail
        queue.submit(DescribeRequest(picture, "Frage", "question", question="Welche Form hat es?", about=1))
        assert events.wait_for("described", 4)
        answer = events.of("described")[3]
        assert answer.text == "Quadrat" and "Welche Form hat es?" in answer.details
    finally:
        queue.close()
        thread.join(10)


def test_a_missing_pair_is_said_once_with_the_english_description(in_german, scene_model, tmp_path):
    queue, events, thread = start({"model": str(scene_model), "language": "de", "model_dir": str(tmp_path)})
    try:
        for count, colour in enumerate(("red", "green"), 1):  # one after the other: a new one supersedes a queued one
            queue.submit(DescribeRequest(draw_scene(Scene(colour, "circle", "white"), (400, 300), random.Random(1)),
                                         "Bild", "paste"))
            assert events.wait_for("described", count)
        first, second = events.of("described")
        assert first.text.endswith("a red circle on a white background")
        assert "Deutsch" in first.text and first.text.index("Deutsch") < first.text.index("a red circle")
        assert "seesay download Helsinki-NLP/opus-mt-en-de" in first.details  # the way to get it, shown
        assert second.text == "a green circle on a white background"  # said once
        assert not events.of("failed")
    finally:
        queue.close()
        thread.join(10)


def test_the_translation_model_is_let_go_when_idle(in_german, scene_model, monkeypatch):
    monkeypatch.setattr(session, "IDLE_SECONDS", 0.5)
    released = threading.Event()
    original = session.TranslationSession.release_idle
    monkeypatch.setattr(session.TranslationSession, "release_idle",
                        lambda self: original(self) and (released.set() or True))
    queue, events, thread = start({"model": str(scene_model), "language": "de",
                                   "translation_model": translation_model("en-de")})
    try:
        picture = draw_scene(Scene("blue", "square", "white"), (400, 300), random.Random(4))
        queue.submit(DescribeRequest(picture, "Bild", "paste"))
        assert events.wait_for("described")
        assert released.wait(10), "the translation model was kept"
        queue.submit(DescribeRequest(picture, "Bild", "paste"))  # loaded again, said the same
        assert events.wait_for("described", 2)
        assert [d.text for d in events.of("described")] == ["ein blaues Quadrat auf weißem Hintergrund"] * 2
    finally:
        queue.close()
        thread.join(10)
