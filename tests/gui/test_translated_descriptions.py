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


def published_pair(folder: Path, direction: str) -> Path:
    """A hub Marian model of the scene grammar's words (untrained: the plumbing, not the words), as
    the hub publishes it."""
    from fixtures.train_scene_translation import build_model, build_tokenizer, pairs_for

    folder.mkdir(parents=True)
    build_model(build_tokenizer(pairs_for(direction), folder)).save_pretrained(folder, safe_serialization=True)
    return folder


def test_a_missing_pair_is_offered_in_the_window_and_its_button_downloads_it(qtbot, make_app, tmp_path,
                                                                             german):  # noqa: F811
    """No dialog comes by itself (the person may be in another program); the window shows the offer,
    its button opens the download of both models, and the next description is translated."""
    from fixtures.fake_hub import FakeHub

    into = published_pair(tmp_path / "published-en-de", "en-de")
    back = published_pair(tmp_path / "published-de-en", "de-en")
    models = tmp_path / "models"
    app = make_app(model_dir=str(models))
    qtbot.waitUntil(lambda: "Bereit" in app.window.status.text(), timeout=30000)
    assert not app.window.offer_bar.isVisible()
    copy_scene_picture(Scene("blue", "triangle", "white"))
    app.handle_command("describe_clipboard")
    qtbot.waitUntil(lambda: any(text.endswith("a blue triangle on a white background") for text in spoken(tmp_path)),
                    timeout=20000)
    bar = app.window.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert app.model_dialog is None or not app.model_dialog.isVisible()  # never opened by itself
    assert "Deutsch" in bar.label.text() and bar.download_button.focusPolicy() != 0  # reachable with Tab
    with FakeHub({"Helsinki-NLP/opus-mt-en-de": into, "Helsinki-NLP/opus-mt-de-en": back}) as hub:
        app.download_endpoint = hub.endpoint
        bar.download_button.click()
        dialog = app.model_dialog
        qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
        assert "Helsinki-NLP/opus-mt-en-de + Helsinki-NLP/opus-mt-de-en" in dialog.download_button.text()
        assert not dialog.folder_button.isVisible()  # a folder is chosen in Settings
        area = dialog._message_area.viewport()  # the whole message shown at once (its size hint showed 3 lines)
        assert area.height() >= dialog.message.heightForWidth(area.width()), (area.size(), dialog.size())
        dialog.download_button.click()
        qtbot.waitUntil(lambda: not bar.isVisible() or "Verbindung" in dialog.message.text(), timeout=60000)
        assert not bar.isVisible(), dialog.message.text()
    assert (models / "Helsinki-NLP--opus-mt-en-de.int8.safetensors").is_file()  # made ready at once
    assert (models / "Helsinki-NLP--opus-mt-de-en.int8.safetensors").is_file()
    qtbot.waitUntil(lambda: any("Übersetzungsmodelle" in text for text in spoken(tmp_path)), timeout=5000)
    before = len(spoken(tmp_path))
    copy_scene_picture(Scene("red", "circle", "black"))
    app.handle_command("describe_clipboard")
    qtbot.waitUntil(lambda: app.window.history.count() == 2, timeout=30000)
    said = spoken(tmp_path)[before:]
    assert said and "a red circle on a black background" not in said[-1], said  # translated now
    assert not any("nicht auf diesem Computer" in text for text in said), said  # nothing missing any more
    assert not bar.isVisible()
