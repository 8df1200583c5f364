"""First word first (issue 16): the window's name is heard at once, while the model works, and a
text screen's text before any caption; the rest follows, and all that is heard together is what
one description said before. The model step is held until the test has heard what must come
before it, so "before the caption is done" is shown, not hoped for."""

from __future__ import annotations

import random
import threading
import time

import pytest

from fixtures.scenes import Scene, draw_scene
from fixtures.text_pages import PARAGRAPHS, render_text
from gui.conftest import spoken
from seesay.core import settings
from seesay.core.requests import DescribeRequest

pytestmark = pytest.mark.slow


class HeldCaptioner:
    """The real captioner, whose captions wait until the test lets them go (a deliberately slow
    model step); it notes when each batch began and ended."""

    def __init__(self, captioner) -> None:
        self._captioner = captioner
        self.entered = threading.Event()
        self.released = threading.Event()
        self.done_at: list[float] = []

    def __getattr__(self, name):
        return getattr(self._captioner, name)

    def describe_batch(self, pictures, cancelled=None):
        self.entered.set()
        assert self.released.wait(60), "the test never let the caption go"
        captions = self._captioner.describe_batch(pictures, cancelled)
        self.done_at.append(time.perf_counter())
        return captions


@pytest.fixture
def held_app(qtbot, scene_model, tmp_path):
    from seesay.app.application import SeesayApp
    from seesay.vision.engine import load_captioner

    held = []

    def load(values):
        held.append(HeldCaptioner(load_captioner(values)))
        return held[-1]

    values = settings.resolve({"model": str(scene_model), "speech": "silent", "speech_dir": str(tmp_path / "speech")})
    app = SeesayApp(values, load=load, save_settings=False)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.worker.signals.ready, timeout=60000):
        app.start()
    started: list[tuple[float, str]] = []  # (when, what) of each utterance, on the speech thread
    app.speaker.listeners.started.append(lambda utterance: started.append((time.perf_counter(), utterance.text)))
    yield app, held[0], started
    held[0].released.set()
    app.worker.shutdown()
    app.speaker.close()


def describe(qtbot, app, picture, context: str):
    """Hand the worker a capture of a window named ``context``, as the screen key does."""
    described = []
    app.worker.signals.described.connect(described.append)
    app.worker.submit(DescribeRequest(picture, "screen", "screen", context=context))
    return described


def test_the_windows_name_is_heard_before_the_caption_is_done(qtbot, held_app, tmp_path):
    app, captioner, started = held_app
    scene = Scene("blue", "circle", "white")
    heard_before = len(spoken(tmp_path))
    described = describe(qtbot, app, draw_scene(scene, (1280, 800), random.Random(1)), "Holiday photo - Viewer")

    qtbot.waitUntil(captioner.entered.is_set, timeout=30000)  # the model is at work, and held there
    qtbot.waitUntil(lambda: "Holiday photo - Viewer." in spoken(tmp_path)[heard_before:], timeout=10000)
    assert not captioner.done_at and not described  # heard while no caption was made
    captioner.released.set()
    qtbot.waitUntil(lambda: len(described) == 1, timeout=60000)
    qtbot.waitUntil(lambda: len(spoken(tmp_path)) >= heard_before + 2, timeout=10000)

    heard = spoken(tmp_path)[heard_before:]
    assert heard == ["Holiday photo - Viewer.", scene.caption]
    assert " ".join(heard) == described[0].text == f"Holiday photo - Viewer. {scene.caption}"  # as before, in one
    name_at = next(at for at, text in started if text == "Holiday photo - Viewer.")
    assert name_at < captioner.done_at[0]  # measured: the name started before the caption existed


def test_a_text_screens_text_is_heard_before_any_caption_is_made(qtbot, held_app, tmp_path):
    app, captioner, _started = held_app
    heard_before = len(spoken(tmp_path))
    described = describe(qtbot, app, render_text(PARAGRAPHS), "notes.txt - Editor")

    qtbot.waitUntil(captioner.entered.is_set, timeout=30000)
    qtbot.waitUntil(lambda: len(spoken(tmp_path)) >= heard_before + 2, timeout=30000)
    name, text = spoken(tmp_path)[heard_before:heard_before + 2]
    assert not captioner.done_at and not described
    assert name == "notes.txt - Editor." and text.startswith("Text: Dear team, the quarterly report")
    captioner.released.set()
    qtbot.waitUntil(lambda: len(described) == 1, timeout=60000)

    # the whole screen's caption is never spoken on a text screen: nothing is left to say, and what
    # was heard is the description, word for word
    assert described[0].unsaid == ""
    assert " ".join(spoken(tmp_path)[heard_before:]) == described[0].text
