"""`seesay describe` end to end, as a user runs it: a real process, the trained scene model."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from fixtures.scenes import Scene, draw_random_scene, draw_scene
from fixtures.bad_images import png_claiming_size

pytestmark = pytest.mark.slow


def seesay(*args: str, drop_root_reading: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "seesay", *args]
    if drop_root_reading:  # root reads any file; without these two capabilities it obeys permissions
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=os.environ.copy(), cwd=cwd)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_trained_scene_model_names_held_out_scenes(scene_model, tmp_path):
    rng = random.Random(20261128)  # not the training seed
    truth = {}
    for index in range(60):
        scene, image = draw_random_scene(rng)
        path = tmp_path / f"scene-{index:02d}.png"
        image.save(path)
        truth[str(path)] = scene.caption
    result = seesay("describe", "--json", "--model", str(scene_model), *truth)
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stdout)
    assert [r["path"] for r in records] == list(truth)  # in order, one object per file
    right = sum(r["caption"] == truth[r["path"]] for r in records)
    wrong = [(truth[r["path"]], r["caption"]) for r in records if r["caption"] != truth[r["path"]]]
    assert right / len(truth) >= 0.9, f"{right}/{len(truth)} right; wrong: {wrong}"
    assert all(r["seconds"] > 0 for r in records)


def test_questions_are_answered_for_each_file(scene_model, vqa_model, tmp_path):
    scenes = [Scene("green", "square", "white"), Scene("red", "triangle", "black")]
    paths = []
    for index, scene in enumerate(scenes):
        paths.append(tmp_path / f"{index}.png")
        draw_scene(scene, (500, 350), random.Random(index)).save(paths[-1])
    result = seesay("describe", "--json", "--model", str(scene_model), "--vqa-model", str(vqa_model),
                    "--ask", "what color is the shape?", "--ask", "what shape is it?", *map(str, paths))
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stdout)
    assert [[a["answer"] for a in r["answers"]] for r in records] == [["green", "square"], ["red", "triangle"]]
    assert records[0]["answers"][0]["question"] == "what color is the shape?"


def test_plain_output_and_bad_files_do_not_stop_the_others(scene_model, tmp_path):
    good = tmp_path / "red-circle.png"
    draw_scene(Scene("red", "circle", "white"), (640, 400), random.Random(3)).save(good)
    rotated = tmp_path / "rotated.jpg"
    upright = draw_scene(Scene("blue", "square", "black"), (480, 320), random.Random(4))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned; a viewer turns it back
    upright.transpose(Image.Transpose.ROTATE_90).save(rotated, exif=exif, quality=95)
    bad = {
        "truncated.png": lambda p: p.write_bytes(good.read_bytes()[:300]),
        "empty.png": lambda p: p.write_bytes(b""),
        "text.png": lambda p: p.write_text("just words"),
        "bomb.png": lambda p: p.write_bytes(png_claiming_size(40000, 40000)),
        "folder": lambda p: p.mkdir(),
    }
    for name, make in bad.items():
        make(tmp_path / name)
    files = [str(good), *(str(tmp_path / n) for n in bad), str(tmp_path / "missing.png"), str(rotated)]
    result = seesay("describe", "--model", str(scene_model), *files)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.splitlines() == [
        f"{good}: a red circle on a white background",
        f"{rotated}: a blue square on a black background",
    ]
    for fragment in ("damaged", "empty", "not an image", "too large to describe: 40000x40000", "is a folder",
                     "does not exist"):
        assert fragment in result.stderr


def test_json_reports_errors_per_file(scene_model, tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    good = tmp_path / "green.png"
    draw_scene(Scene("green", "triangle", "white"), (300, 300), random.Random(5)).save(good)
    result = seesay("describe", "--json", "--model", str(scene_model), str(empty), str(good))
    assert result.returncode == 1
    first, second = json_lines(result.stdout)
    assert first["path"] == str(empty) and "empty" in first["error"] and "caption" not in first
    assert second == {"path": str(good), "said": "a green triangle on a white background", "kind": "picture",
                      "caption": "a green triangle on a white background", "seconds": second["seconds"],
                      "confidence": second["confidence"], "certainty": "plain", "caption_certainty": "plain",
                      "measured": True, "pictures": [], "text": [], "unsure_text": []}
    assert second["confidence"] > 0.95  # a scene from the model's own world


def test_a_screenshot_file_is_described_like_a_screen_with_its_pictures_listed(scene_model, tmp_path):
    from fixtures.composed_screens import article, text_page

    screen, (placed,) = article(7, where="top right", border=True)
    screen.save(tmp_path / "article.png")
    text_page(2).save(tmp_path / "notes.png")
    result = seesay("describe", "--json", "--model", str(scene_model), str(tmp_path / "article.png"),
                    str(tmp_path / "notes.png"))
    assert result.returncode == 0, result.stderr
    with_picture, text_only = json_lines(result.stdout)
    assert with_picture["kind"] == "screen"
    assert with_picture["said"].startswith(f"Picture at top right: {placed.scene.caption}. Text: Spring newsletter")
    (found,) = with_picture["pictures"]
    assert found["caption"] == placed.scene.caption and found["place"] == "top right" and found["confidence"] > 0.9
    assert all(abs(a - b) <= 2 for a, b in zip(found["box"], placed.box))
    assert "Spring newsletter" in with_picture["text"]
    # a page of text: its text, and no caption of the page taken for a photo, however sure
    assert text_only["pictures"] == [] and text_only["said"].startswith("Text: Meeting notes")
    assert "Picture" not in text_only["said"] and text_only["caption"]  # the caption is kept, not said
    plain = seesay("describe", "--model", str(scene_model), str(tmp_path / "article.png"))
    assert plain.stdout.startswith(f"{tmp_path / 'article.png'}: Picture at top right: {placed.scene.caption}.")


def test_raw_prints_the_bare_caption_where_the_window_would_read_text(scene_model, tmp_path):
    from fixtures.composed_screens import text_page

    text_page(2).save(tmp_path / "notes.png")
    said = json_lines(seesay("describe", "--json", "--model", str(scene_model), str(tmp_path / "notes.png")).stdout)[0]
    assert said["said"].startswith("Text: Meeting notes")
    raw = seesay("describe", "--raw", "--model", str(scene_model), str(tmp_path / "notes.png"))
    assert raw.returncode == 0, raw.stderr
    assert raw.stdout == f"{tmp_path / 'notes.png'}: {said['caption']}\n"  # the page's caption, never said by the app
    assert "Meeting" not in raw.stdout
    as_json = json_lines(seesay("describe", "--raw", "--json", "--model", str(scene_model),
                                str(tmp_path / "notes.png")).stdout)
    assert as_json == [{"path": str(tmp_path / "notes.png"), "caption": said["caption"],
                        "confidence": said["confidence"]}]
    folder = seesay("describe", "--raw", "--recursive", "--model", str(scene_model), str(tmp_path))
    assert folder.returncode != 0 and "--raw describes files one by one, not folders." in folder.stderr


def test_every_odd_format_gets_a_caption(scene_model, tmp_path):
    scene = Scene("yellow", "circle", "black")
    image = draw_scene(scene, (400, 300), random.Random(6))
    variants = {
        "cmyk.jpg": lambda p: image.convert("CMYK").save(p, quality=95),
        "palette.png": lambda p: image.convert("P", palette=Image.Palette.ADAPTIVE, colors=8).save(p, transparency=255),
        "animated.gif": lambda p: image.save(p, save_all=True, append_images=[Image.new("RGB", image.size)]),
        "big.jpg": lambda p: image.resize((8000, 6000)).save(p, quality=85),
        "photo.webp": lambda p: image.save(p),
        "scan.tiff": lambda p: image.save(p),
        "old.bmp": lambda p: image.save(p),
    }
    for name, make in variants.items():
        make(tmp_path / name)
    result = seesay("describe", "--json", "--model", str(scene_model), *(str(tmp_path / n) for n in variants))
    assert result.returncode == 0, result.stderr
    captions = {Path(r["path"]).name: r["caption"] for r in json_lines(result.stdout)}
    assert captions == dict.fromkeys(variants, scene.caption)


def test_sixteen_bit_png_is_described(scene_model, tmp_path):
    grey = Image.new("I;16", (200, 200), 65535)  # white background
    grey.paste(Image.new("I;16", (80, 80), 0), (60, 60))  # a dark square
    path = tmp_path / "deep.png"
    grey.save(path)
    result = seesay("describe", "--model", str(scene_model), str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("on a white background")


def test_unreadable_file_is_reported(scene_model, tmp_path):
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("setpriv"):
        pytest.skip("setpriv is needed to make root obey file permissions")
    path = tmp_path / "secret.png"
    draw_scene(Scene("red", "square", "white"), (100, 100), random.Random(1)).save(path)
    path.chmod(0)
    try:
        result = seesay("describe", "--model", str(scene_model), str(path), drop_root_reading=as_root)
    finally:
        path.chmod(0o644)
    assert result.returncode == 1
    assert "not allowed to read" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_model_explains_what_to_do(tmp_path):
    image = tmp_path / "x.png"
    Image.new("RGB", (10, 10)).save(image)
    result = seesay("describe", "--model-dir", str(tmp_path / "models"), str(image))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is not on this computer" in result.stderr
    assert "seesay download base" in result.stderr


def test_usage_errors_exit_2_and_version_prints():
    assert seesay("describe").returncode == 2
    assert seesay("describe", "--device", "toaster", "x.png").returncode == 2
    version = seesay("--version")
    assert version.returncode == 0 and version.stdout.startswith("seesay ")


def test_download_without_a_connection_is_a_clear_error(tmp_path):
    result = seesay("download", "base", "--model-dir", str(tmp_path / "models"))
    assert result.returncode == 1
    assert "no connection" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_says_what_is_there_and_what_is_missing_with_fixes(scene_model, vqa_model, tmp_path, audio):
    """With a sound device (a PulseAudio null sink): doctor plays a test sound through it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    missing = subprocess.run([sys.executable, "-m", "seesay", "doctor", "--model-dir", str(tmp_path / "none")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 0, missing.stderr
    report = missing.stdout
    assert "[NO ] Display: none" in report and "seesay describe FILE works without one" in report
    assert "[NO ] Description model" in report and "seesay download base" in report
    assert "[ok ] Speech: espeak-ng" in report
    assert "[ok ] Text on screen: tesseract" in report
    assert "[ok ] Compute device: cpu" in report
    assert "[NO ] Question model" in report and "seesay download vqa" in report
    found = subprocess.run([sys.executable, "-m", "seesay", "doctor", "--model", str(scene_model),
                            "--vqa-model", str(vqa_model)], capture_output=True, text=True, env=env, timeout=120)
    assert f"[ok ] Description model: {scene_model}" in found.stdout
    assert f"[ok ] Question model: {vqa_model}" in found.stdout


def test_a_missing_question_model_keeps_every_caption(scene_model, tmp_path):
    """describe --ask with no question model: each file's description is still printed, the
    missing model is said once, and the command ends in failure (questions went unanswered)."""
    files = []
    for index, scene in enumerate((Scene("red", "circle", "white"), Scene("blue", "square", "black"))):
        files.append(tmp_path / f"scene{index}.png")
        draw_scene(scene, (400, 300), random.Random(index)).save(files[-1])
    result = seesay("describe", "--model", str(scene_model), "--vqa-model", str(tmp_path / "no-such-model"),
                    "--ask", "what color is the shape?", *map(str, files))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{files[0]}: a red circle on a white background",
                                          f"{files[1]}: a blue square on a black background"], result.stderr
    assert result.stderr.count("question") >= 1 and "Traceback" not in result.stderr


def test_the_log_never_names_the_files_described(scene_model, tmp_path):
    """A file's name says what is in it ("Falcon merger plan - Secret.png"); the log (kept for
    bug reports) says which file of the run failed, and how, never its name."""
    secret = tmp_path / "Falcon merger plan - Secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    good = tmp_path / "Salary review 2027.png"
    draw_scene(Scene("red", "circle", "white"), (320, 240), random.Random(3)).save(good)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run([sys.executable, "-m", "seesay", "describe", "--model", str(scene_model), str(secret),
                             str(good), str(tmp_path / "Divorce papers.png")], capture_output=True, text=True,
                            timeout=600, env=env)
    assert result.returncode == 1 and "Falcon merger plan" in result.stderr  # the person is told, by name
    logs = "".join(path.read_text() for path in (tmp_path / "state").rglob("*.log*"))
    assert "file 1 of 3" in logs and "file 3 of 3" in logs, logs  # the log says which, by number
    for name in ("Falcon", "Salary", "Divorce", str(tmp_path)):
        assert name not in logs, logs
