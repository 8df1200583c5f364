"""Searching the picture index from the window: keys only, what was found heard and listed, a picture's
description opened with Enter; an index that is missing or locked is said, and the window stays up."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken, type_and_enter
from gui.test_magnification import problems, settle, shoot, window_at  # noqa: F401 (a fixture)
from gui.test_window import wait_ready
from seesay.describe import index

pytestmark = pytest.mark.slow


def describe_into_the_index(scene_model, folder, scenes: dict[str, Scene]) -> None:
    """Draw the scenes as picture files and describe them with ``seesay describe``, which keeps them in
    the person's picture index (in the test's own home)."""
    folder.mkdir()
    for number, (name, scene) in enumerate(scenes.items()):
        draw_scene(scene, (320, 240), random.Random(number)).save(folder / name)
    result = subprocess.run([sys.executable, "-m", "seesay", "describe", "--model", str(scene_model),
                             *(str(folder / name) for name in scenes)],
                            capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    assert index.default_location().is_file()


def search(qtbot, window, words: str) -> None:
    type_and_enter(qtbot, window, Qt.Key.Key_F, window.search_bar.field, words)  # Ctrl+F: to the search field


def test_pictures_found_are_said_listed_and_opened_with_enter(qtbot, make_app, tmp_path, scene_model):
    describe_into_the_index(scene_model, tmp_path / "pictures", {
        "beach.png": Scene("red", "circle", "white"), "night.png": Scene("red", "circle", "black"),
        "sea.png": Scene("blue", "triangle", "white")})
    app = make_app()
    window = app.window
    wait_ready(qtbot, app)
    window.activateWindow()
    assert window.search_bar.field.accessibleName() == "Search the picture index"
    assert not window.search_bar.results.isVisible()  # nothing found yet: Tab does not stop on an empty list

    search(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: any(line.startswith("2 pictures found: ") for line in spoken(tmp_path)), timeout=10000)
    said = next(line for line in spoken(tmp_path) if line.startswith("2 pictures found: "))
    assert sorted(said.removeprefix("2 pictures found: ").removesuffix(".").split(", ")) == ["beach.png", "night.png"]
    assert said in window.status.text()
    results = window.search_bar.results
    assert results.isVisible() and results.accessibleName() == "Pictures found"
    listed = [results.item(row).text() for row in range(results.count())]
    assert sorted(text.split(" — ")[0] for text in listed) == ["beach.png", "night.png"]
    assert all("red circle" in text for text in listed)
    assert window.search_bar.field.text() == "red circle"  # still there, to change a word and search again

    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Down)  # to the list, on the best match
    assert QApplication.focusWidget() is results
    qtbot.keyClick(results, Qt.Key.Key_Down)
    second = results.currentItem().text().split(" — ")[0]
    background = "white" if second == "beach.png" else "black"
    qtbot.keyClick(results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1].startswith(f"{second}: "), timeout=10000)
    assert f"red circle on a {background} background" in spoken(tmp_path)[-1]
    assert f"red circle on a {background} background" in window.current_text()
    details = window.details.toPlainText()
    assert str(tmp_path / "pictures" / second) in details and "Caption: " in details

    search(qtbot, window, "purple hexagon")
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1] == "No picture in the index matches purple hexagon.", timeout=10000)
    assert not results.isVisible()

    window.description.setFocus()  # the field is reached with Tab too
    for _ in range(40):
        if QApplication.focusWidget() is window.search_bar.field:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.search_bar.field


def test_without_an_index_the_search_says_how_to_make_one(qtbot, make_app, tmp_path):
    app = make_app()
    window = app.window
    wait_ready(qtbot, app)
    window.activateWindow()
    search(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: any("There is no picture index yet" in line for line in spoken(tmp_path)), timeout=10000)
    assert "There is no picture index yet" in window.status.text()
    assert "seesay describe --recursive FOLDER" in window.current_text()
    assert not index.default_location().exists()  # not made empty by searching
    assert window.isVisible() and app.worker is not None


def test_a_locked_index_is_said_and_the_window_keeps_answering(qtbot, make_app, tmp_path, scene_model):
    describe_into_the_index(scene_model, tmp_path / "pictures", {"beach.png": Scene("red", "circle", "white")})
    holder = sqlite3.connect(index.default_location(), isolation_level=None)  # another program, writing
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM files WHERE 0")
    try:
        app = make_app()
        window = app.window
        wait_ready(qtbot, app)
        window.activateWindow()
        started = time.monotonic()
        search(qtbot, window, "red circle")
        qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # keys still work meanwhile
        assert QApplication.focusWidget() is window.ask_bar.field
        assert time.monotonic() - started < index.BUSY_SECONDS / 2
        qtbot.waitUntil(lambda: any("is in use by another program" in line for line in spoken(tmp_path)),
                        timeout=int(index.BUSY_SECONDS * 1000) + 10000)
        assert "is in use by another program" in window.status.text()
        assert "is in use by another program" in window.current_text()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    search(qtbot, window, "red circle")  # once the other program is done, the same search finds it
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1] == "1 picture found: beach.png.", timeout=10000)


@pytest.mark.parametrize("percent", (100, 200, 400))
def test_pictures_found_fit_at_every_text_size(qtbot, window_at, tmp_path, percent):  # noqa: F811
    window = window_at("yellow-on-black", percent)
    folder = tmp_path / "Pictures from the summer holidays by the sea"
    found = [index.Found(path=str(folder / f"{name}.jpg"), said=f"a {colour} circle on a white background",
                         caption=f"a {colour} circle on a white background", text="", score=1.0)
             for name, colour in (("beach", "red"), ("dunes", "blue"), ("harbour-at-night-with-boats", "green"))]
    window.show_found(found)
    window.search_bar.field.setText("circle")
    settle()
    window.page.ensureWidgetVisible(window.search_bar.results)  # as when it has the keyboard
    settle()
    shoot(window, f"window-search-{percent}")
    shoot(window.search_bar, f"search-bar-{percent}")
    assert window.search_bar.results.isVisible()
    assert problems(window) == []
