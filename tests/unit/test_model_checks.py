"""Model folders that cannot exhaust the machine: configs within bounds, weights whole, files inside.

Every check here runs before anything is built, so a hostile folder is refused in well under a
second instead of filling memory for minutes."""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path

import pytest

from fixtures.fake_hub import COMMIT
from seesay.core.errors import ModelNotAvailableError
from seesay.vision.model_store import ModelStore, verify_model_folder


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def refusal(folder: Path) -> str:
    with pytest.raises(ModelNotAvailableError) as caught:
        verify_model_folder(folder)
    return caught.value.message


def write_sparse_weights(path: Path, parameters: int) -> None:
    """A structurally whole safetensors file of ``parameters`` float32 values that takes no disk."""
    header = json.dumps({"weights": {"dtype": "F32", "shape": [parameters], "data_offsets": [0, 4 * parameters]}})
    header = header.encode() + b" " * (-len(header) % 8)
    with path.open("wb") as file:
        file.write(struct.pack("<Q", len(header)) + header)
        file.truncate(8 + len(header) + 4 * parameters)


@pytest.mark.parametrize("kind", ["base", "large", "vqa"])
def test_folders_shaped_like_the_real_blip_models_pass(tmp_path, kind):
    torch = pytest.importorskip("torch")
    import transformers

    vision = {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24, "num_attention_heads": 16} \
        if kind == "large" else {}
    config = transformers.BlipConfig(
        text_config={"vocab_size": 30524, "encoder_hidden_size": vision.get("hidden_size", 768)},
        vision_config={"image_size": 384, "patch_size": 16, **vision}, projection_dim=512)
    architecture = "BlipForQuestionAnswering" if kind == "vqa" else "BlipForConditionalGeneration"
    with torch.device("meta"):  # counts the parameters without making them
        parameters = sum(p.numel() for p in getattr(transformers, architecture)(config).parameters())
    config.save_pretrained(tmp_path)
    transformers.BlipImageProcessorPil(size={"height": 384, "width": 384}).save_pretrained(tmp_path)
    (tmp_path / "vocab.txt").write_text("[PAD]\n")
    write_sparse_weights(tmp_path / "model.safetensors", parameters)
    assert verify_model_folder(tmp_path) == tmp_path


def test_a_million_layers_is_refused_naming_the_folder_and_the_value(scene_model_copy):
    edit_json(scene_model_copy / "config.json", lambda c: c["text_config"].update(num_hidden_layers=10**6))
    message = refusal(scene_model_copy)
    assert str(scene_model_copy) in message
    assert "num_hidden_layers" in message and "1000000" in message


def test_a_huge_picture_size_in_the_processor_config_is_refused(scene_model_copy):
    edit_json(scene_model_copy / "processor_config.json",
              lambda c: c["image_processor"].update(size={"height": 30000, "width": 30000}))
    message = refusal(scene_model_copy)
    assert str(scene_model_copy) in message and "30000" in message


def test_a_huge_picture_size_in_a_hub_style_preprocessor_config_is_refused(scene_model_copy):
    processor = json.loads((scene_model_copy / "processor_config.json").read_text())["image_processor"]
    (scene_model_copy / "processor_config.json").unlink()
    (scene_model_copy / "preprocessor_config.json").write_text(json.dumps({**processor, "size": 30000}))
    assert "30000" in refusal(scene_model_copy)


def test_more_layers_than_the_weights_hold_is_refused(scene_model_copy):
    # within every single bound, but 4 layers of width 1024 need far more weights than the file has
    edit_json(scene_model_copy / "config.json", lambda c: c["vision_config"].update(hidden_size=1024))
    message = refusal(scene_model_copy)
    assert str(scene_model_copy) in message and "model.safetensors" in message


def test_too_many_picture_patches_are_refused(scene_model_copy):
    edit_json(scene_model_copy / "config.json", lambda c: c["vision_config"].update(image_size=4096, patch_size=1))
    assert "4096" in refusal(scene_model_copy)


@pytest.mark.parametrize("value", ["12", 1e9, True, -1, [12]])
def test_config_values_of_the_wrong_kind_are_refused(scene_model_copy, value):
    edit_json(scene_model_copy / "config.json", lambda c: c["vision_config"].update(num_hidden_layers=value))
    assert "num_hidden_layers" in refusal(scene_model_copy)


def test_a_config_that_is_not_json_or_nested_too_deep_is_refused(scene_model_copy):
    (scene_model_copy / "config.json").write_text("[" * 100_000 + "]" * 100_000)
    assert "config.json" in refusal(scene_model_copy)
    (scene_model_copy / "config.json").write_text("{not json")
    assert "config.json" in refusal(scene_model_copy)


def test_truncated_weights_in_a_folder_without_marker_are_found(scene_model_copy):
    weights = scene_model_copy / "model.safetensors"
    with weights.open("r+b") as file:
        file.truncate(weights.stat().st_size - 100)
    message = refusal(scene_model_copy)
    assert "damaged" in message and "model.safetensors" in message


def test_weights_symlinked_out_of_the_folder_are_refused(scene_model_copy, tmp_path):
    outside = tmp_path / "elsewhere.safetensors"
    (scene_model_copy / "model.safetensors").rename(outside)
    (scene_model_copy / "model.safetensors").symlink_to(outside)
    message = refusal(scene_model_copy)
    assert "model.safetensors" in message and "outside" in message


def test_a_config_symlinked_out_of_the_folder_is_refused(scene_model_copy, tmp_path):
    outside = tmp_path / "config-elsewhere.json"
    shutil.move(scene_model_copy / "config.json", outside)
    (scene_model_copy / "config.json").symlink_to(outside)
    assert "config.json" in refusal(scene_model_copy)


def test_a_symlink_to_a_device_is_refused_without_reading_it(scene_model_copy):
    (scene_model_copy / "model.safetensors").unlink()
    (scene_model_copy / "model.safetensors").symlink_to("/dev/zero")
    assert "model.safetensors" in refusal(scene_model_copy)


def test_a_fifo_for_weights_is_refused_without_waiting(scene_model_copy):
    (scene_model_copy / "model.safetensors").unlink()
    os.mkfifo(scene_model_copy / "model.safetensors")
    assert "model.safetensors" in refusal(scene_model_copy)


def test_a_symlink_inside_the_folder_is_fine(scene_model_copy):
    (scene_model_copy / "weights").mkdir()
    (scene_model_copy / "model.safetensors").rename(scene_model_copy / "weights" / "model.safetensors")
    (scene_model_copy / "model.safetensors").symlink_to(Path("weights") / "model.safetensors")
    assert verify_model_folder(scene_model_copy) == scene_model_copy


def hf_cache_with_links(cache: Path, model: Path) -> Path:
    """The shared Hugging Face cache's layout: snapshot files are links into the repo's blobs."""
    repo = cache / "models--test--scenes"
    snapshot = repo / "snapshots" / COMMIT
    snapshot.mkdir(parents=True)
    (repo / "blobs").mkdir()
    for file in model.iterdir():
        blob = repo / "blobs" / f"blob-{file.name}"
        shutil.copyfile(file, blob)
        (snapshot / file.name).symlink_to(Path("..") / ".." / "blobs" / blob.name)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    return snapshot


def test_the_hugging_face_cache_links_into_its_blobs_are_followed(tmp_path, scene_model):
    snapshot = hf_cache_with_links(tmp_path / "hf", scene_model)
    assert ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf").locate("test/scenes") == snapshot


def test_a_hugging_face_cache_link_out_of_its_repo_is_refused(tmp_path, scene_model):
    snapshot = hf_cache_with_links(tmp_path / "hf", scene_model)
    outside = tmp_path / "planted.safetensors"
    shutil.copyfile(scene_model / "model.safetensors", outside)
    (snapshot / "model.safetensors").unlink()
    (snapshot / "model.safetensors").symlink_to(outside)
    assert "outside" in refusal(snapshot)
    assert not ModelStore(tmp_path / "models", hf_cache=tmp_path / "hf").is_available("test/scenes")
