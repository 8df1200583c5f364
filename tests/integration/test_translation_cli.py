"""Descriptions and answers in the person's language (issue 17), as a user gets them: ``seesay
describe --language de`` in a real process, with the trained scene models and the trained scene
translation models (``tests/fixtures/train_scene_translation.py``) read through seesay's own int8
loop (the hub folder) and through CTranslate2 (the same model converted). And every way it falls back to English: said once, never a crash."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.scene_translations import answer_in, caption_in
from fixtures.scenes import Scene, draw_random_scene, draw_scene
from integration.test_describe_cli import json_lines

pytestmark = pytest.mark.slow
MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"


def translation_model(direction: str) -> str:
    return str(MODELS / f"scenes-translate-{direction}")


def seesay(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})


def drawn(tmp_path: Path, count: int, seed: int) -> dict[str, Scene]:
    rng = random.Random(seed)
    truth = {}
    for index in range(count):
        scene, image = draw_random_scene(rng)
        path = tmp_path / f"scene-{index:02d}.png"
        image.save(path)
        truth[str(path)] = scene
    return truth


@pytest.mark.parametrize("language,count,engine", [("de", 60, "own loop"), ("es", 30, "own loop"),
                                                   ("de", 30, "CTranslate2")])
def test_held_out_scenes_are_described_in_the_persons_language(scene_model, tmp_path, language, count, engine):
    truth = drawn(tmp_path, count, seed=20261201)  # neither the captioner's nor any training seed
    model = translation_model(f"en-{language}")
    if engine == "CTranslate2":  # a converted-only folder (as Argos Translate packages are) is read by CTranslate2
        from seesay.translation.convert import convert_marian

        model = str(convert_marian(Path(model), tmp_path / f"scenes-translate-en-{language}"))
    result = seesay("describe", "--json", "--no-index", "--language", language, "--model", str(scene_model),
                    "--translation-model", model, *truth)
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stdout)
    said = {record["path"]: record["said"] for record in records}
    wrong = [(caption_in(language, scene), said[path]) for path, scene in truth.items()
             if said[path] != caption_in(language, scene)]
    assert (count - len(wrong)) / count >= 0.9, f"{len(wrong)} of {count} wrong: {wrong[:5]}"
    assert "ein roter Kreis auf weißem Hintergrund" in {caption_in("de", Scene("red", "circle", "white"))}
    assert all(record["caption"] == scene.caption for record, scene in zip(records, truth.values())
               if record["said"] == caption_in(language, scene))  # the English caption is kept in the record
    assert "English" not in result.stderr and "Englisch" not in result.stderr


def test_a_german_question_gets_a_german_answer_and_a_spanish_one_a_spanish_answer(scene_model, vqa_model, tmp_path):
    path = tmp_path / "triangle.png"
    draw_scene(Scene("red", "triangle", "white"), (480, 360), random.Random(3)).save(path)
    german = seesay("describe", "--no-index", "--language", "de", "--model", str(scene_model), "--vqa-model",
                    str(vqa_model), "--translation-model", translation_model("en-de"),
                    "--ask", "Welche Farbe hat die Form?", "--ask", "Welche Form hat es?",
                    "--ask", "welche farbe hat der hintergrund", str(path))
    assert german.returncode == 0, german.stderr
    assert german.stdout.splitlines() == [
        f"{path}: ein rotes Dreieck auf weißem Hintergrund",
        f"  Welche Farbe hat die Form? {answer_in('de', 'red')}",
        f"  Welche Form hat es? {answer_in('de', 'triangle')}",
        f"  welche farbe hat der hintergrund {answer_in('de', 'white')}",
    ]
    spanish = seesay("describe", "--no-index", "--language", "es", "--model", str(scene_model), "--vqa-model",
                     str(vqa_model), "--translation-model", translation_model("en-es"),
                     "--ask", "¿Qué forma tiene?", str(path))
    assert spanish.returncode == 0, spanish.stderr
    assert spanish.stdout.splitlines() == [f"{path}: un triángulo rojo sobre fondo blanco", "  ¿Qué forma tiene? triángulo"]


def test_a_missing_language_pair_is_said_once_and_english_is_spoken(scene_model, tmp_path):
    """Nothing downloaded, nothing in the cache, no network: the hub's pair is looked for offline only."""
    truth = drawn(tmp_path, 2, seed=7)
    result = seesay("describe", "--no-index", "--language", "de", "--model", str(scene_model), "--model-dir",
                    str(tmp_path / "store"), *truth)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{path}: {scene.caption}" for path, scene in truth.items()]
    assert result.stderr.count("seesay download Helsinki-NLP/opus-mt-en-de") == 1
    assert result.stderr.count("so descriptions are said in English") == 1 or result.stderr.count(
        "Beschreibungen auf Englisch") == 1


def test_a_pickle_only_model_folder_is_refused_and_english_is_spoken(scene_model, tmp_path):
    """A hub Marian folder whose weights are a pickle is never loaded (it could run code)."""
    folder = tmp_path / "opus-mt-en-de"
    folder.mkdir()
    for name in ("config.json", "source.spm", "target.spm", "vocab.json"):
        (folder / name).write_text("{}")
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04not loaded")
    path = tmp_path / "circle.png"
    draw_scene(Scene("blue", "circle", "black"), (400, 300), random.Random(1)).save(path)
    result = seesay("describe", "--no-index", "--language", "de", "--model", str(scene_model),
                    "--translation-model", str(folder), "--model-dir", str(tmp_path / "store"), str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: a blue circle on a black background"
    assert "safetensors" in result.stderr


@pytest.mark.parametrize("locale,note", [("C.UTF-8", None), ("ar_EG.UTF-8", "ar_EG"), ("he_IL.UTF-8", "he_IL")])
def test_a_c_or_right_to_left_locale_describes_in_english(scene_model, tmp_path, locale, note):
    """The system's language (the setting left at auto): C means English, silently; a language seesay
    cannot speak yet (Arabic and Hebrew, written right to left, among them) is named once."""
    truth = drawn(tmp_path, 2, seed=11)
    result = seesay("describe", "--no-index", "--model", str(scene_model), "--model-dir", str(tmp_path / "store"),
                    *truth, LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG=locale)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{path}: {scene.caption}" for path, scene in truth.items()]
    if note is None:
        assert "translated" not in result.stderr
    else:
        assert result.stderr.count(f"seesay is not translated into {note} yet, so it speaks and shows English.") == 1


def test_an_unknown_language_code_is_refused_with_the_choices(scene_model, tmp_path):
    result = seesay("describe", "--language", "xx", "--model", str(scene_model), str(tmp_path / "none.png"))
    assert result.returncode == 2
    assert "xx is not one of" in result.stderr and "de, es" in result.stderr
    assert "Traceback" not in result.stderr
