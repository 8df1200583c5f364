"""First use without a model: the dialog downloads it (from a hub on loopback) or takes a folder."""

from __future__ import annotations

import io
import random
import shutil

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from fixtures.fake_hub import FakeHub
from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken

pytestmark = pytest.mark.slow


def paste_scene(app, scene: Scene) -> None:
    buffer = io.BytesIO()
    draw_scene(scene, (300, 200), random.Random(1)).save(buffer, "PNG")
    QApplication.clipboard().setImage(QImage.fromData(buffer.getvalue()))
    app.window.commands["paste"].trigger()


def test_missing_model_offers_a_download_that_then_describes(qtbot, make_app, scene_model, tmp_path):
    with FakeHub({"test/scenes": scene_model}) as hub:
        app = make_app(model="test/scenes", model_dir=str(tmp_path / "models"))
        app.download_endpoint = hub.endpoint
        qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
        assert "is not on this computer" in app.model_dialog.message.text()
        assert any("is not on this computer" in line for line in spoken(tmp_path))
        app.model_dialog.download_button.click()
        qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)
    assert (tmp_path / "models" / "test--scenes" / "model.safetensors").is_file()
    paste_scene(app, Scene("yellow", "circle", "white"))
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=20000)
    assert app.window.current_text() == "a yellow circle on a white background"


def test_offline_the_dialog_explains_what_to_do(qtbot, make_app, tmp_path):
    app = make_app(model="test/scenes", model_dir=str(tmp_path / "models"))
    app.download_endpoint = "http://127.0.0.1:9"
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    app.model_dialog.download_button.click()
    qtbot.waitUntil(lambda: "no connection" in app.model_dialog.message.text(), timeout=30000)
    assert "choose it with the folder button" in app.model_dialog.message.text()
    assert app.model_dialog.download_button.isEnabled()


def test_a_download_can_be_cancelled_and_is_never_used_half_done(qtbot, make_app, scene_model, tmp_path):
    with FakeHub({"test/scenes": scene_model}) as hub:
        hub.chunk_delay = 0.2  # about 5 seconds for the weights
        app = make_app(model="test/scenes", model_dir=str(tmp_path / "models"))
        app.download_endpoint = hub.endpoint
        qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
        dialog = app.model_dialog
        dialog.download_button.click()
        qtbot.waitUntil(lambda: dialog.progress.maximum() == 1000, timeout=20000)
        dialog.cancel_button.click()
        qtbot.waitUntil(lambda: "cancelled" in dialog.message.text(), timeout=20000)
    assert not (tmp_path / "models" / "test--scenes" / ".seesay-complete").exists()
    assert dialog.isVisible()


def test_choosing_a_model_folder_loads_it(qtbot, make_app, scene_model, tmp_path):
    app = make_app(model=str(tmp_path / "not-yet"))
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible(), timeout=20000)
    app.model_dialog.use_folder(tmp_path)  # not a model: says why, stays open
    assert "has no model in it" in app.model_dialog.message.text()
    copy = tmp_path / "my-model"
    shutil.copytree(scene_model, copy)
    app.model_dialog.use_folder(copy)
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)
    assert app.values["model"] == str(copy)
