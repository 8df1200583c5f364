"""The window in German describes in German (issue 17, part 2): the trained scene models, the
trained English-to-German scene translation model, Qt offscreen, what is spoken recorded. Without a
translation model, the one sentence that says so comes first, once, and the caption is English."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.scenes import Scene
from gui.conftest import copy_scene_picture, spoken
from gui.test_translations_window import german  # noqa: F401 - the fixture: seesay and Qt in German

pytestmark = pytest.mark.slow
GERMAN = str(Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-translate-en-de")


def test_the_window_says_the_caption_in_german(qtbot, make_app, tmp_path, german):  # noqa: F811
    app = make_app(translation_model=GERMAN)
    qtbot.waitUntil(lambda: "Bereit" in app.window.status.text(), timeout=30000)
    copy_scene_picture(Scene("blue", "triangle", "white"))
    app.handle_command("describe_clipboard")
    qtbot.waitUntil(lambda: "ein blaues Dreieck auf weißem Hintergrund" in spoken(tmp_path), timeout=20000)
    shown = app.window.details.toPlainText()  # what the window shows: the caption in German, how sure
    assert "ein blaues Dreieck auf weißem Hintergrund" in shown and "Bild, " in shown, shown

def test_without_the_model_it_says_so_once_and_speaks_english(qtbot, make_app, tmp_path, german):  # noqa: F811
    app = make_app(model_dir=str(tmp_path / "models"))
    qtbot.waitUntil(lambda: "Bereit" in app.window.status.text(), timeout=30000)
    for count, scene in enumerate((Scene("blue", "triangle", "white"), Scene("red", "circle", "black")), 1):
        copy_scene_picture(scene)
        app.handle_command("describe_clipboard")
        qtbot.waitUntil(lambda: sum(text.endswith(" background") for text in spoken(tmp_path)) == count,
                        timeout=20000)
    first, second = [text for text in spoken(tmp_path) if text.endswith(" background")]
    assert first.startswith("Das Modell, das Beschreibungen in die Sprache Deutsch übersetzt")
    assert first.endswith("a blue triangle on a white background")
    assert second.startswith("a red circle on a black background")  # said once: not again
    assert "Deutsch" not in second
