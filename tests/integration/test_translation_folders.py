"""Folder jobs in the person's language (issue 17 with issue 18): `seesay describe --recursive
--language de` says each picture in German (printed, in the alt-text files and in the index, so a
German word finds it), keeps the English caption beside it, and never gives a description made in
one language to a run in another. Real processes, the trained scene models and the trained scene
translation models, read through seesay's own CTranslate2 translator."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.scene_translations import caption_in
from fixtures.scenes import Scene, draw_random_scene, draw_scene
from integration.test_describe_cli import json_lines

pytestmark = pytest.mark.slow
EN_DE = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-translate-en-de"


def seesay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=600,
                          env=os.environ.copy())


def drawn_tree(root: Path, count: int, seed: int) -> dict[str, Scene]:
    rng = random.Random(seed)
    truth = {}
    for number in range(count):
        scene, image = draw_random_scene(rng, (200, 150))
        folder = root / ("" if number % 2 else "trip")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"photo-{number:02d}.png"
        image.save(path)
        truth[str(path)] = scene
    return truth


def test_a_folder_is_described_in_german_kept_so_and_found_by_a_german_word(scene_model, tmp_path):
    root = tmp_path / "Fotos"
    truth = drawn_tree(root, 8, seed=20261202)
    triangle = root / "Dreieck.png"  # one scene surely with the word looked for below
    draw_scene(Scene("red", "triangle", "white"), (200, 150), random.Random(4)).save(triangle)
    truth[str(triangle)] = Scene("red", "triangle", "white")

    german = seesay("describe", "--recursive", "--format", "jsonl", "--sidecar", "--language", "de",
                    "--model", str(scene_model), "--translation-model", str(EN_DE), str(root))
    assert german.returncode == 0, german.stderr
    records = {record["path"]: record for record in json_lines(german.stdout)}
    assert set(records) == set(truth)
    right = [path for path, scene in truth.items() if records[path]["said"] == caption_in("de", scene)]
    assert len(right) >= len(truth) - 1, [(records[p]["said"], caption_in("de", s)) for p, s in truth.items()]
    for path in right:
        assert records[path]["caption"] == truth[path].caption  # the model's English caption is kept beside it
        assert records[path]["language"] == "de"
        assert Path(path + ".alt.txt").read_text(encoding="utf-8") == caption_in("de", truth[path]) + "\n"
    assert "English" not in german.stderr and "Englisch" not in german.stderr

    found = seesay("search", "Dreieck")
    assert found.returncode == 0, found.stderr
    assert str(triangle) in found.stdout.splitlines()

    again = seesay("describe", "--recursive", "--format", "jsonl", "--language", "de", "--model", str(scene_model),
                   "--translation-model", str(EN_DE), str(root))
    assert again.returncode == 0, again.stderr
    assert all(record["from_index"] for record in json_lines(again.stdout))  # nothing new: all from the index

    # in English the German descriptions are not given back: each picture is described again, in English
    english = seesay("describe", "--recursive", "--format", "jsonl", "--language", "en", "--model",
                     str(scene_model), str(root))
    assert english.returncode == 0, english.stderr
    for record in json_lines(english.stdout):
        assert not record["from_index"] and "language" not in record
        assert record["said"] == record["caption"], record  # a plain picture: its English caption


def test_a_folder_without_the_language_pair_says_so_once_and_is_described_again_once_it_is_there(
        scene_model, tmp_path):
    root = tmp_path / "Fotos"
    truth = drawn_tree(root, 5, seed=99)
    store = str(tmp_path / "store")  # nothing downloaded, and no network: the pair is looked for offline only
    missing = seesay("describe", "--recursive", "--format", "jsonl", "--batch", "2", "--language", "de",
                     "--model", str(scene_model), "--model-dir", store, str(root))
    assert missing.returncode == 0, missing.stderr
    assert missing.stderr.count("seesay download Helsinki-NLP/opus-mt-en-de") == 1, missing.stderr
    records = json_lines(missing.stdout)
    assert {record["said"] for record in records} == {scene.caption for scene in truth.values()}  # English
    assert {record["language"] for record in records} == {"de+en"}  # German words, English captions

    with_pair = seesay("describe", "--recursive", "--format", "jsonl", "--language", "de", "--model",
                       str(scene_model), "--model-dir", store, "--translation-model", str(EN_DE), str(root))
    assert with_pair.returncode == 0, with_pair.stderr
    records = {record["path"]: record for record in json_lines(with_pair.stdout)}
    assert not any(record["from_index"] for record in records.values())  # said in German this time
    assert sum(records[path]["said"] == caption_in("de", scene) for path, scene in truth.items()) >= 4
