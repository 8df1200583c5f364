"""A hub Marian model, as ``seesay download`` leaves it in the model store (safetensors weights,
source.spm, target.spm, vocab.json, marked complete), is converted to CTranslate2 int8 on its first
use, once, offline, and then used from the conversion."""

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


def hub_marian_folder(folder):
    """An untrained Marian model of the scene grammar's words, saved in the hub's layout."""
    from fixtures.train_scene_translation import build_model, build_tokenizer, pairs_for

    folder.mkdir(parents=True)
    tokenizer = build_tokenizer(pairs_for("en-es"), folder)
    build_model(tokenizer).save_pretrained(folder, safe_serialization=True)
    files = {path.name: {"size": path.stat().st_size} for path in folder.iterdir() if path.is_file()}
    write_marker(folder, "Helsinki-NLP/opus-mt-en-es", "0" * 40, files)  # as seesay download marks it


def test_a_downloaded_hub_model_is_converted_once_on_first_use(in_spanish, tmp_path):
    hub_marian_folder(tmp_path / "Helsinki-NLP--opus-mt-en-es")
    converted = tmp_path / "Helsinki-NLP--opus-mt-en-es.ct2"
    translation = TranslationSession({"model_dir": str(tmp_path)})
    said = translation.into_language(["a red circle on a white background"])
    assert translation.problems() == [] and isinstance(said[0], str)  # untrained: any words, but no failure
    assert (converted / "model.bin").is_file() and (converted / "source.spm").is_file()
    assert json.loads((converted / "config.json").read_text())["unk_token"] == "<unk>"
    made = (converted / "model.bin").stat().st_mtime_ns
    again = TranslationSession({"model_dir": str(tmp_path)})
    assert again.into_language(["a red circle on a white background"]) == said  # the same model
    assert (converted / "model.bin").stat().st_mtime_ns == made  # not converted again
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no half conversion left


def test_an_unfinished_download_is_not_converted(in_spanish, tmp_path):
    folder = tmp_path / "Helsinki-NLP--opus-mt-en-es"
    hub_marian_folder(folder)
    (folder / COMPLETE_MARKER).unlink()  # cut off before seesay download marked it complete
    translation = TranslationSession({"model_dir": str(tmp_path)})
    assert translation.into_language(["red"]) == ["red"]
    assert "seesay download Helsinki-NLP/opus-mt-en-es" in translation.problems()[0].hint
    assert not (tmp_path / "Helsinki-NLP--opus-mt-en-es.ct2").exists()
