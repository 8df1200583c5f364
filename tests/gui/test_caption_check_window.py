"""Captions checked against the picture, in the window (Qt offscreen, real worker, the trained scene
captioner and image-text matcher): what is heard and what the details show."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from fixtures.scenes import Scene, draw_scene
from fixtures.text_pages import FONT
from gui.conftest import spoken

pytestmark = pytest.mark.slow
ITM_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm"


def drop_files(window, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    window.dropEvent(QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))


def test_a_caption_the_matcher_rejects_is_not_heard_and_the_details_show_both_numbers(qtbot, make_app, tmp_path):
    app = make_app(itm_model=str(ITM_MODEL), memory_budget=65536)  # room for every model in this test process
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)
    scene = Scene("red", "circle", "white")
    picture = tmp_path / "scene.png"
    draw_scene(scene, (400, 300), random.Random(4)).save(picture)
    words = tmp_path / "words.png"  # a few words: the captioner invents "a blue circle on a white background"
    image = Image.new("RGB", (353, 122), "white")
    ImageDraw.Draw(image).text((20, 30), "Quarterly Invoice", fill="black", font=ImageFont.truetype(FONT, 40))
    image.save(words)

    drop_files(app.window, [picture, words])
    qtbot.waitUntil(lambda: app.window.history.count() == 2, timeout=60000)
    heard = spoken(tmp_path)
    assert scene.caption in heard
    said_of_words = next(line for line in heard if "Quarterly" in line)
    assert said_of_words.startswith("I can't tell what this picture shows.")
    assert not any(shape in said_of_words for shape in ("circle", "square", "triangle"))
    app.window.history.setCurrentRow(0)  # the newest: the words, still shown with both numbers
    shown = re.search(r"Picture, (\d+)% sure, fits the picture (\d+)%: (.+)", app.window.details.toPlainText())
    assert shown and int(shown[2]) < 50 and any(s in shown[3] for s in ("circle", "square", "triangle")), shown
    app.window.history.setCurrentRow(1)
    shown = re.search(r"Picture, (\d+)% sure, fits the picture (\d+)%: (.+)", app.window.details.toPlainText())
    assert shown and int(shown[2]) >= 90 and shown[3] == scene.caption, shown
