"""No silent failure in the window: a sound device that does not work, a download that fails in the
model dialog and a question asked before its model is there are each said (through the channel that
works), shown whole and logged, and the question is kept and answered once the model is there."""

from __future__ import annotations

import logging
import os
import re
import shutil

import pytest
from PySide6.QtWidgets import QApplication

from fixtures.broken_audio import broken_players
from fixtures.scenes import Scene
from gui.conftest import spoken
from gui.test_window import qimage

pytestmark = pytest.mark.slow
READY_WORDS = "Drop, paste or open a picture"


def _players_on_path(monkeypatch, folder) -> None:
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")


@pytest.fixture
def no_sound_device(tmp_path, monkeypatch, no_speechd):  # Speech Dispatcher cannot start either
    _players_on_path(monkeypatch, broken_players(tmp_path / "bin"))


@pytest.fixture
def sound_device_that_goes_away(tmp_path, monkeypatch, no_speechd):
    gone = tmp_path / "gone"
    _players_on_path(monkeypatch, broken_players(tmp_path / "bin", until=gone))
    return gone


def logged(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING)


def test_no_sound_device_at_start_is_shown_logged_and_the_status_never_says_ready(
        qtbot, make_app, no_sound_device, tmp_path, caplog):
    app = make_app(speech_output="own-voice")
    status = app.window.status
    qtbot.waitUntil(lambda: READY_WORDS in status.text(), timeout=30000)
    assert not status.text().startswith("Ready"), status.text()
    assert "audio open error" in status.text() and "sound device" in status.text(), status.text()
    assert "audio open error" in logged(caplog)
    assert any("audio open error" in line for line in spoken(tmp_path))  # written down: nothing can say it


def test_a_sound_device_that_goes_away_is_reported_with_what_was_not_heard(
        qtbot, make_app, sound_device_that_goes_away, tmp_path, caplog):
    app = make_app(speech_output="own-voice")
    qtbot.waitUntil(lambda: app.window.status.text().startswith("Ready"), timeout=30000)
    sound_device_that_goes_away.touch()
    scene = Scene("red", "circle", "white")
    QApplication.clipboard().setImage(qimage(scene))
    app.window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: any("audio open error" in line for line in spoken(tmp_path)), timeout=30000)
    notice = next(line for line in spoken(tmp_path) if "audio open error" in line)
    assert "Speech is off" in notice and "sound device" in notice, notice
    # the notice comes with what was not heard: the caption, or "Ready" when that was still playing
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1].endswith(scene.caption), timeout=30000)
    # the speaker writes down what was not heard before its problem reaches the window (a signal
    # from the speech thread, handled on the window's): the status says it once that arrives
    qtbot.waitUntil(lambda: "Speech is off" in app.window.status.text(), timeout=10000)
    assert "audio open error" in logged(caplog)


def test_offline_download_in_the_dialog_is_spoken_shown_whole_and_logged(qtbot, make_app, tmp_path, caplog):
    app = make_app(model="test/scenes", model_dir=str(tmp_path / "models"))
    app.download_endpoint = "http://127.0.0.1:9"
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    dialog = app.model_dialog
    dialog.download_button.click()
    qtbot.waitUntil(lambda: "no connection" in dialog.message.text(), timeout=30000)
    qtbot.waitUntil(lambda: any("no connection" in line for line in spoken(tmp_path)), timeout=10000)
    said = next(line for line in spoken(tmp_path) if "no connection" in line)
    assert "folder" in said and "seesay download" not in said, said  # what to do, not a command line
    assert "no connection" in logged(caplog)
    QApplication.processEvents()
    label = dialog.message
    needed = label.heightForWidth(label.width())
    assert label.height() >= needed, f"the message needs {needed} px and has {label.height()}"
    assert dialog.rect().contains(label.geometry()), (label.geometry(), dialog.rect())
    assert dialog.download_button.isEnabled()


def test_choosing_a_folder_that_holds_no_model_is_spoken_and_logged(qtbot, make_app, tmp_path, caplog):
    app = make_app(model=str(tmp_path / "not-yet"))
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    empty = tmp_path / "empty"
    empty.mkdir()
    before = len(spoken(tmp_path))
    app.model_dialog.use_folder(empty)
    qtbot.waitUntil(lambda: len(spoken(tmp_path)) > before, timeout=10000)
    said = spoken(tmp_path)[-1]
    assert said.startswith("That folder has no model in it. Choose a folder that holds a whole model"), said
    assert not command_lines_or_paths(said), said  # the folder and the --model flag are shown, not said
    assert str(empty) in app.model_dialog.message.text() and "--model" in app.model_dialog.message.text()
    assert str(empty) in logged(caplog)


COMMAND_LINE = re.compile(r"seesay download|sudo |apt |pip install|--[a-z]|(?:^|\s)~?/\S")  # a path from the root


def command_lines_or_paths(text: str) -> list[str]:
    return COMMAND_LINE.findall(text)


def test_speech_says_what_to_do_while_the_window_shows_the_command_line(qtbot, make_app, tmp_path, vqa_model):
    app = make_app(model="test/scenes", model_dir=str(tmp_path / "models"))  # not downloaded
    qtbot.waitUntil(lambda: any("is not on this computer" in line for line in spoken(tmp_path)), timeout=20000)
    said = next(line for line in spoken(tmp_path) if "is not on this computer" in line)
    assert said.endswith("Download it once, or choose a model folder you already have in Settings. "
                         "The window shows how."), said
    assert not command_lines_or_paths(said), said
    assert "seesay download test/scenes" in app.window.status.text()  # shown whole
    assert str(tmp_path / "models") in app.window.status.text()



def test_text_reading_missing_is_said_without_the_install_command(monkeypatch):
    from seesay.vision import ocr

    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())  # a system without Tesseract's language data
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    reader, shown = ocr.create_text_reader()
    assert "sudo apt install tesseract-ocr tesseract-ocr-eng" in shown
    assert reader.spoken == ("Text on screen cannot be read: Tesseract's language data was not found. "
                             "Install Tesseract OCR with English language data; the window shows how.")


def test_a_question_asked_before_the_question_model_is_there_is_kept_and_answered(
        qtbot, make_app, tmp_path, vqa_model):
    app = make_app(vqa_model=str(tmp_path / "no-such-model"))
    qtbot.waitUntil(lambda: app.window.status.text().startswith("Ready"), timeout=30000)
    scene = Scene("red", "circle", "black")
    QApplication.clipboard().setImage(qimage(scene))
    app.window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == [scene.caption], timeout=20000)
    app.ask("what color is the shape?")
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: any("kept" in line for line in spoken(tmp_path)), timeout=10000)
    assert "kept" in app.window.status.text() or "kept" in app.window.current_text()
    said = next(line for line in spoken(tmp_path) if "kept" in line)  # what to do, in words; the flag is shown
    assert "That model folder does not exist. Choose a folder that holds a model." in said, said
    assert not command_lines_or_paths(said.split(": ", 1)[1]), said  # after the question it answers
    assert "--model" in app.window.status.text() + app.window.current_text()
    app.model_dialog.use_folder(vqa_model)
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1:] == ["red"], timeout=30000)
    assert app.window.history.count() == 2


def test_a_model_that_cannot_be_loaded_is_said_without_the_command(qtbot, make_app, scene_model, tmp_path):
    broken = tmp_path / "broken-model"
    shutil.copytree(scene_model, broken)
    (broken / "tokenizer.json").write_text("not json")  # passes the folder's checks, fails to load
    app = make_app(model=str(broken))
    qtbot.waitUntil(lambda: any("could not be loaded" in line for line in spoken(tmp_path)), timeout=30000)
    said = next(line for line in spoken(tmp_path) if "could not be loaded" in line)
    assert said == ("The model in that folder could not be loaded: it may be damaged or be another kind of model. "
                    "Download it again, or choose another model folder."), said
    assert "seesay download" in app.window.status.text() and str(broken) in app.window.status.text()
