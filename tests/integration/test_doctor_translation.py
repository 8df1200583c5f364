"""``seesay doctor`` says which language descriptions are said in and whether the translation models
for it are on this computer, in the person's language, each missing one with its download line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"


def doctor(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "seesay", *args, "doctor"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "LANGUAGE": "en", "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_doctor_names_the_translation_models_found_and_missing(tmp_path, audio):
    """(``audio``: doctor lists the voices, and espeak-ng asks the sound server for them.)"""
    english = [line for line in doctor("--language", "en").splitlines() if "Translation:" in line]
    assert english == ["[ok ] Translation: Descriptions and answers: English (the model's own language), nothing to "
                       "translate."]
    found = [line for line in doctor("--language", "de", "--translation-model",
                                     str(MODELS / "scenes-translate-en-de")).splitlines() if "Übersetzung:" in line]
    assert len(found) == 2 and all(line.startswith("[ok ]") for line in found), found
    assert "scenes-translate-en-de" in found[0] and "scenes-translate-de-en" in found[1]  # the way back: swapped
    missing = [line for line in doctor("--language", "es", "--model-dir", str(tmp_path)).splitlines()
               if "Traducción:" in line]
    assert len(missing) == 2 and all(line.startswith("[NO ]") for line in missing), missing
    assert "seesay download Helsinki-NLP/opus-mt-en-es" in missing[0]
