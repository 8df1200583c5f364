"""What ``seesay doctor`` says about translation: the description language, and whether its
models are on this computer. Looks only (no model is loaded, converted or downloaded)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seesay.core import paths
from seesay.core.i18n import LANGUAGE_NAMES, _
from seesay.translation.base import wanted_language
from seesay.translation.convert import is_marian_folder
from seesay.translation.ctranslate2_backend import converted_parts


def translation_status(values: Mapping[str, Any]) -> list[tuple[bool, str]]:
    """(fine, line) for each thing doctor shows: the language descriptions are said in, then each
    of its two models (into the language, back into English) found or missing, with what to do."""
    from seesay.translation.models import model_names

    wanted = wanted_language(values)
    if wanted.language == "en":
        line = _("Descriptions and answers: English (the model's own language), nothing to translate.")
        if wanted.unavailable:
            line += " " + _("seesay is not translated into {language} yet, so it speaks and shows English.").format(
                language=wanted.unavailable)
        return [(True, line)]
    language = LANGUAGE_NAMES.get(wanted.language, wanted.language)
    lines = []
    for name, purpose in zip(model_names(values, wanted.language),
                             (_("into {language}: descriptions and answers"), _("into English: questions"))):
        where = find_without_converting(values, name)
        purpose = purpose.format(language=language)
        if where is None:
            lines.append((False, _("Translation model {purpose}: {model} is not on this computer (seesay download "
                                   "{model}); English is used until it is.").format(purpose=purpose, model=name)))
        else:
            lines.append((True, _("Translation model {purpose}: {folder}").format(purpose=purpose, folder=where)))
    return lines


def find_without_converting(values: Mapping[str, Any], name: str) -> Path | None:
    """The folder a translation model would be used from (a hub folder, or a converted one), or None."""
    from seesay.vision.model_store import ModelStore, parse_model_name

    ref = parse_model_name(name)
    if ref.folder is not None:
        found = ref.folder.is_dir() and (converted_parts(ref.folder) is not None or is_marian_folder(ref.folder))
        return ref.folder if found else None
    store = ModelStore(paths.model_dir(str(values.get("model_dir") or "")))
    folder = store.folder_for(ref.hub_id)
    for candidate in (folder, folder.with_name(folder.name + ".ct2")):
        if converted_parts(candidate) is not None or is_marian_folder(candidate):
            return candidate
    return None
