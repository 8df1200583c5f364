"""Finding the translation models for a language, offline, and converting a hub model on first use.

The ``translation_model`` setting names the model that translates English into the person's
language: a folder (a hub Marian folder with safetensors weights, or one converted to CTranslate2)
or a hub id. Empty, it is the OPUS-MT model for the language (``base.PAIRS``). The model for the way
back (questions into English) is named the same with the two languages swapped
(``opus-mt-en-de`` -> ``opus-mt-de-en``, ``scenes-translate-en-de`` -> ``scenes-translate-de-en``).

A hub model is looked for in seesay's model store (where ``seesay download`` puts it), then in the
Hugging Face cache; never on the network. A hub Marian folder is read by seesay's own int8 loop
(``marian_torch``, measured faster than CTranslate2), its int8 weights kept beside it
(``<folder>.int8.safetensors``, made once, on first use); a folder converted to CTranslate2 only
(an Argos Translate package, an older seesay's ``<folder>.ct2``) is read by CTranslate2, and a hub
folder the own loop cannot read is converted for it (``convert``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seesay.core import paths
from seesay.core.errors import ModelNotAvailableError, SeesayError
from seesay.core.i18n import LANGUAGE_NAMES, _
from seesay.translation.base import PAIRS
from seesay.translation.convert import check_marian_folder, convert_marian, is_marian_folder, is_safe_marian_folder
from seesay.translation.ctranslate2_backend import converted_parts

#: Where conversions of hub Marian folders named by path are kept, inside the model store.
CONVERTED = "converted-translation-models"
#: The int8 weights of a hub folder taken apart for seesay's own loop, kept beside it.
KEPT_SUFFIX = ".int8.safetensors"


@dataclass(frozen=True)
class Located:
    """Where a translation model is on this computer, and how it is read."""

    folder: Path
    #: a hub Marian folder (safetensors), read by seesay's own loop; else a CTranslate2 folder
    hub: bool
    #: where the own loop keeps the int8 weights it takes apart (hub folders only)
    kept: Path | None = None
    #: where a hub folder's CTranslate2 conversion goes, when the own loop cannot read it
    converted: Path | None = None
#: A language pair in a model's name: English and one of the languages seesay speaks, either way round.
_LANGUAGE = r"(?:de|es|fr|pt(?:_BR|_br)?|ROMANCE)"
_PAIR_IN_NAME = re.compile(rf"(?<![A-Za-z])(en|{_LANGUAGE})([-_])({_LANGUAGE}|en)(?![A-Za-z])")


class TranslationUnavailable(SeesayError):
    """A translation model is missing or cannot be used: descriptions are said in English."""

    #: a hub model that is not on this computer: the window offers to download it
    downloadable = False


def model_names(values: Mapping[str, Any], language: str) -> tuple[str, str]:
    """(the model into ``language``, the model from it into English) as the settings name them."""
    named = str(values.get("translation_model") or "").strip()
    if not named:
        return PAIRS[language].to_language, PAIRS[language].to_english
    return named, swapped(named) or PAIRS[language].to_english


def swapped(name: str) -> str | None:
    """``name`` with its language pair the other way round (the last pair in it), or None."""
    found = [pair for pair in _PAIR_IN_NAME.finditer(name) if (pair.group(1) == "en") != (pair.group(3) == "en")]
    if not found:
        return None
    last = found[-1]
    return name[:last.start()] + last.group(3) + last.group(2) + last.group(1) + name[last.end():]


def locate_translation(values: Mapping[str, Any], name: str, language: str, *, into_english: bool = False
                       ) -> Located:
    """Where the model ``name`` is, found without the network; ``TranslationUnavailable`` (with
    what to do) when it is not on this computer."""
    from seesay.vision.model_store import COMPLETE_MARKER, ModelStore, parse_model_name

    store = ModelStore(paths.model_dir(str(values.get("model_dir") or "")))
    ref = parse_model_name(name)
    if ref.folder is not None:
        kept_as = store.root / CONVERTED / _converted_name(ref.folder)
        return _usable_folder(ref.folder, kept_as, language, into_english)
    downloaded = store.folder_for(ref.hub_id)  # by seesay download: used once marked complete
    converted = downloaded.with_name(downloaded.name + ".ct2")
    if (downloaded / COMPLETE_MARKER).is_file() and is_marian_folder(downloaded):
        return Located(downloaded, True, downloaded.with_name(downloaded.name + KEPT_SUFFIX), converted)
    if converted_parts(converted) is not None:
        return Located(converted, False)
    cached = _from_hf_cache(ref.hub_id)
    if cached is not None and is_marian_folder(cached):
        kept_as = store.root / CONVERTED / _converted_name(cached)
        return Located(cached, True, kept_as.with_name(kept_as.name + KEPT_SUFFIX), converted)
    error = missing(ref.hub_id, language, into_english)
    error.downloadable = True
    raise error


def _usable_folder(folder: Path, kept_as: Path, language: str, into_english: bool) -> Located:
    from seesay.vision.model_checks import check_files_inside

    if not folder.is_dir():
        raise missing(str(folder), language, into_english)
    check_files_inside(folder)
    if is_safe_marian_folder(folder) or (is_marian_folder(folder) and converted_parts(folder) is None):
        converted = kept_as.with_name(kept_as.name + ".ct2")
        return Located(folder, True, kept_as.with_name(kept_as.name + KEPT_SUFFIX), converted)
    if converted_parts(folder) is not None:
        return Located(folder, False)
    raise TranslationUnavailable(
        _("{folder} holds no translation model.").format(folder=folder),
        _("Give --translation-model a Marian model converted to CTranslate2 (model.bin, config.json, "
          "shared_vocabulary.json, source.spm, target.spm), or a hub Marian model folder with safetensors "
          "weights."),
        spoken=_("That folder holds no translation model, so descriptions are said in English. Choose another "
                 "translation model folder in Settings."))


def ctranslate2_folder(located: Located, language: str, into_english: bool) -> Path:
    """The CTranslate2 folder for ``located``: itself, or its hub folder's conversion (made once,
    when missing or older than the folder)."""
    if not located.hub:
        return located.folder
    target = located.converted
    if target is not None and converted_parts(target) is not None and (
            target.stat().st_mtime >= located.folder.stat().st_mtime):
        return target
    return _converted(located.folder, target, language, into_english)


def _converted(source: Path, target: Path, language: str, into_english: bool) -> Path:
    try:
        check_marian_folder(source)
        return convert_marian(source, target)
    except SeesayError as error:  # refused (not safetensors, incomplete) or failed: said as unavailable
        raise TranslationUnavailable(error.message, error.hint, spoken=error.spoken) from None


def _converted_name(folder: Path) -> str:
    """A name for what is made of the hub Marian folder at ``folder`` (two folders of one name differ)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:12]
    return f"{folder.name}-{digest}"


def _from_hf_cache(hub_id: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        from seesay.vision.download import DOWNLOAD_PATTERNS

        return Path(snapshot_download(hub_id, local_files_only=True, allow_patterns=DOWNLOAD_PATTERNS))
    except Exception:  # noqa: BLE001 - not cached, or a broken cache entry
        return None


def missing(name: str, language: str, into_english: bool) -> TranslationUnavailable:
    """The translation model ``name`` is not on this computer: what is said, shown and suggested."""
    language_name = LANGUAGE_NAMES.get(language, language)
    if into_english:
        message = _("The model that translates questions from {language} into English ({model}) is not on this "
                    "computer, so questions are asked as you type them.").format(language=language_name, model=name)
        spoken = _("The model that translates your questions into English is not on this computer, so questions "
                   "are asked as you type them. Download it once, or choose a translation model folder in "
                   "Settings. The window shows how.")
    else:
        message = _("The model that translates descriptions into {language} ({model}) is not on this computer, so "
                    "descriptions are said in English.").format(language=language_name, model=name)
        spoken = _("The model that translates descriptions into {language} is not on this computer, so "
                   "descriptions are said in English. Download it once, or choose a translation model folder in "
                   "Settings. The window shows how.").format(language=language_name)
    hint = _("Download it once with: seesay download {model}\n"
             "or use a translation model folder you already have: --translation-model /path/to/folder").format(
        model=name)
    return TranslationUnavailable(message, hint, spoken=spoken)


def to_download(values: Mapping[str, Any], language: str) -> list[str]:
    """The hub models of ``language``'s pair (into it, and back into English for questions), as
    the settings name them: what the window offers to download when one is missing (a folder
    named in the settings is the person's own: never offered)."""
    from seesay.vision.model_store import parse_model_name

    return [name for name in model_names(values, language) if parse_model_name(name).hub_id is not None]


def is_translation_model(name: str) -> bool:
    """Whether ``name`` (given to ``seesay download``) is one of the translation models seesay uses."""
    return any(name in (pair.to_language, pair.to_english) for pair in PAIRS.values()) or "opus-mt" in name


def ready_after_download(folder: Path) -> Path:
    """A downloaded hub Marian folder checked and made ready at once (what ``seesay download`` does
    for a translation model), so its first use is quick: its int8 weights taken apart and kept
    beside it for seesay's own loop, or, when that loop cannot read it, converted to CTranslate2.
    Returns the folder translations will be read from."""
    from seesay.translation.marian_torch import MarianTorchTranslator

    try:
        check_marian_folder(folder)
    except SeesayError as error:
        raise ModelNotAvailableError(error.message, error.hint, spoken=error.spoken) from None
    try:
        MarianTorchTranslator.load(folder, direction=("en", "en"), kept=folder.with_name(folder.name + KEPT_SUFFIX))
        return folder
    except SeesayError:
        return convert_marian(folder, folder.with_name(folder.name + ".ct2"))
