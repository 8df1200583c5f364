"""The worker loop with the real trained model: results, errors and cancellation as events."""

from __future__ import annotations

import random
import threading
import time

import pytest

from fixtures.scenes import Scene, draw_grid, draw_scene
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest, ReloadModel
from seesay.describe.service import DescribeService
from seesay.vision.engine import load_captioner

pytestmark = pytest.mark.slow


class Recorder:
    def __init__(self):
        self.events = []
        self.changed = threading.Condition()

    def _add(self, *event):
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    def wait_for(self, kind, count=1, timeout=30):
        with self.changed:
            return self.changed.wait_for(lambda: len(self.of(kind)) >= count, timeout)

    def of(self, kind):
        return [e[1] for e in self.events if e[0] == kind]

    def loading(self, message): self._add("loading", message)
    def ready(self, name): self._add("ready", name)
    def started(self, request): self._add("started", request)
    def part(self, part): self._add("part", part)
    def described(self, description): self._add("described", description)
    def cancelled(self, request): self._add("cancelled", request)
    def failed(self, failure): self._add("failed", failure)


@pytest.fixture
def service(scene_model):
    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(scene_model)}, events)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    yield queue, events
    queue.close()
    thread.join(10)


def png_bytes(scene: Scene) -> bytes:
    import io

    buffer = io.BytesIO()
    draw_scene(scene, (320, 240), random.Random(1)).save(buffer, "PNG")
    return buffer.getvalue()


def test_loads_then_describes_and_reports_bad_input(service):
    queue, events = service
    assert events.wait_for("ready")
    assert events.of("loading") == ["Loading the description model…"]
    queue.submit(DescribeRequest(png_bytes(Scene("yellow", "square", "white")), "pasted image", "paste"))
    assert events.wait_for("described")
    assert events.of("described")[0].text == "a yellow square on a white background"
    queue.submit(DescribeRequest(b"not a picture", "dropped data", "drop"))
    assert events.wait_for("failed")
    failure = events.of("failed")[0]
    assert failure.request.label == "dropped data" and "not an image" in failure.error.message


def test_a_captures_parts_are_reported_as_they_are_known_and_make_the_description(service):
    """The window's name (and the note) before anything is made; the rest after; together, the
    description word for word. A file has no parts: it is said whole, as before."""
    queue, events = service
    assert events.wait_for("ready")
    scene = Scene("red", "triangle", "black")
    queue.submit(DescribeRequest(png_bytes(scene), "screen", "screen", context="Viewer", note="Only one monitor."))
    assert events.wait_for("described")
    kinds = [event[0] for event in events.events]
    assert kinds.index("part") < kinds.index("described")
    (part,), description = events.of("part"), events.of("described")[0]
    assert (part.what, part.text) == ("window", "Only one monitor. Viewer.")
    assert description.unsaid == scene.caption and description.text == f"Viewer. {scene.caption}"
    queue.submit(DescribeRequest(png_bytes(scene), "pasted image", "paste"))
    assert events.wait_for("described", 2)
    assert len(events.of("part")) == 1 and events.of("described")[1].unsaid is None


def test_missing_model_is_reported_and_requests_fail_with_the_reason(tmp_path):
    queue, events = RequestQueue(), Recorder()
    values = {"model": str(tmp_path / "no-model")}
    service = DescribeService(queue, load_captioner, values, events)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    assert events.wait_for("failed")
    queue.submit(DescribeRequest(png_bytes(Scene("red", "circle", "black")), "pasted image", "paste"))
    assert events.wait_for("failed", 2)
    assert "does not exist" in events.of("failed")[1].error.message
    queue.close()
    thread.join(10)


def test_reload_switches_to_a_model_that_now_exists(tmp_path, scene_model):
    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(tmp_path / "none")}, events)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    assert events.wait_for("failed")
    queue.submit(ReloadModel({"model": str(scene_model)}))
    assert events.wait_for("ready")
    queue.close()
    thread.join(10)


def test_a_cancelled_request_is_not_described(service):
    queue, events = service
    assert events.wait_for("ready")
    request = DescribeRequest(png_bytes(Scene("blue", "circle", "black")), "pasted image", "paste")
    queue.submit(request)
    queue.cancel_all()  # whether it was waiting or already running, it must not be described
    queue.submit(DescribeRequest(png_bytes(Scene("green", "circle", "white")), "second", "paste"))
    assert events.wait_for("described")
    assert [d.text for d in events.of("described")] == ["a green circle on a white background"]


def test_a_request_cancelled_while_its_text_is_read_is_not_described(scene_model):
    """Shift+Esc during text reading (found by a review: the description was still spoken)."""
    from fixtures.text_pages import PARAGRAPHS, render_text
    from seesay.vision.ocr import create_text_reader

    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(scene_model)}, events,
                              make_reader=create_text_reader)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        assert events.wait_for("ready")
        page = render_text(PARAGRAPHS * 5, size=(1920, 1080), points=16)  # text reading takes a while
        queue.submit(DescribeRequest(page, "screen", "screen"))
        assert events.wait_for("started")
        queue.cancel_running()  # as Shift+Esc does, while the text is read
        assert events.wait_for("cancelled", timeout=30)
        time.sleep(0.5)  # nothing more arrives for it
        assert events.of("described") == []
    finally:
        queue.close()
        thread.join(10)


def test_detail_mode_names_each_quarter_with_its_place(service):
    queue, events = service
    assert events.wait_for("ready")
    scenes = [Scene("red", "circle", "white"), Scene("blue", "square", "black"),
              Scene("yellow", "triangle", "black"), Scene("green", "circle", "white")]
    queue.submit(DescribeRequest(draw_grid(scenes, (1280, 800)), "screen", "screen", detail=True))
    assert events.wait_for("described")
    spoken = events.of("described")[0].text
    # a collage of four: each picture said once, with its place, the top two before the bottom two
    # (as pictures of their own, "Picture at top right: …", or as quarters of one, "top right: …")
    at = [spoken.index(scene.caption) for scene in scenes]
    assert all(spoken.count(scene.caption) == 1 for scene in scenes), spoken
    assert max(at[:2]) < min(at[2:]), spoken
    assert spoken.count("Picture ") == 4 or spoken.count("In detail:") == 1, spoken


def test_detail_mode_says_an_empty_quarter_is_empty(service):
    from PIL import Image

    queue, events = service
    assert events.wait_for("ready")
    picture = Image.new("RGB", (800, 600), (255, 255, 255))
    picture.paste(draw_scene(Scene("blue", "triangle", "white"), (400, 300), random.Random(5)), (400, 300))
    queue.submit(DescribeRequest(picture, "screen", "screen", detail=True))
    assert events.wait_for("described")
    spoken = events.of("described")[0].text
    assert "top left: empty" in spoken and "top right: empty" in spoken and "bottom left: empty" in spoken
    assert "bottom right: a blue triangle on a white background" in spoken, spoken


@pytest.fixture
def answering(scene_model, vqa_model, request):
    """A running service with the scene captioner and the scene question model; a memory budget no
    test process reaches, unless the test is marked with another (``@pytest.mark.budget(MIB)``)."""
    from seesay.vision.engine import load_answerer

    marker = request.node.get_closest_marker("budget")
    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(scene_model), "vqa_model": str(vqa_model),
                                                      "memory_budget": marker.args[0] if marker else 65536},
                              events, load_answerer=load_answerer)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    yield queue, events
    queue.close()
    thread.join(10)
    assert not thread.is_alive()  # closing ends the loop, also while it waits with a timeout


def test_questions_are_answered_about_the_picture(answering):
    queue, events = answering
    picture = png_bytes(Scene("yellow", "square", "black"))
    for question in ("what color is the shape?", "what shape is it?", "what color is the background?"):
        queue.submit(DescribeRequest(picture, question, "question", question=question, about=1))
        assert events.wait_for("described", len(events.of("described")) + 1)
    answers = [(d.text, d.mode, d.caption.reused_picture) for d in events.of("described")]
    assert answers == [("yellow", "answer", False), ("square", "answer", True), ("black", "answer", True)]
    assert "Question: what shape is it?" in events.of("described")[1].details


def pressed_twice(queue, events, picture):
    """A screen described, then described in detail by a double press: both descriptions."""
    first = DescribeRequest(picture, "screen", "screen")
    queue.submit(first)
    assert events.wait_for("described")
    queue.submit(DescribeRequest(picture, "screen", "screen", detail=True, about=first.id))
    assert events.wait_for("described", 2)
    return events.of("described")


def test_a_screen_of_pictures_says_the_largest_and_detail_says_them_all_without_captioning_again(service):
    queue, events = service
    assert events.wait_for("ready")
    scenes = [Scene("green", "square", "white"), Scene("red", "triangle", "black"),
              Scene("blue", "circle", "white"), Scene("yellow", "square", "black")]
    plain, detailed = pressed_twice(queue, events, draw_grid(scenes, (1280, 800), seed=9))
    assert plain.mode == "screen" and plain.text.startswith("4 pictures; the 3 largest: Picture at top left: ")
    assert plain.text.count("Picture at") == 3
    assert all(f"{place}, 100% sure: {scene.caption}" in plain.details for place, scene in
               zip(("top left", "top right", "bottom left", "bottom right"), scenes))
    assert detailed.text == ". ".join(f"Picture at {place}: {scene.caption}" for place, scene in
                                      zip(("top left", "top right", "bottom left", "bottom right"), scenes))
    # not made again: the double press reuses the captions of the first
    assert [p.caption for p in detailed.seen.pictures] == [p.caption for p in plain.seen.pictures]
    assert all(a is b for a, b in zip((p.caption for p in detailed.seen.pictures),
                                      (p.caption for p in plain.seen.pictures)))


def test_detail_on_a_capture_that_is_one_picture_says_its_quarters(service):
    queue, events = service
    assert events.wait_for("ready")
    scene = Scene("red", "triangle", "black")
    plain, detailed = pressed_twice(queue, events, draw_scene(scene, (1280, 800), random.Random(4)))
    assert plain.text == scene.caption and plain.mode == "picture"
    assert detailed.caption is plain.caption  # not made again: only the quarters were captioned
    assert detailed.text.startswith(scene.caption + ". In detail: top left: ")
    assert "bottom right: " in detailed.text


def test_an_idle_question_model_is_let_go_and_loaded_again_when_asked(answering, monkeypatch):
    from seesay.describe import service as describe_service

    monkeypatch.setattr(describe_service, "ANSWERER_IDLE_SECONDS", 0.5)
    queue, events = answering
    picture = png_bytes(Scene("red", "square", "white"))
    asked = lambda: DescribeRequest(picture, "q", "question", question="what color is the shape?", about=1)  # noqa: E731
    loads = lambda: [m for m in events.of("loading") if "question" in m]  # noqa: E731
    queue.submit(asked())
    assert events.wait_for("described")
    queue.submit(asked())  # at once: the model is still loaded
    assert events.wait_for("described", 2)
    assert len(loads()) == 1
    time.sleep(1.5)  # idle: let go
    queue.submit(asked())
    assert events.wait_for("described", 3)
    assert len(loads()) == 2 and [d.text for d in events.of("described")] == ["red"] * 3


@pytest.mark.budget(300)
def test_over_the_memory_budget_the_question_model_is_let_go_after_each_question(answering):
    """With a budget below what seesay holds (this test process holds far more than 300 MiB), the
    question model is not kept for ten minutes: every question loads it again, and is answered."""
    from seesay.core.memory import resident_mib

    queue, events = answering
    picture = png_bytes(Scene("blue", "circle", "black"))
    for count in (1, 2):
        queue.submit(DescribeRequest(picture, "q", "question", question="what color is the shape?", about=1))
        assert events.wait_for("described", count)
        assert resident_mib() > 300  # torch and both models: over the budget
    assert [m for m in events.of("loading") if "question" in m] == ["Loading the question-answering model…"] * 2
    assert [d.text for d in events.of("described")] == ["blue", "blue"]
