"""A real web page, rendered by Chromium (headless, from a local file): a navigation bar, a side
panel, an article with a picture floated beside it, and a table. The picture is described with
its place, the article's words are read in order after the panel's, and the table row by row."""

from __future__ import annotations

import os
import random
import signal
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from fixtures.browser_shots import chromium, headless_shot, own_temporary_folder
from fixtures.scenes import Scene, draw_scene
from fixtures.text_pages import words_right
from seesay.describe.pipeline import look, say
from seesay.vision.engine import load_captioner
from seesay.vision.ocr import create_text_reader

pytestmark = pytest.mark.slow
PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "library.html"
ARTICLE = ("The library opens on Sundays From next month the town library will open on Sundays from ten until four. "
           "The council agreed to the change after a survey of readers. Volunteers will run the reading room, and "
           "the children's corner will hold a story hour at eleven.")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Image.Image, Scene]:
    folder = tmp_path_factory.mktemp("page")
    shutil.copy(PAGE, folder / "library.html")
    scene = Scene("red", "circle", "white")
    draw_scene(scene, (320, 240), random.Random(2)).save(folder / "scene.png")
    return Image.open(headless_shot(folder / "library.html", folder)).convert("RGB"), scene


def test_a_web_page_is_said_picture_first_then_its_text_in_reading_order(page, scene_model):
    image, scene = page
    reader, problem = create_text_reader()
    assert problem is None, problem
    captioner = load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model)
    seen = look(image, captioner, reader)
    said = say(seen, {"text_words": 200}, context="Library - Chromium")
    assert said.spoken.startswith(f"Library - Chromium. Picture at top right: {scene.caption}. Text: "), said.spoken
    lines = [line.text for line in seen.read.lines]
    text = " ".join(lines)
    assert words_right(ARTICLE.split(), text) >= 0.95, lines
    assert text.index("Contact us") < text.index("The library opens")  # the side panel, then the article
    rows = {row.split(",")[0].split()[0]: row for row in lines if row.startswith(("Day", "Saturday", "Sunday"))}
    assert set(rows) == {"Day", "Saturday", "Sunday"}, lines  # each table row on one line, in order
    assert all(word in rows["Saturday"] for word in ("nine", "five")) and "four" in rows["Sunday"]
    assert [r for r in lines if r in rows.values()] == [rows["Day"], rows["Saturday"], rows["Sunday"]]


@pytest.fixture(scope="module")
def browser_window(tmp_path_factory) -> tuple[Image.Image, Scene]:
    """The same page in Chromium's own window, as a person sees it: tab strip, address bar and
    buttons round the page (under Xvfb with a window manager)."""
    import time

    from fixtures.desktop import desktop_with_window_manager, screenshot

    folder = tmp_path_factory.mktemp("window")
    shutil.copy(PAGE, folder / "library.html")
    scene = Scene("red", "circle", "white")
    draw_scene(scene, (320, 240), random.Random(2)).save(folder / "scene.png")
    with desktop_with_window_manager({}) as (env, _processes):
        browser = subprocess.Popen(  # --test-type: no bar warning about --no-sandbox (needed as root)
            [chromium(), "--no-sandbox", "--test-type", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--password-store=basic", f"--user-data-dir={folder / 'profile'}", "--window-position=0,0",
             "--window-size=1280,800", (folder / "library.html").as_uri()],
            env={**env, **own_temporary_folder(folder)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            time.sleep(8)  # started, page loaded and painted
            shot = screenshot(env["DISPLAY"], folder / "shot.png")
        finally:
            os.killpg(browser.pid, signal.SIGTERM)  # the browser and its helper processes, by its group's id
            browser.wait(30)
    return Image.open(shot).convert("RGB"), scene


def test_in_a_browser_window_the_article_is_said_before_the_tabs_address_bar_and_side_panel(browser_window,
                                                                                             scene_model):
    image, scene = browser_window
    reader, _problem = create_text_reader()
    captioner = load_captioner({"model": str(scene_model), "device": "cpu"}, folder=scene_model)
    seen = look(image, captioner, reader)
    said = say(seen, {}, context="library.html - Chromium")  # the usual 40 words
    assert said.spoken.startswith(f"library.html - Chromium. Picture on the right: {scene.caption}. "
                                  "Text: The library opens on Sundays From next month the town library"), said.spoken
    for chrome in ("Sign in", "File", "Home", "News", "Latest", "Contact us", "Buttons"):
        assert chrome not in said.spoken, said.spoken
    assert "Contact us" in said.shown and "Sign in to Chromium" in said.shown  # all of it is in the details
    assert said.shown.index("Sign in") < said.shown.index("The library opens")  # shown in reading order
