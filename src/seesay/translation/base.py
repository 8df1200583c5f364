"""What a translator is, the one that changes nothing, and which model serves which language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from seesay.core import i18n


class Translator(Protocol):
    """Translates sentences from one language into another. Runs on the worker thread."""

    #: (source, target) language codes, as seesay names languages ("en", "de", "pt_BR")
    direction: tuple[str, str]

    def translate(self, texts: Sequence[str]) -> list[str]:
        """One translation per text, in order; an empty text stays empty."""
        ...


class LoadedTranslator:
    """What the loaded translators share: their direction, name and the time the last call took."""

    def __init__(self, *, direction: tuple[str, str], name: str, target_prefix: str | None = None) -> None:
        #: a multilingual model's target language token (``>>pt_BR<<``), put before the source text
        self._prefix = target_prefix
        self.direction = direction
        self.name = name
        #: seconds the last ``translate`` took (for the log and the benchmark)
        self.last_seconds = 0.0


def load_failed(folder, error: Exception):
    """The ``ModelLoadError`` for a translation model in ``folder`` that could not be loaded."""
    from seesay.core.errors import ModelLoadError
    from seesay.core.i18n import _

    return ModelLoadError(
        _("The translation model in {folder} could not be loaded: it may be damaged or be another kind "
               "of model.").format(folder=folder),
        _("({detail}) Convert or download it again, or choose another translation model folder.").format(
            detail=str(error).splitlines()[0][:160] if str(error) else type(error).__name__),
        spoken=_("The translation model could not be loaded. Descriptions are said in English."))


@dataclass(frozen=True)
class NullTranslator:
    """English in, English out: the translator for English, and the fallback when a pair is missing."""

    direction: tuple[str, str] = ("en", "en")

    def translate(self, texts: Sequence[str]) -> list[str]:
        return list(texts)


@dataclass(frozen=True)
class Pair:
    """The OPUS-MT models for one language: into it (captions, answers) and out of it (questions)."""

    to_language: str
    to_english: str
    #: a token the model needs before the English text to know the target language (multilingual models)
    target_prefix: str | None = None


#: The hub's Marian models for each language seesay speaks (converted to CTranslate2 on first use).
#: Brazilian Portuguese has no pair of its own: the English-to-Romance model with its target token.
PAIRS: Mapping[str, Pair] = {
    "de": Pair("Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-de-en"),
    "es": Pair("Helsinki-NLP/opus-mt-en-es", "Helsinki-NLP/opus-mt-es-en"),
    "fr": Pair("Helsinki-NLP/opus-mt-en-fr", "Helsinki-NLP/opus-mt-fr-en"),
    "pt_BR": Pair("Helsinki-NLP/opus-mt-en-ROMANCE", "Helsinki-NLP/opus-mt-ROMANCE-en", target_prefix=">>pt_BR<<"),
}


@dataclass(frozen=True)
class LanguageWanted:
    """The language descriptions are said in, from the ``language`` setting."""

    #: "en" (nothing to translate) or one of ``PAIRS``
    language: str
    #: a language asked for that seesay cannot speak (``ar_EG``, ``xx``), said once; else None
    unavailable: str | None = None


def wanted_language(values: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> LanguageWanted:
    """The description language: the language the interface speaks (``i18n.current_language``,
    chosen from the same setting when seesay started), so a caption is in the language of the
    sentence around it, and changes with it, at the next start. ``C.UTF-8`` and English mean English;
    a language seesay cannot speak (a right-to-left one among them) is English, and named."""
    choice = i18n.pick_language(str(values.get("language") or "auto"), environ)
    unavailable = choice.unavailable or (None if choice.language in (*PAIRS, "en") else choice.language)
    language = i18n.current_language()
    return LanguageWanted(language if language in PAIRS else "en", unavailable)
