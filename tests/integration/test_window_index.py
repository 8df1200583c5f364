"""The window keeps its descriptions of picture files in the picture index only when the person asks
for it (``keep_in_index``): then ``seesay search`` finds them by their words; captures and pasted
pictures are never kept; an index that cannot be used leaves the description as it is, with why."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading

import pytest

from fixtures.scenes import Scene, draw_scene
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest
from seesay.describe.service import DescribeService
from seesay.vision.engine import load_captioner
from test_describe_service import Recorder

pytestmark = pytest.mark.slow


def running(scene_model, index, **values):
    queue, events = RequestQueue(), Recorder()
    service = DescribeService(queue, load_captioner, {"model": str(scene_model), **values}, events,
                              index_location=index)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    assert events.wait_for("ready")
    return queue, events, thread


def picture(tmp_path, scene: Scene, name: str):
    path = tmp_path / name
    draw_scene(scene, (320, 240), random.Random(3)).save(path)
    return path


def search(index, words: str) -> list[str]:
    found = subprocess.run([sys.executable, "-m", "seesay", "search", "--index", str(index), words],
                           capture_output=True, text=True, timeout=60)
    assert found.returncode in (0, 1), found.stderr
    return found.stdout.split()


def test_with_the_setting_on_the_files_the_window_describes_are_found_by_seesay_search(scene_model, tmp_path):
    index = tmp_path / "index.sqlite"
    queue, events, thread = running(scene_model, index, keep_in_index="on")
    try:
        opened = picture(tmp_path, Scene("green", "triangle", "white"), "holiday.png")
        dropped = picture(tmp_path, Scene("blue", "square", "black"), "dropped.png")
        screen = draw_scene(Scene("red", "circle", "white"), (320, 240), random.Random(4))
        for number, request in enumerate((DescribeRequest(str(opened), "holiday.png", "file"),
                                          DescribeRequest(str(dropped), "dropped.png", "drop"),
                                          DescribeRequest(screen, "screen", "screen", context="Viewer")), 1):
            queue.submit(request)  # one after the other: a newer request would take an older one's place
            assert events.wait_for("described", number)
    finally:
        queue.close()
        thread.join(10)
    assert search(index, "green triangle") == [str(opened)]
    assert search(index, "blue square") == [str(dropped)]
    assert search(index, "red circle") == []
    with sqlite3.connect(index) as database:
        assert database.execute("SELECT count(*) FROM files").fetchone()[0] == 2


def test_by_default_nothing_the_window_describes_is_kept(scene_model, tmp_path):
    index = tmp_path / "index.sqlite"
    queue, events, thread = running(scene_model, index)
    try:
        queue.submit(DescribeRequest(str(picture(tmp_path, Scene("green", "triangle", "white"), "a.png")), "a.png",
                                     "file"))
        assert events.wait_for("described")
    finally:
        queue.close()
        thread.join(10)
    assert not index.exists()


def test_an_index_that_cannot_be_used_leaves_the_description_and_says_why(scene_model, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the index's folder should be")
    queue, events, thread = running(scene_model, blocked / "index.sqlite", keep_in_index="on")
    try:
        queue.submit(DescribeRequest(str(picture(tmp_path, Scene("green", "triangle", "white"), "a.png")), "a.png",
                                     "file"))
        assert events.wait_for("described")
    finally:
        queue.close()
        thread.join(10)
    description = events.of("described")[0]
    assert description.text == "a green triangle on a white background"  # said as ever
    assert "index" in description.details.splitlines()[-1], description.details


def test_seesay_describe_of_plain_files_keeps_their_embeddings_for_search_by_meaning(scene_model, tmp_path):
    """Not only folder jobs: ``seesay describe FILE`` with the image-text matcher keeps each picture's
    embedding, so ``seesay search --meaning`` finds it by what it shows."""
    search_model = scene_model.parent / "scenes-itm-search"
    index = tmp_path / "index.sqlite"
    triangle = picture(tmp_path, Scene("green", "triangle", "white"), "one.png")
    circle = picture(tmp_path, Scene("yellow", "circle", "black"), "two.png")
    described = subprocess.run([sys.executable, "-m", "seesay", "describe", "--model", str(scene_model), "--itm-model",
                                str(search_model), "--index", str(index), str(triangle), str(circle)],
                               capture_output=True, text=True, timeout=300)
    assert described.returncode == 0, described.stderr
    meant = subprocess.run([sys.executable, "-m", "seesay", "search", "--meaning", "--index", str(index),
                            "--itm-model", str(search_model), "a yellow circle on a black background"],
                           capture_output=True, text=True, timeout=300)
    assert meant.returncode == 0, meant.stderr
    assert meant.stdout.split() == [str(circle), str(triangle)]  # both have their embedding, the circle first
