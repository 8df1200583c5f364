"""Picture collections (issue 18): `seesay describe --recursive` over folder trees, the picture index
and `seesay search`, as a user runs them: real processes, the trained scene model, drawn scenes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import selectors
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from fixtures.bad_images import png_claiming_size
from fixtures.scenes import Scene, draw_random_scene, draw_scene

pytestmark = pytest.mark.slow
#: The scene matcher with its image and text embeddings trained (tests/fixtures/train_scene_search.py).
SEARCH_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-itm-search"


def seesay(*args: str, drop_root_reading: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "seesay", *args]
    if drop_root_reading:  # root reads any file; without these two capabilities it obeys permissions
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=os.environ.copy())


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def pixels(path: Path) -> str:
    with Image.open(path) as image:
        return hashlib.sha256(image.convert("RGB").tobytes()).hexdigest()


def exif_block(jpeg: bytes) -> bytes:
    """The EXIF block of a JPEG (after its ``Exif`` header), by its segment's length."""
    at = jpeg.index(b"Exif\0\0")
    return jpeg[at + 6:at - 2 + int.from_bytes(jpeg[at - 2:at], "big")]


def index_file() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "seesay" / "pictures.sqlite3"


def draw_tree(root: Path, count: int, seed: int, size=(160, 120)) -> dict[str, str]:
    """``count`` drawn scenes in nested folders; relative path -> true caption."""
    rng = random.Random(seed)
    truth = {}
    for number in range(count):
        scene, image = draw_random_scene(rng, size)
        folder = root / ("" if number % 3 == 0 else f"trip-{number % 3}") / ("deeper" if number % 4 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"scene {number:02d} é.png"  # odd characters: a space and an accent
        image.save(path)
        truth[str(path)] = scene.caption
    return truth


def test_a_folder_tree_is_described_once_and_a_second_run_does_nothing_new(scene_model, tmp_path):
    root = tmp_path / "photos"
    truth = draw_tree(root, 9, seed=18)
    first = next(iter(truth))
    copy = root / "trip-1" / "copy of the first.png"
    shutil.copyfile(first, copy)
    truth[str(copy)] = truth[first]
    (root / "damaged.png").write_bytes(Path(first).read_bytes()[:200])
    (root / "bomb.png").write_bytes(png_claiming_size(40000, 40000))
    (root / "notes.txt").write_text("not a picture: not even looked at")
    os.mkfifo(root / "pipe.png")
    outside = tmp_path / "outside.png"
    draw_scene(Scene("red", "square", "white"), (100, 100), random.Random(1)).save(outside)
    (root / "link-out.png").symlink_to(outside)
    (root / "trip-1" / "loop").symlink_to(root, target_is_directory=True)
    (root / ".thumbnails").mkdir()
    shutil.copyfile(first, root / ".thumbnails" / "hidden.png")

    started = time.monotonic()
    result = seesay("describe", "--recursive", "--format", "jsonl", "--batch", "4", "--model", str(scene_model),
                    "--itm-model", str(SEARCH_MODEL), str(root))
    first_seconds = time.monotonic() - started
    assert result.returncode == 1, result.stderr  # two files could not be described
    assert "Traceback" not in result.stderr
    records = json_lines(result.stdout)
    described = {r["path"]: r for r in records if "error" not in r}
    assert set(described) == set(truth)  # every good picture, once; nothing hidden, linked out or looped
    right = sum(described[path]["caption"] == caption for path, caption in truth.items())
    assert right >= len(truth) - 1, [(described[p]["caption"], c) for p, c in truth.items()]
    # the same picture under two names is described once: whichever a worker took up second (4 at a time,
    # in whatever order their hashes are ready) waits for the first and is said from the index
    assert sorted((described[first]["from_index"], described[str(copy)]["from_index"])) == [False, True]
    assert sum(not r["from_index"] for r in described.values()) == len(truth) - 1
    errors = {Path(r["path"]).name: r["error"] for r in records if "error" in r}
    assert set(errors) == {"damaged.png", "bomb.png"}
    assert "too large" in errors["bomb.png"]
    for said in ("pipe.png: not a picture file (it is a named pipe)", "link-out.png: a link to a file outside",
                 "loop: a link to a folder"):
        assert said in result.stderr
    assert "12 pictures to describe." in result.stderr  # 10 good ones (a copy among them) and 2 bad
    assert "Done in" in result.stderr and "9 described, 1 already in the index, 2 could not be described" in (
        result.stderr)
    index = index_file()
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    assert stat.S_IMODE(index.parent.stat().st_mode) == 0o700

    started = time.monotonic()
    again = seesay("describe", "-r", "--format", "csv", "--model", str(scene_model), str(root))
    second_seconds = time.monotonic() - started
    rows = [row for row in csv.DictReader(io.StringIO(again.stdout)) if not row["error"]]
    assert {row["path"] for row in rows} == set(truth)
    assert all(row["from_index"] == "yes" for row in rows)  # nothing new: nothing described again
    assert {row["path"]: row["caption"] for row in rows} == {path: described[path]["caption"] for path in truth}
    assert "Loading the description model" not in again.stderr  # the model is not even loaded
    assert second_seconds < first_seconds / 2, (first_seconds, second_seconds)

    # one picture changed, one added: only those are described
    changed = Path(sorted(truth)[3])
    draw_scene(Scene("yellow", "circle", "black"), (160, 120), random.Random(7)).save(changed)
    added = root / "trip-2" / "new.png"
    draw_scene(Scene("green", "triangle", "white"), (160, 120), random.Random(8)).save(added)
    third = seesay("describe", "-r", "--format", "jsonl", "--model", str(scene_model), "--itm-model",
                   str(SEARCH_MODEL), str(root))
    fresh = {r["path"]: r["caption"] for r in json_lines(third.stdout) if "error" not in r and not r["from_index"]}
    assert fresh == {str(changed): "a yellow circle on a black background",
                     str(added): "a green triangle on a white background"}

    # and the index finds them by words, best first
    found = seesay("search", "yellow circle")
    assert found.returncode == 0, found.stderr
    assert str(changed) in found.stdout.splitlines()
    scored = [json.loads(line) for line in seesay("search", "--json", "green triangle").stdout.splitlines()]
    assert scored[0]["path"] == str(added) or "green triangle" in scored[0]["caption"]
    assert all("green triangle" in r["caption"] for r in scored)
    assert [r["score"] for r in scored] == sorted((r["score"] for r in scored), reverse=True)
    nothing = seesay("search", "purple elephant")
    assert nothing.returncode == 1 and nothing.stdout == ""

    # and by meaning: the words against what each picture shows (its embedding), not against what was said
    meant = seesay("search", "--meaning", "--json", "--itm-model", str(SEARCH_MODEL),
                   "a green triangle on a white background")
    assert meant.returncode == 0, meant.stderr
    results = [json.loads(line) for line in meant.stdout.splitlines()]
    truth[str(changed)] = "a yellow circle on a black background"
    truth[str(added)] = "a green triangle on a white background"
    shown = {path for path, caption in truth.items() if caption == "a green triangle on a white background"}
    assert {r["path"] for r in results[:len(shown)]} == shown, results  # those first, whatever was said of them
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert {r["path"] for r in results} == set(truth)  # every picture has its embedding
    without = seesay("search", "--meaning", "red circle")  # the default matcher is not on this computer
    assert without.returncode == 1
    assert "Search by meaning needs the image-text matching model" in without.stderr


def test_ctrl_c_stops_cleanly_and_the_next_run_goes_on(scene_model, tmp_path):
    root = tmp_path / "many"
    truth = draw_tree(root, 16, seed=1818, size=(120, 96))
    command = [sys.executable, "-m", "seesay", "describe", "-r", "--format", "jsonl", "--batch", "2",
               "--model", str(scene_model), str(root)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ.copy())
    try:
        lines = []
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 120
        while len(lines) < 3 and time.monotonic() < deadline:
            if selector.select(timeout=1):
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line)
        assert len(lines) == 3, process.stderr.read() if process.poll() is not None else "no output in time"
        os.kill(process.pid, signal.SIGINT)
        process.wait(timeout=60)  # its output is small: the pipes do not fill
        rest, errors = process.stdout.read(), process.stderr.read()  # through the buffers readline used
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
    assert "Stopped. What was described is kept in the index" in errors
    done_first = json_lines("".join(lines) + rest)
    assert 3 <= len(done_first) < len(truth), "the run ended before it was stopped: draw more scenes"
    assert all("error" not in record for record in done_first)  # nothing half done is printed as a failure
    with sqlite3.connect(index_file()) as db:
        kept = {row[0] for row in db.execute("SELECT path FROM files")}
    assert {str(Path(r["path"]).resolve()) for r in done_first} <= kept

    resumed = seesay("describe", "-r", "--format", "jsonl", "--model", str(scene_model), str(root))
    assert resumed.returncode == 0, resumed.stderr
    records = json_lines(resumed.stdout)
    assert {r["path"] for r in records} == set(truth)
    assert {r["path"] for r in records if r["from_index"]} == {r["path"] for r in done_first}
    right = sum(r["caption"] == truth[r["path"]] for r in records)
    assert right >= len(truth) - 1


def test_alt_text_files_and_metadata_are_written_without_touching_the_pixels(scene_model, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    png = root / "logo.png"
    draw_scene(Scene("blue", "triangle", "white"), (200, 150), random.Random(2)).save(png)
    jpeg = root / "team.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    draw_scene(Scene("red", "circle", "black"), (200, 150), random.Random(3)).save(jpeg, quality=92, exif=exif)
    png.chmod(0o640)
    before = {path: (pixels(path), path.read_bytes()) for path in (png, jpeg)}

    result = seesay("describe", "-r", "--sidecar", "--write-metadata", "--model", str(scene_model), str(root))
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.splitlines()) == {f"{jpeg}: a red circle on a black background",
                                               f"{png}: a blue triangle on a white background"}
    assert (root / "logo.png.alt.txt").read_text() == "a blue triangle on a white background\n"
    assert (root / "team.jpg.alt.txt").read_text() == "a red circle on a black background\n"
    with Image.open(png) as image:  # read by Pillow, not by the code that wrote it
        assert image.info["Description"] == "a blue triangle on a white background"
    with Image.open(jpeg) as image:
        assert b"a red circle on a black background" in image.info["xmp"]
        assert image.getexif()[0x010E] == "a red circle on a black background"  # EXIF ImageDescription
        assert image.getexif()[0x010F] == "Camera maker"  # and what the EXIF block held
    for path, (picture, data) in before.items():
        assert pixels(path) == picture
        assert path.read_bytes() != data
    assert stat.S_IMODE(png.stat().st_mode) == 0o640  # permissions kept
    assert sorted(p.name for p in root.iterdir()) == ["logo.png", "logo.png.alt.txt", "team.jpg", "team.jpg.alt.txt"]

    again = seesay("describe", "-r", "--sidecar", "--write-metadata", "--model", str(scene_model), str(root))
    assert "0 described, 2 already in the index" in again.stderr  # the files changed, but only their metadata


def test_metadata_keeps_everything_else_and_never_damages_the_original(tmp_path):
    from seesay.describe.metadata import MetadataError, read_description, write_description

    png = tmp_path / "a.png"
    image = draw_scene(Scene("green", "square", "black"), (120, 90), random.Random(4))
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone")
    info.add_itxt("Description", "an old description")
    image.save(png, pnginfo=info)
    picture = pixels(png)
    write_description(str(png), "a green square, ünïcode and all")
    with Image.open(png) as reread:
        assert reread.info["Author"] == "someone"
        assert reread.info["Description"] == "a green square, ünïcode and all"
    assert pixels(png) == picture
    assert read_description(png.read_bytes()) == "a green square, ünïcode and all"

    jpeg = tmp_path / "b.jpg"
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"/>'
           b'</rdf:RDF></x:xmpmeta>')
    image.save(jpeg, quality=90, xmp=xmp)
    scan = jpeg.read_bytes()[jpeg.read_bytes().index(b"\xff\xda"):]
    write_description(str(jpeg), "a green square")
    data = jpeg.read_bytes()
    assert data[data.index(b"\xff\xda"):] == scan  # the compressed picture, byte for byte
    with Image.open(jpeg) as reread:
        assert b'xmp:Rating="4"' in reread.info["xmp"] and b"a green square" in reread.info["xmp"]

    camera = tmp_path / "camera.jpg"
    exif = Image.Exif()
    exif[0x010E] = "OLYMPUS DIGITAL CAMERA"  # what cameras write there
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8769)[0x9003] = "2025:07:14 10:30:00"  # the date taken, in the Exif sub-directory
    image.save(camera, quality=90, exif=exif)
    old_exif, camera_pixels = exif_block(camera.read_bytes()), pixels(camera)
    write_description(str(camera), "a green square")
    with Image.open(camera) as reread:
        written = reread.getexif()
        assert written[0x010E] == "a green square" and written[0x010F] == "Camera maker"
        assert written.get_ifd(0x8769)[0x9003] == "2025:07:14 10:30:00"
    new_exif = exif_block(camera.read_bytes())
    assert new_exif[8:len(old_exif)] == old_exif[8:]  # every byte of the old block where it was (maker notes!)
    assert pixels(camera) == camera_pixels

    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(png.read_bytes()[:-20] + b"\0" * 20)
    kept = damaged.read_bytes()
    with pytest.raises(MetadataError):
        write_description(str(damaged), "anything")
    assert damaged.read_bytes() == kept

    other_name = tmp_path / "other name.png"
    os.link(png, other_name)
    with pytest.raises(MetadataError, match="hard links"):
        write_description(str(png), "another")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.jpg", "camera.jpg", "damaged.png",
                                                          "other name.png"]


def test_plain_describe_adds_to_the_index_and_a_damaged_index_is_begun_again(scene_model, tmp_path):
    picture = tmp_path / "one.png"
    draw_scene(Scene("yellow", "square", "white"), (160, 120), random.Random(5)).save(picture)
    index = index_file()
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_bytes(b"this is not a database" * 100)
    result = seesay("describe", "--model", str(scene_model), str(picture))
    assert result.returncode == 0, result.stderr
    assert "The picture index was damaged" in result.stderr
    assert seesay("search", "yellow square").stdout.splitlines() == [str(picture)]
    assert [p.name for p in index.parent.iterdir() if ".damaged-" in p.name]



def test_unreadable_pictures_and_a_read_only_folder_are_said_and_the_rest_is_done(scene_model, tmp_path):
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("setpriv"):
        pytest.skip("setpriv is needed to make root obey file permissions")
    root = tmp_path / "mixed"
    (root / "open").mkdir(parents=True)
    (root / "read-only").mkdir()
    draw_scene(Scene("red", "square", "white"), (160, 120), random.Random(9)).save(root / "open" / "a.png")
    draw_scene(Scene("blue", "circle", "black"), (160, 120), random.Random(10)).save(root / "read-only" / "b.png")
    secret = root / "open" / "secret.png"
    draw_scene(Scene("green", "triangle", "white"), (160, 120), random.Random(11)).save(secret)
    secret.chmod(0)
    (root / "read-only").chmod(0o555)
    try:
        result = seesay("describe", "-r", "--sidecar", "--no-index", "--model", str(scene_model), str(root),
                        drop_root_reading=as_root)
    finally:
        secret.chmod(0o644)
        (root / "read-only").chmod(0o755)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    described = result.stdout.splitlines()
    assert described[0] == f"{root}/open/a.png: a red square on a white background"
    assert described[1].startswith(f"{root}/read-only/b.png: a blue circle on a black background")
    assert len(described) == 2
    assert f"{secret}: error: seesay is not allowed to read" in result.stderr
    assert f"{root}/read-only/b.png: the alt-text file could not be written (Permission denied)" in result.stderr
    assert (root / "open" / "a.png.alt.txt").read_text() == "a red square on a white background\n"
    assert sorted(p.name for p in (root / "read-only").iterdir()) == ["b.png"]
    assert not index_file().exists()  # --no-index: nothing kept


def test_an_index_locked_by_another_program_is_said_once_and_the_pictures_are_still_described(scene_model,
                                                                                                tmp_path):
    root = tmp_path / "locked"
    truth = draw_tree(root, 2, seed=99)
    from seesay.describe.index import PictureIndex

    index = index_file()
    PictureIndex(index).close()  # an index there already, as after any earlier run
    holder = sqlite3.connect(index, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than seesay waits
        started = time.monotonic()
        result = seesay("describe", "-r", "--model", str(scene_model), str(root))
        seconds = time.monotonic() - started
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(truth)
    assert result.stderr.count("is in use by another program") == 1
    assert "This run's descriptions are printed but not kept in the index." in result.stderr
    assert seconds < 60  # waited once, not once a picture



def test_a_missing_model_is_said_once_for_the_whole_folder(tmp_path):
    root = tmp_path / "photos"
    draw_tree(root, 5, seed=5)
    result = seesay("describe", "-r", "--model-dir", str(tmp_path / "no models"), str(root))
    assert result.returncode == 1
    assert result.stderr.count("is not on this computer") == 1  # not once a picture
    assert "seesay download base" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
