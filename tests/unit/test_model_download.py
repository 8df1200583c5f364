"""Downloads checked against the hub's published checksums, resumed by the byte, repaired when damaged.

Every download here goes through seesay's real HTTP path to the fake hub on loopback."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.fake_hub import FakeHub
from seesay.core.errors import ModelNotAvailableError
from seesay.vision.model_store import COMPLETE_MARKER, ModelStore

REPO = "test/scenes"


def store_in(tmp_path: Path) -> ModelStore:
    return ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")


def leftovers(folder: Path) -> list[Path]:
    """Half-fetched files anywhere in a model folder, whoever left them."""
    return [p for p in folder.rglob("*") if p.is_file() and (p.suffix in (".incomplete", ".part") or
                                                            ".incomplete" in p.name)]


def test_weights_of_the_right_size_with_a_forged_etag_are_refused(tmp_path, scene_model):
    real = (scene_model / "model.safetensors").read_bytes()
    forged = bytes(b ^ 0xFF if i == len(real) // 2 else b for i, b in enumerate(real))  # one byte changed
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        hub.forged["model.safetensors"] = forged
        with pytest.raises(ModelNotAvailableError) as caught:
            store.download(REPO, endpoint=hub.endpoint)
    assert "model.safetensors" in caught.value.message
    assert "checksum" in caught.value.message
    folder = store.folder_for(REPO)
    assert not (folder / COMPLETE_MARKER).exists()
    assert not store.is_available(REPO)
    assert not (folder / "model.safetensors").exists()  # the forged bytes are not left where a model is read
    assert leftovers(folder) == []


def test_a_forged_small_file_is_refused_too(tmp_path, scene_model):
    config = (scene_model / "config.json").read_text()
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        hub.forged["config.json"] = config.replace('"num_hidden_layers": 2', '"num_hidden_layers": 3').encode()
        with pytest.raises(ModelNotAvailableError, match="config.json"):
            store.download(REPO, endpoint=hub.endpoint)
    assert not store.is_available(REPO)


def test_a_model_bigger_than_the_free_disk_space_is_refused_before_any_byte(tmp_path, scene_model):
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        hub.published_sizes["model.safetensors"] = 2**50  # a petabyte
        with pytest.raises(ModelNotAvailableError) as caught:
            store.download(REPO, endpoint=hub.endpoint)
        assert hub.sent == {}
    assert "disk space" in caught.value.message and str(store.folder_for(REPO)) in caught.value.message


def test_the_completion_marker_keeps_each_files_size_and_sha256(tmp_path, scene_model):
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        folder = store.download(REPO, endpoint=hub.endpoint)
    marker = json.loads((folder / COMPLETE_MARKER).read_text())
    assert marker["model"] == REPO
    names = {p.name for p in scene_model.iterdir() if p.is_file()}
    assert set(marker["files"]) == names
    for name in names:
        data = (scene_model / name).read_bytes()
        assert marker["files"][name] == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def download_cut_then_whole(store: ModelStore, hub: FakeHub, cut: int) -> Path:
    """A download whose weights stop after ``cut`` bytes (it fails), then one that may finish."""
    hub.cut_after["model.safetensors"] = cut
    with pytest.raises(ModelNotAvailableError):
        store.download(REPO, endpoint=hub.endpoint)
    assert hub.sent["model.safetensors"] >= cut
    del hub.cut_after["model.safetensors"]
    return store.download(REPO, endpoint=hub.endpoint)


def test_an_interrupted_file_resumes_from_the_byte_it_reached(tmp_path, scene_model):
    size = (scene_model / "model.safetensors").stat().st_size
    with FakeHub({REPO: scene_model}) as hub:
        folder = download_cut_then_whole(store_in(tmp_path), hub, size // 2)
    assert (folder / "model.safetensors").read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert hub.sent["model.safetensors"] <= size  # only what was missing came over the wire the second time
    assert [start for name, start in hub.ranges if name == "model.safetensors"][-1] >= size // 2
    assert leftovers(folder) == []


def test_a_server_that_ignores_the_range_still_gives_the_whole_file(tmp_path, scene_model):
    size = (scene_model / "model.safetensors").stat().st_size
    with FakeHub({REPO: scene_model}) as hub:
        hub.honours_ranges = False
        folder = download_cut_then_whole(store_in(tmp_path), hub, size // 3)
    assert (folder / "model.safetensors").read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert hub.sent["model.safetensors"] >= size + size // 3  # sent whole the second time
    assert leftovers(folder) == []


def test_a_killed_download_is_never_counted_and_the_next_one_resumes_and_cleans_up(tmp_path, scene_model):
    size = (scene_model / "model.safetensors").stat().st_size
    store = store_in(tmp_path)
    folder = store.folder_for(REPO)
    with FakeHub({REPO: scene_model}) as hub:
        hub.chunk_delay = 0.1  # about 2.5 s for the weights
        script = ("import sys; from seesay.vision.model_store import ModelStore; "
                  "ModelStore(sys.argv[1]).download(sys.argv[2], endpoint=sys.argv[3])")
        child = subprocess.Popen([sys.executable, "-c", script, str(store.root), REPO, hub.endpoint])
        try:
            deadline = time.monotonic() + 60
            while hub.sent.get("model.safetensors", 0) < 4 * 65536 and time.monotonic() < deadline:
                assert child.poll() is None, "the download ended before it could be killed"
                time.sleep(0.05)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=30)
        assert hub.sent["model.safetensors"] >= 4 * 65536
        assert not store.is_available(REPO)
        assert store.downloaded_models() == []
        hub.chunk_delay = 0.0
        sent_before = hub.sent["model.safetensors"]
        store.download(REPO, endpoint=hub.endpoint)
        resent = hub.sent["model.safetensors"] - sent_before
    assert resent < size
    assert (folder / "model.safetensors").read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert leftovers(folder) == []
    assert [name for name, _folder, _size in store.downloaded_models()] == [REPO]


def test_leftovers_of_an_older_download_are_cleaned(tmp_path, scene_model):
    store = store_in(tmp_path)
    folder = store.folder_for(REPO)
    old = folder / ".cache" / "huggingface" / "download" / "model.safetensors.0a1b2c3d.incomplete"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"\0" * 5000)
    with FakeHub({REPO: scene_model}) as hub:
        store.download(REPO, endpoint=hub.endpoint)
    assert leftovers(folder) == []


def test_a_damaged_file_in_a_complete_model_is_found_at_load(tmp_path, scene_model):
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        folder = store.download(REPO, endpoint=hub.endpoint)
    weights = folder / "model.safetensors"
    with weights.open("r+b") as file:
        file.truncate(weights.stat().st_size // 3)
    with pytest.raises(ModelNotAvailableError) as caught:
        store.locate(REPO)
    assert "damaged" in caught.value.message and "model.safetensors" in caught.value.message
    assert f"seesay download {REPO}" in caught.value.hint


def test_download_repairs_a_damaged_file_and_fetches_only_that_one(tmp_path, scene_model):
    store = store_in(tmp_path)
    notes: list[str] = []
    with FakeHub({REPO: scene_model}) as hub:
        folder = store.download(REPO, endpoint=hub.endpoint)
        weights = folder / "model.safetensors"
        damaged = bytearray(weights.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF  # same size: only the checksum can tell
        weights.write_bytes(bytes(damaged))
        (folder / "tokenizer.json").unlink()
        before = dict(hub.sent)
        store.download(REPO, endpoint=hub.endpoint, notify=notes.append)
        fetched = {name for name, count in hub.sent.items() if count != before.get(name, 0)}
    assert weights.read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert (folder / "tokenizer.json").read_bytes() == (scene_model / "tokenizer.json").read_bytes()
    assert fetched == {"model.safetensors", "tokenizer.json"}
    assert any("model.safetensors" in note and "tokenizer.json" in note for note in notes)
    assert store.locate(REPO) == folder


def test_a_damaged_model_offline_says_it_needs_a_connection(tmp_path, scene_model):
    store = store_in(tmp_path)
    with FakeHub({REPO: scene_model}) as hub:
        folder = store.download(REPO, endpoint=hub.endpoint)
    with (folder / "model.safetensors").open("r+b") as file:
        file.truncate(1000)
    with pytest.raises(ModelNotAvailableError) as caught:
        store.download(REPO, endpoint="http://127.0.0.1:9")
    assert "damaged" in caught.value.message and "no connection" in caught.value.message
    assert not store.is_available(REPO)
