from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import pytest  # noqa: E402

from seesay.core import settings  # noqa: E402


@pytest.fixture
def make_app(qtbot, scene_model, tmp_path):
    """A real SeesayApp on the trained scene model, silent speech recorded to tmp_path/speech."""
    from seesay.app.application import SeesayApp

    apps = []

    def make(save: bool = False, **overrides):
        values = settings.resolve({"model": str(scene_model), "speech": "silent",
                                   "speech_dir": str(tmp_path / "speech"), **overrides})
        app = SeesayApp(values, save_settings=save)
        qtbot.addWidget(app.window)
        app.start()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.worker.shutdown()
        app.speaker.close()


def spoken(tmp_path) -> list[str]:
    folder = tmp_path / "speech"
    return [p.read_text().strip() for p in sorted(folder.glob("*.txt"))] if folder.exists() else []


def copy_scene_picture(scene, seed: int = 5, size: tuple[int, int] = (400, 300)) -> None:
    """Put a drawn scene on the clipboard as a picture, as a person's Copy Image does."""
    import io
    import random

    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from fixtures.scenes import draw_scene

    buffer = io.BytesIO()
    draw_scene(scene, size, random.Random(seed)).save(buffer, "PNG")
    QApplication.clipboard().setImage(QImage.fromData(buffer.getvalue()))


def type_and_enter(qtbot, window, key, field, words: str) -> None:
    """Ctrl+``key`` to ``field`` (it must get the keyboard), ``words`` typed, Enter: as a person does."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, words)
    qtbot.keyClick(field, Qt.Key.Key_Return)
