"""A hub Marian model, as ``seesay download`` leaves it in the model store (safetensors weights,
source.spm, target.spm, vocab.json, marked complete), is taken apart into int8 weights for seesay's
own loop on its first use, once, offline, and kept beside it; a model the own loop cannot read is
converted to CTranslate2 int8 instead."""

from __future__ import annotations

import json

import pytest

from seesay.core import i18n
from seesay.translation.session import TranslationSession
from seesay.vision.model_store import COMPLETE_MARKER, write_marker

pytestmark = pytest.mark.slow


@pytest.fixture
def in_spanish():
    i18n.use_language("es")
    yield
    i18n.use_language("en")


def hub_marian_folder(folder, marked: bool = True):
    """An untrained Marian model of the scene grammar's words, saved in the hub's layout."""
    from fixtures.train_scene_translation import build_model, build_tokenizer, pairs_for

    folder.mkdir(parents=True)
    tokenizer = build_tokenizer(pairs_for("en-es"), folder)
    build_model(tokenizer).save_pretrained(folder, safe_serialization=True)
    if not marked:
        return
    files = {path.name: {"size": path.stat().st_size} for path in folder.iterdir() if path.is_file()}
    write_marker(folder, "Helsinki-NLP/opus-mt-en-es", "0" * 40, files)  # as seesay download marks it


def test_a_downloaded_hub_model_is_taken_apart_once_on_first_use(in_spanish, tmp_path):
    hub_marian_folder(tmp_path / "Helsinki-NLP--opus-mt-en-es")
    kept = tmp_path / "Helsinki-NLP--opus-mt-en-es.int8.safetensors"
    translation = TranslationSession({"model_dir": str(tmp_path)})
    said = translation.into_language(["a red circle on a white background"])
    assert translation.problems() == [] and isinstance(said[0], str)  # untrained: any words, but no failure
    assert kept.is_file() and kept.stat().st_mode & 0o077 == 0
    assert not (tmp_path / "Helsinki-NLP--opus-mt-en-es.ct2").exists()  # CTranslate2 not needed
    made = kept.stat().st_mtime_ns
    again = TranslationSession({"model_dir": str(tmp_path)})
    assert again.into_language(["a red circle on a white background"]) == said  # the same model
    assert kept.stat().st_mtime_ns == made  # read back, not made again
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # nothing half-written left


def test_damaged_kept_weights_are_made_again(in_spanish, tmp_path):
    hub_marian_folder(tmp_path / "Helsinki-NLP--opus-mt-en-es")
    kept = tmp_path / "Helsinki-NLP--opus-mt-en-es.int8.safetensors"
    said = TranslationSession({"model_dir": str(tmp_path)}).into_language(["a red circle on a white background"])
    kept.write_bytes(kept.read_bytes()[:300])  # cut short, as by a full disk
    again = TranslationSession({"model_dir": str(tmp_path)})
    assert again.into_language(["a red circle on a white background"]) == said and again.problems() == []
    assert kept.stat().st_size > 300


def test_a_model_the_own_loop_cannot_read_is_converted_for_ctranslate2(in_spanish, tmp_path):
    folder = tmp_path / "Helsinki-NLP--opus-mt-en-es"
    hub_marian_folder(folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "normalize_before": True}))  # pre-norm layers
    translation = TranslationSession({"model_dir": str(tmp_path)})
    said = translation.into_language(["a red circle on a white background"])
    assert translation.problems() == [] and isinstance(said[0], str)
    converted = tmp_path / "Helsinki-NLP--opus-mt-en-es.ct2"
    assert (converted / "model.bin").is_file() and (converted / "source.spm").is_file()
    assert json.loads((converted / "config.json").read_text())["unk_token"] == "<unk>"


def test_an_unfinished_download_is_not_converted(in_spanish, tmp_path):
    folder = tmp_path / "Helsinki-NLP--opus-mt-en-es"
    hub_marian_folder(folder)
    (folder / COMPLETE_MARKER).unlink()  # cut off before seesay download marked it complete
    translation = TranslationSession({"model_dir": str(tmp_path)})
    assert translation.into_language(["red"]) == ["red"]
    assert "seesay download Helsinki-NLP/opus-mt-en-es" in translation.problems()[0].hint
    assert not (tmp_path / "Helsinki-NLP--opus-mt-en-es.ct2").exists()
    assert not (tmp_path / "Helsinki-NLP--opus-mt-en-es.int8.safetensors").exists()


def test_seesay_download_fetches_the_pair_and_makes_it_ready(tmp_path, scene_model):
    """From a hub on loopback: only the safetensors weights, configs and SentencePiece models are
    fetched, each checked; the int8 weights are made at once; then describe finds it offline."""
    import os
    import subprocess
    import sys

    from fixtures.fake_hub import FakeHub
    from fixtures.scenes import Scene, draw_scene

    published = tmp_path / "published"
    hub_marian_folder(published, marked=False)
    (published / "pytorch_model.bin").write_bytes(b"\x80\x04a pickle: never fetched")
    models = tmp_path / "models"
    with FakeHub({"Helsinki-NLP/opus-mt-en-es": published}) as hub:
        fetched = subprocess.run([sys.executable, "-m", "seesay", "download", "Helsinki-NLP/opus-mt-en-es",
                                  "--model-dir", str(models)], capture_output=True, text=True, timeout=300,
                                 env={**os.environ, "HF_ENDPOINT": hub.endpoint})
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.strip().endswith("Helsinki-NLP--opus-mt-en-es")
    downloaded = models / "Helsinki-NLP--opus-mt-en-es"
    assert (downloaded / "source.spm").is_file() and not (downloaded / "pytorch_model.bin").exists()
    assert (models / "Helsinki-NLP--opus-mt-en-es.int8.safetensors").is_file()
    picture = tmp_path / "scene.png"
    draw_scene(Scene("red", "circle", "white"), (400, 300), __import__("random").Random(1)).save(picture)
    described = subprocess.run([sys.executable, "-m", "seesay", "describe", "--no-index", "--language", "es",
                                "--model", str(scene_model), "--model-dir", str(models), str(picture)],
                               capture_output=True, text=True, timeout=300)
    assert described.returncode == 0, described.stderr
    assert "opus-mt-en-es" not in described.stderr  # found: nothing said missing


def test_damaged_weights_are_said_once_and_english_is_spoken(in_spanish, tmp_path):
    folder = tmp_path / "Helsinki-NLP--opus-mt-en-es"
    hub_marian_folder(folder)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:5000])  # cut short after it was marked complete
    translation = TranslationSession({"model_dir": str(tmp_path)})
    assert translation.into_language(["a red circle"]) == ["a red circle"]
    problems = translation.problems()
    assert len(problems) == 1 and problems[0].spoken and "Helsinki-NLP--opus-mt-en-es" in problems[0].message
    assert translation.into_language(["a blue square"]) == ["a blue square"] and translation.problems() == []
    assert not (tmp_path / "Helsinki-NLP--opus-mt-en-es.int8.safetensors").exists()
