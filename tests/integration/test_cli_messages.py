"""What seesay's command line says when something is not right: each message names the real cause and
what to do next, without repeating the command that just failed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

pytestmark = pytest.mark.slow


def seesay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9"})


def test_a_web_address_is_not_fetched_and_is_said_so(tmp_path):
    result = seesay("describe", "--model-dir", str(tmp_path / "models"), "https://example.com/cat.png")
    assert result.returncode == 1
    assert "does not exist" not in result.stderr, result.stderr
    assert "web address" in result.stderr and "does not fetch" in result.stderr, result.stderr
    assert "nothing is uploaded or downloaded" in result.stderr and "Save the picture" in result.stderr


def test_offline_download_says_why_and_the_other_routes_without_repeating_itself(tmp_path):
    models = tmp_path / "models"
    result = seesay("download", "base", "--model-dir", str(models))
    assert result.returncode == 1
    assert "no connection" in result.stderr, result.stderr
    assert "seesay download base" not in result.stderr.split("Error:", 1)[1].split("another computer")[0], \
        result.stderr  # the command that just failed is not the advice, except for another computer
    assert "another computer" in result.stderr and "copy" in result.stderr, result.stderr
    assert "--model" in result.stderr and "again" in result.stderr, result.stderr
    left = [path for path in models.rglob("*")] if models.exists() else []
    assert not any(path.is_dir() and not any(path.iterdir()) for path in left), left  # no empty model folder


def test_a_model_folder_with_no_model_in_it_says_what_a_model_folder_holds(tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello")
    os.mkfifo(folder / "pipe")  # /tmp holds sockets and pipes: not a damaged model
    picture = tmp_path / "x.png"
    Image.new("RGB", (20, 20), "red").save(picture)
    result = seesay("describe", "--model", str(folder), str(picture))
    assert result.returncode == 1
    assert "download again" not in result.stderr.lower() and "unchanged copy" not in result.stderr, result.stderr
    assert "has no model in it" in result.stderr, result.stderr
    assert "config.json" in result.stderr and "model.safetensors" in result.stderr, result.stderr
