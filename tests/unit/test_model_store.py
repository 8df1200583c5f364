"""The model store: naming, offline lookup, safetensors-only, downloads that finish or are not used."""

from __future__ import annotations

import shutil

import pytest

from fixtures.fake_hub import COMMIT, FakeHub
from seesay.core.errors import ModelNotAvailableError
from seesay.vision.model_store import (
    COMPLETE_MARKER,
    ModelStore,
    parse_model_name,
    verify_model_folder,
)


def test_names_resolve_to_hub_ids_or_folders(tmp_path):
    assert parse_model_name(None).hub_id == "Salesforce/blip-image-captioning-base"
    assert parse_model_name("large").hub_id == "Salesforce/blip-image-captioning-large"
    assert parse_model_name("someone/their-blip").hub_id == "someone/their-blip"
    assert parse_model_name(str(tmp_path)).folder == tmp_path
    assert parse_model_name("./models/mine").folder is not None
    assert parse_model_name("~/models/mine").folder is not None
    assert parse_model_name("a/b/c").folder is not None


def test_local_fixture_folder_is_used_as_is(scene_model, tmp_path):
    assert ModelStore(tmp_path).locate(str(scene_model)) == scene_model.resolve()


def test_missing_hub_model_says_what_to_do_without_network(tmp_path):
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    with pytest.raises(ModelNotAvailableError) as caught:
        store.locate("base")
    error = caught.value
    assert "Salesforce/blip-image-captioning-base" in error.message
    assert "seesay download base" in error.hint
    assert "--model /path/to/folder" in error.hint
    assert str(tmp_path / "models") in error.hint


def test_pickle_only_folder_is_refused(tmp_path, scene_model_copy):
    (scene_model_copy / "model.safetensors").rename(scene_model_copy / "pytorch_model.bin")
    with pytest.raises(ModelNotAvailableError, match="no safetensors weights"):
        verify_model_folder(scene_model_copy)


def test_incomplete_folder_names_what_is_missing(scene_model_copy):
    (scene_model_copy / "processor_config.json").unlink()
    with pytest.raises(ModelNotAvailableError, match="processor_config.json"):
        verify_model_folder(scene_model_copy)


def test_missing_folder(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="does not exist"):
        ModelStore(tmp_path).locate(str(tmp_path / "nothing-here"))


def test_store_folder_without_completion_marker_is_not_used(tmp_path, scene_model):
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    shutil.copytree(scene_model, store.folder_for("test/scenes"))
    assert not store.is_available("test/scenes")
    (store.folder_for("test/scenes") / COMPLETE_MARKER).write_text("{}")
    assert store.locate("test/scenes") == store.folder_for("test/scenes")


def test_model_in_the_shared_hugging_face_cache_is_found_offline(tmp_path, scene_model):
    cache = tmp_path / "hf"
    repo = cache / "models--test--scenes"
    shutil.copytree(scene_model, repo / "snapshots" / COMMIT)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    store = ModelStore(tmp_path / "models", hf_cache=cache)
    assert store.locate("test/scenes") == repo / "snapshots" / COMMIT


def test_download_from_a_hub_fetches_safetensors_marks_complete_and_reports_progress(tmp_path, scene_model):
    (extra := tmp_path / "served").mkdir()
    shutil.copytree(scene_model, extra / "scenes")
    (extra / "scenes" / "pytorch_model.bin").write_bytes(b"pickles are never fetched")
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    progress = []
    with FakeHub({"test/scenes": extra / "scenes"}) as hub:
        folder = store.download("test/scenes", progress=lambda done, total: progress.append((done, total)),
                               endpoint=hub.endpoint)
    assert (folder / COMPLETE_MARKER).is_file()
    assert (folder / "model.safetensors").read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert not (folder / "pytorch_model.bin").exists()
    assert store.locate("test/scenes") == folder
    weights = (scene_model / "model.safetensors").stat().st_size
    assert progress and progress[-1][0] >= weights
    assert all(done <= total for done, total in progress if total)


def test_interrupted_download_is_never_used_and_the_next_one_finishes(tmp_path, scene_model):
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    with FakeHub({"test/scenes": scene_model}) as hub:
        hub.cut_after["model.safetensors"] = 10_000
        with pytest.raises(ModelNotAvailableError):
            store.download("test/scenes", endpoint=hub.endpoint)
        assert not store.is_available("test/scenes")
        del hub.cut_after["model.safetensors"]
        folder = store.download("test/scenes", endpoint=hub.endpoint)
        fetched = [r for r in hub.requests if r.startswith("GET") and r.endswith("/tokenizer.json")]
        assert len(fetched) == 1  # what arrived whole the first time is not fetched again
    assert (folder / "model.safetensors").read_bytes() == (scene_model / "model.safetensors").read_bytes()
    assert store.is_available("test/scenes")


def test_download_without_a_connection_explains(tmp_path):
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    with pytest.raises(ModelNotAvailableError) as caught:
        store.download("base", endpoint="http://127.0.0.1:9")
    assert "no connection" in caught.value.message
    assert "seesay download base" in caught.value.hint


def test_download_of_an_unknown_model_says_so(tmp_path, scene_model):
    store = ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf")
    with FakeHub({"test/scenes": scene_model}) as hub:
        with pytest.raises(ModelNotAvailableError, match="no model by that name"):
            store.download("test/nothing", endpoint=hub.endpoint)
