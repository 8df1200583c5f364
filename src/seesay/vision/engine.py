"""From settings to a ready captioner: find the model (offline), load it, warm it up."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seesay.core import paths
from seesay.vision.blip import BlipCaptioner
from seesay.vision.caption import CaptionOptions
from seesay.vision.device import limit_threads
from seesay.vision.model_store import ModelStore
from seesay.vision.vqa import BlipAnswerer


def model_store(values: Mapping[str, Any]) -> ModelStore:
    return ModelStore(paths.model_dir(values.get("model_dir", "")))


def locate_model(values: Mapping[str, Any]) -> Path:
    """The folder of the configured model, found without network access, or ``ModelNotAvailableError``."""
    return model_store(values).locate(values.get("model"))


def load_answerer(values: Mapping[str, Any]) -> BlipAnswerer:
    """The question-answering model (``vqa_model``), found offline; errors as for ``load_captioner``."""
    folder = model_store(values).locate(values.get("vqa_model") or "vqa", setting="vqa_model")
    limit_threads()
    return BlipAnswerer.load(folder, device=values.get("device", "auto"), precision=values.get("precision", "auto"))


def load_captioner(values: Mapping[str, Any], *, folder: Path | None = None, warm_up: bool = True) -> BlipCaptioner:
    """Raises ``ModelNotAvailableError``, ``ModelLoadError`` or ``DeviceError`` with a hint."""
    folder = folder or locate_model(values)
    limit_threads()  # before the first model runs: one core is left to the screen reader
    options = CaptionOptions(
        max_new_tokens=int(values.get("max_new_tokens", CaptionOptions.max_new_tokens)),
        num_beams=int(values.get("num_beams", CaptionOptions.num_beams)),
    )
    return BlipCaptioner.load(
        folder,
        device=values.get("device", "auto"),
        precision=values.get("precision", "auto"),
        options=options,
        warm_up=warm_up,
    )
