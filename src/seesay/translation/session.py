"""The translators for the person's language, held while they are used.

One language pair at a time: the model into the language (captions, answers) is loaded on the
first description that needs it, the model back into English on the first question; both are let
go after ``IDLE_SECONDS`` without use, and a new language (new settings) means a new session. A
model that is missing or fails is said once (``problems``), and from then on seesay speaks
English (a question is asked as it was typed) until the settings change. Runs on the worker
thread, or in ``seesay describe``.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from seesay.core.errors import SeesayError
from seesay.core.i18n import _
from seesay.translation.base import PAIRS, NullTranslator, Translator, wanted_language

log = logging.getLogger("seesay.translation")
#: A translation model not used for this long is let go (the next use loads it again, in well under a second).
IDLE_SECONDS = 600.0
#: How many of the latest texts translated (each way) are kept with their translations.
RECENT_TEXTS = 2000
#: The settings that make a new session.
TRANSLATION_KEYS = ("language", "translation_model", "model_dir")


def load_translator(values: Mapping[str, Any], language: str, *, into_english: bool) -> Translator:
    """The translator into ``language`` (or from it into English), found offline: seesay's own int8
    loop for a hub Marian folder, CTranslate2 for a converted one (or for a hub folder the own loop
    cannot read: converted once)."""
    from seesay.core.errors import ModelLoadError
    from seesay.translation.ctranslate2_backend import CTranslate2Translator
    from seesay.translation.marian_torch import MarianTorchTranslator
    from seesay.translation.models import TranslationUnavailable, ctranslate2_folder, locate_translation, model_names

    name = model_names(values, language)[1 if into_english else 0]
    located = locate_translation(values, name, language, into_english=into_english)
    direction = (language, "en") if into_english else ("en", language)
    prefix = None if into_english else PAIRS[language].target_prefix
    try:
        if located.hub:
            try:
                return MarianTorchTranslator.load(located.folder, direction=direction, target_prefix=prefix,
                                                  kept=located.kept)
            except ModelLoadError:  # a layout the own loop does not run: CTranslate2 may
                log.warning("own translation loop cannot read the model; converting it for CTranslate2")
        folder = ctranslate2_folder(located, language, into_english)
        return CTranslate2Translator.load(folder, direction=direction, target_prefix=prefix)
    except SeesayError as error:
        raise TranslationUnavailable(error.message, error.hint, spoken=error.spoken) from None


class TranslationSession:
    def __init__(self, values: Mapping[str, Any], *, load: Callable[..., Translator] = load_translator,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._values = dict(values)
        self._load = load
        self._clock = clock
        self.wanted = wanted_language(values)
        #: direction ("into" or "back") -> the loaded translator
        self._loaded: dict[str, Translator] = {}
        #: directions that failed: English from then on, said once
        self._failed: set[str] = set()
        self._unsaid: list[SeesayError] = []
        #: direction -> the latest texts translated and their translations (at most RECENT_TEXTS)
        self._recent: dict[str, OrderedDict[str, str]] = {}
        self._used_at = 0.0

    @property
    def translates(self) -> bool:
        """Whether descriptions are still to be translated (a language other than English, its model
        not failed)."""
        return self.wanted.language != "en" and "into" not in self._failed

    def into_language(self, texts: Sequence[str]) -> list[str]:
        """English captions or answers in the person's language; as they are when that cannot be."""
        if not self.translates:
            return list(texts)
        return self._run("into", texts) or list(texts)

    def prepare(self) -> None:
        """Load the model into the person's language now (the worker does, once the captioner is
        ready and before the first press); a problem is said with the first description, as when
        it is found then."""
        if self.translates and "into" not in self._loaded:
            self._run("into", [])

    @property
    def has_failed(self) -> bool:
        """Whether a model of the pair was missing or failed (a new session tries again)."""
        return bool(self._failed)

    def download_offer(self, problems: list[SeesayError]) -> list[str]:
        """The hub models to offer for download when ``problems`` (from ``problems()``) say one of
        the pair is not on this computer; [] otherwise."""
        if not any(getattr(problem, "downloadable", False) for problem in problems):
            return []
        from seesay.translation.models import to_download

        return to_download(self._values, self.wanted.language)

    def said_in(self) -> str:
        """The language of a description made now, as the picture index keeps it: seesay's language
        ("de"), or with "+en" when its captions stay English (the model into the language is
        missing or failed), so that a later run with the model describes those pictures again."""
        from seesay.core.i18n import current_language

        language = current_language()
        return language if language == "en" or self.translates else f"{language}+en"

    def into_english(self, question: str) -> str:
        """A question typed in the person's language, in English for the question model."""
        if self.wanted.language == "en" or "back" in self._failed:
            return question
        said = self._run("back", [question])
        return said[0] if said and said[0].strip() else question

    def problems(self) -> list[SeesayError]:
        """What went wrong since it was last asked, each said once."""
        unsaid, self._unsaid = self._unsaid, []
        return unsaid

    def _run(self, direction: str, texts: Sequence[str]) -> list[str] | None:
        self._used_at = self._clock()
        try:
            translator = self._loaded.get(direction)
            if translator is None:
                translator = self._load(self._values, self.wanted.language, into_english=direction == "back")
                self._loaded[direction] = translator
            said = self._translated(direction, translator, texts)
        except SeesayError as error:
            self._give_up(direction, error)
            return None
        except Exception as error:  # noqa: BLE001 - a translation must never cost the description
            log.exception("translation failed")
            self._give_up(direction, SeesayError(_("Translation failed ({detail}), so seesay speaks English.").format(
                detail=type(error).__name__)))
            return None
        self._used_at = self._clock()
        return said

    def _translated(self, direction: str, translator: Translator, texts: Sequence[str]) -> list[str]:
        """``texts`` translated, each text seen lately taken from the recent ones (the same screen
        described again, a folder of pictures with the same caption, "red" as an answer): only
        the others go through the model, in one call."""
        recent = self._recent.setdefault(direction, OrderedDict())
        new = list(dict.fromkeys(text for text in texts if text.strip() and text not in recent))
        for text, said in zip(new, translator.translate(new) if new else []):
            recent[text] = said
        for text in texts:
            if text in recent:
                recent.move_to_end(text)
        while len(recent) > RECENT_TEXTS:
            recent.popitem(last=False)
        return [recent.get(text, text) for text in texts]

    def _give_up(self, direction: str, error: SeesayError) -> None:
        log.warning("translation %s not available: %s", direction, type(error).__name__)
        self._failed.add(direction)
        self._loaded.pop(direction, None)
        self._unsaid.append(error)

    def until_idle(self) -> float | None:
        """Seconds until the loaded models have been idle long enough to let go (None: none loaded)."""
        if not self._loaded:
            return None
        return max(0.0, self._used_at + IDLE_SECONDS - self._clock())

    def release_idle(self) -> bool:
        """Let the models go when idle; True when they were."""
        if self._loaded and self.until_idle() == 0.0:
            log.info("translation models released")
            self._loaded.clear()
            return True
        return False


def no_translation() -> TranslationSession:
    """A session for English: nothing is loaded, everything passes through."""
    return TranslationSession({"language": "en"}, load=lambda *_args, **_kw: NullTranslator())
