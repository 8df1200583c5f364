"""The acceptance run's report (scripts/accept_real_models.py), made here with the trained scene
models in place of the real weights: the same code a maintainer with the weights runs."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "accept_real_models.py"
MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"


def accept(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          env=os.environ.copy())


def test_the_report_gives_every_caption_its_numbers_and_the_thresholds_it_would_need(tmp_path):
    result = accept("--model", str(MODELS / "scenes-caption"), "--vqa-model", str(MODELS / "scenes-vqa"),
                    "--itm-model", str(MODELS / "scenes-itm"), "--screens", "drawn", "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert stat.S_IMODE((tmp_path / "report" / "report.json").stat().st_mode) == 0o600
    assert {role: model["precision"] for role, model in report["models"].items()} == {
        "caption": "int8", "itm": "int8", "vqa": "int8"}
    captions = report["captions"]
    assert {c["kind"] for c in captions} >= {"drawn", "screen"}
    for caption in captions:  # every caption with all its numbers
        assert set(caption) >= {"raw_caption", "caption", "confidence", "match", "certainty", "seconds", "right"}
        assert 0 < caption["seconds"] < 5 and 0 <= caption["confidence"] <= 1 and 0 <= caption["match"] <= 1
    drawn = [c for c in captions if c["kind"] == "drawn" and c["source"] == "drawn by this script"]  # shapes
    assert all(c["right"] and c["certainty"] == "plain" for c in drawn)  # the scene model's own world
    screens = [c for c in captions if c["kind"] == "screen"]
    assert all(c["certainty"] == "unsure" and c["said"].startswith("Text: ") for c in screens)  # never a shape
    pages = [c for c in captions if c["kind"] == "page"]  # an article, a chat, a gallery with pictures inside
    assert len(pages) == 3 and all(c["said"].startswith("Picture ") for c in pages)
    regions = [c for c in captions if c["kind"] == "region"]  # each picture found, captioned on its own crop
    assert len(regions) == report["summary"]["pictures placed on pages"] == 5
    assert all(c["right"] for c in regions)
    summary = report["summary"]
    assert summary["peak_resident_mib"] > 100 and summary["said plainly and wrong"] == 0
    tokens = report["thresholds"]["token confidence"]
    assert tokens["now"] == {"plain": 0.95, "hedged": 0.7}  # the scene model's confidence.json
    assert tokens["wrong"] > 0 and tokens["needed"]["plain"] is not None
    assert tokens["change"]["plain"] == pytest.approx(tokens["needed"]["plain"] - 0.95, abs=1e-4)
    assert report["thresholds"]["image-text match"]["now"] == {"plain": 0.9, "hedged": 0.5}
    assert [row["side"] for row in report["by_size"]] == [24, 32, 48, 64, 96]
    assert report["answers"] and all(a["right"] for a in report["answers"])
    assert any("scikit-image" in note for note in report["pictures_from"])  # says where the photos came from, or not
    markdown = (tmp_path / "report" / "report.md").read_text()
    for heading in ("## Models", "## Pictures", "## Summary", "## Thresholds", "## Captions",
                    "## What seesay says for each screen", "## By size", "## Answers"):
        assert heading in markdown
    assert markdown.count("\n| ") >= len(captions) + len(report["answers"]) + 5


def test_without_the_weights_it_says_how_to_get_them_and_downloads_nothing(tmp_path):
    result = accept("--model-dir", str(tmp_path / "models"), "--out", str(tmp_path / "report"))
    assert result.returncode == 2
    assert "Salesforce/blip-image-captioning-base is not on this computer" in result.stderr
    assert "seesay download base" in result.stderr
    assert not (tmp_path / "report").exists()
