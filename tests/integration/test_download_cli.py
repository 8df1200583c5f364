"""`seesay download` as a user runs it, against the fake hub on loopback: it checks what it fetched,
repairs a damaged model, and a hostile model folder is refused before anything is built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from fixtures.fake_hub import FakeHub

pytestmark = pytest.mark.slow
REPO = "test/scenes"


def seesay(*args: str, endpoint: str = "http://127.0.0.1:9", timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "HF_ENDPOINT": endpoint})


def picture(tmp_path: Path) -> str:
    path = tmp_path / "picture.png"
    Image.new("RGB", (64, 64), "white").save(path)
    return str(path)


def test_download_repairs_a_damaged_model_that_describe_reported(tmp_path, scene_model):
    models = str(tmp_path / "models")
    with FakeHub({REPO: scene_model}) as hub:
        first = seesay("download", REPO, "--model-dir", models, endpoint=hub.endpoint)
        assert first.returncode == 0, first.stderr
        weights = tmp_path / "models" / "test--scenes" / "model.safetensors"
        with weights.open("r+b") as file:
            file.truncate(weights.stat().st_size // 2)

        described = seesay("describe", "--model", REPO, "--model-dir", models, picture(tmp_path))
        assert described.returncode == 1
        assert "damaged" in described.stderr and f"seesay download {REPO}" in described.stderr

        repaired = seesay("download", REPO, "--model-dir", models, endpoint=hub.endpoint)
    assert repaired.returncode == 0, repaired.stderr
    assert "model.safetensors" in repaired.stderr and "Ready" in repaired.stdout
    assert weights.read_bytes() == (scene_model / "model.safetensors").read_bytes()
    again = seesay("describe", "--model", REPO, "--model-dir", models, picture(tmp_path))
    assert again.returncode == 0, again.stderr


def test_download_of_forged_weights_fails_clearly(tmp_path, scene_model):
    real = (scene_model / "model.safetensors").read_bytes()
    with FakeHub({REPO: scene_model}) as hub:
        hub.forged["model.safetensors"] = real[:-4] + b"\0\0\0\0"
        result = seesay("download", REPO, "--model-dir", str(tmp_path / "models"), endpoint=hub.endpoint)
    assert result.returncode == 1
    assert "checksum" in result.stderr and "model.safetensors" in result.stderr
    assert "Traceback" not in result.stderr and "Ready" not in result.stdout


def test_a_model_folder_with_a_million_layers_is_refused_at_once(tmp_path, scene_model):
    folder = tmp_path / "hostile"
    folder.mkdir()
    for file in scene_model.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    config = json.loads((folder / "config.json").read_text())
    config["text_config"]["num_hidden_layers"] = 10**6
    (folder / "config.json").write_text(json.dumps(config))
    result = seesay("describe", "--model", str(folder), picture(tmp_path), timeout=120)
    assert result.returncode == 1
    assert str(folder) in result.stderr and "1000000" in result.stderr
