"""The window with the real worker and the trained scene model (Qt offscreen)."""

from __future__ import annotations

import io
import random

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from fixtures.scenes import Scene, draw_scene
from gui.conftest import spoken

pytestmark = pytest.mark.slow


def scene_file(tmp_path, scene: Scene, name: str | None = None):
    path = tmp_path / (name or f"{scene.colour}-{scene.shape}-{scene.background}.png")
    draw_scene(scene, (400, 300), random.Random(len(name or "") + 3)).save(path)
    return path


def qimage(scene: Scene) -> QImage:
    buffer = io.BytesIO()
    draw_scene(scene, (400, 300), random.Random(5)).save(buffer, "PNG")
    return QImage.fromData(buffer.getvalue())


def drop(window, mime: QMimeData) -> None:
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def wait_ready(qtbot, app):
    qtbot.waitUntil(lambda: "Ready" in app.window.status.text(), timeout=30000)


def test_paste_describes_speaks_and_fills_the_history_newest_first(qtbot, make_app, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    window = app.window
    first, second = Scene("red", "circle", "white"), Scene("green", "square", "black")
    for scene in (first, second):
        QApplication.clipboard().setImage(qimage(scene))
        count = window.history.count()
        window.commands["paste"].trigger()
        qtbot.waitUntil(lambda: window.history.count() == count + 1, timeout=20000)
    assert window.current_text() == second.caption
    assert window.history.item(0).text().endswith(second.caption)
    assert "pasted image" in window.history.item(0).text()
    assert window.history.item(1).text().endswith(first.caption)
    assert spoken(tmp_path)[-2:] == [first.caption, second.caption]

    window.history.setCurrentRow(1)  # selecting an older one shows it
    assert window.current_text() == first.caption
    window.commands["repeat"].trigger()  # and it can be heard again
    qtbot.waitUntil(lambda: spoken(tmp_path)[-1] == first.caption and len(spoken(tmp_path)) >= 5)

    window.commands["copy"].trigger()
    assert QApplication.clipboard().text() == first.caption


def test_dropping_several_files_describes_them_in_order(qtbot, make_app, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    scenes = [Scene("yellow", "triangle", "black"), Scene("blue", "square", "white"), Scene("red", "triangle", "white")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scene_file(tmp_path, s))) for s in scenes])
    drop(app.window, mime)
    qtbot.waitUntil(lambda: app.window.history.count() == 3, timeout=20000)
    newest_first = [app.window.history.item(i).text().split(" — ")[1] for i in range(3)]
    assert newest_first == [s.caption for s in reversed(scenes)]


def test_dropped_image_data_is_described(qtbot, make_app):
    app = make_app()
    wait_ready(qtbot, app)
    mime = QMimeData()
    mime.setImageData(qimage(Scene("green", "circle", "white")))
    drop(app.window, mime)
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=20000)
    assert app.window.current_text() == "a green circle on a white background"
    assert "dropped image" in app.window.history.item(0).text()


@pytest.mark.parametrize("kind, expected", [
    ("folder", "is a folder"),
    ("text file", "is not a picture"),
    ("web address", "never downloads"),
])
def test_refused_drops_are_spoken_and_shown(qtbot, make_app, tmp_path, kind, expected):
    app = make_app()
    wait_ready(qtbot, app)
    mime = QMimeData()
    if kind == "folder":
        (tmp_path / "holiday").mkdir()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "holiday"))])
    elif kind == "text file":
        (tmp_path / "notes.txt").write_text("shopping list")
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    else:
        mime.setUrls([QUrl("https://example.com/cat.jpg")])
    drop(app.window, mime)
    assert expected in app.window.status.text()
    assert expected in app.window.current_text()
    qtbot.waitUntil(lambda: any(expected in line for line in spoken(tmp_path)))
    assert app.window.history.count() == 0


def test_a_damaged_picture_is_explained_and_the_app_carries_on(qtbot, make_app, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    broken = tmp_path / "broken.png"
    broken.write_bytes(scene_file(tmp_path, Scene("red", "circle", "black")).read_bytes()[:200])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(broken))])
    drop(app.window, mime)
    qtbot.waitUntil(lambda: "damaged" in app.window.status.text(), timeout=20000)
    assert any("broken.png" in line and "damaged" in line for line in spoken(tmp_path))
    good = QMimeData()
    good.setUrls([QUrl.fromLocalFile(str(scene_file(tmp_path, Scene("blue", "circle", "white"))))])
    drop(app.window, good)
    qtbot.waitUntil(lambda: app.window.history.count() == 1, timeout=20000)


def test_pasting_with_no_picture_says_so(qtbot, make_app, tmp_path):
    app = make_app()
    wait_ready(qtbot, app)
    QApplication.clipboard().setText("just some words")
    app.window.commands["paste"].trigger()
    assert "clipboard holds no picture" in app.window.status.text()
    qtbot.waitUntil(lambda: any("clipboard holds no picture" in line for line in spoken(tmp_path)))


def test_missing_model_is_spoken_and_shown_with_what_to_do(qtbot, make_app, tmp_path):
    app = make_app(model=str(tmp_path / "no-such-model"))
    qtbot.waitUntil(lambda: "does not exist" in app.window.current_text(), timeout=20000)
    qtbot.waitUntil(lambda: app.model_dialog is not None and app.model_dialog.isVisible())  # offers a way out
    app.model_dialog.reject()
    qtbot.waitUntil(lambda: any("does not exist" in line for line in spoken(tmp_path)))
    QApplication.clipboard().setImage(qimage(Scene("red", "square", "black")))
    app.window.commands["paste"].trigger()  # a request still gets an answer, not silence
    qtbot.waitUntil(lambda: "pasted image" in app.window.status.text(), timeout=20000)


def test_text_read_is_shown_line_by_line_and_a_line_can_be_copied(qtbot, make_app, tmp_path):
    from fixtures.text_pages import PARAGRAPHS, render_text

    app = make_app()
    window = app.window
    wait_ready(qtbot, app)
    buffer = io.BytesIO()
    render_text(PARAGRAPHS, size=(1280, 800), points=28).save(buffer, "PNG")
    QApplication.clipboard().setImage(QImage.fromData(buffer.getvalue()))
    window.commands["paste"].trigger()
    qtbot.waitUntil(lambda: window.history.count() == 1, timeout=20000)
    assert window.current_text().startswith("Text: Dear team")
    window.activateWindow()
    window.details.setFocus()
    qtbot.waitUntil(window.details.hasFocus)
    for _ in range(2):  # past "Text (5 lines):" to the second line read (a page of text: no picture first)
        qtbot.keyClick(window.details, Qt.Key.Key_Down)
    qtbot.keyClick(window.details, Qt.Key.Key_Home)
    qtbot.keyClick(window.details, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.details, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == PARAGRAPHS[1]
