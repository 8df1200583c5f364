"""Marian (OPUS-MT) models in CTranslate2's format, run in int8 on the CPU.

A converted model folder holds ``model.bin`` (CTranslate2's own format: tensors and their names,
never a pickle, so loading it runs no code), ``config.json``, the vocabulary
(``shared_vocabulary.json``, or one per side) and the SentencePiece models that cut text into the
model's pieces: ``source.spm`` and ``target.spm`` as the hub's OPUS-MT models have them, or one
``sentencepiece.model`` beside a ``model/`` folder as Argos Translate packages have them.

CTranslate2 and sentencepiece are imported here, when a model is loaded, never at start-up.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seesay.core.errors import ModelLoadError, ModelNotAvailableError
from seesay.core.i18n import _
from seesay.translation.base import LoadedTranslator, load_failed

#: A translation may be at most this many pieces longer than three times its source: a model that
#: repeats itself stops there.
EXTRA_PIECES = 10
VOCABULARIES = (("shared_vocabulary.json",), ("shared_vocabulary.txt",),
                ("source_vocabulary.json", "target_vocabulary.json"),
                ("source_vocabulary.txt", "target_vocabulary.txt"))


@dataclass(frozen=True)
class ConvertedFolder:
    """Where the parts of a converted model are."""

    model: Path  # the folder with model.bin
    source_pieces: Path
    target_pieces: Path


def converted_parts(folder: Path) -> ConvertedFolder | None:
    """The parts of a CTranslate2 Marian model in ``folder``, or None when it is not one."""
    model = folder if (folder / "model.bin").is_file() else folder / "model"
    if not (model / "model.bin").is_file():
        return None
    shared = folder / "sentencepiece.model"
    source, target = folder / "source.spm", folder / "target.spm"
    if source.is_file() and target.is_file():
        return ConvertedFolder(model, source, target)
    if shared.is_file():
        return ConvertedFolder(model, shared, shared)
    return None


def missing_parts(folder: Path) -> list[str]:
    """What a converted model folder lacks (file names), empty when it is whole enough to load."""
    parts = converted_parts(folder)
    if parts is None:
        model = folder if (folder / "model.bin").is_file() else folder / "model"
        return (["model.bin"] if not (model / "model.bin").is_file() else []) + ["source.spm, target.spm"]
    missing = [] if (parts.model / "config.json").is_file() else ["config.json"]
    if not any(all((parts.model / name).is_file() for name in names) for names in VOCABULARIES):
        missing.append("shared_vocabulary.json")
    return missing


class CTranslate2Translator(LoadedTranslator):
    """A loaded CTranslate2 translation model, one direction."""

    def __init__(self, translator, source_pieces, target_pieces, *, direction: tuple[str, str], name: str,
                 target_prefix: str | None = None, beam_size: int = 1) -> None:
        super().__init__(direction=direction, name=name, target_prefix=target_prefix)
        self._translator = translator
        self._source = source_pieces
        self._target = target_pieces
        self._beam_size = beam_size

    @classmethod
    def load(cls, folder: Path, *, direction: tuple[str, str], target_prefix: str | None = None,
             threads: int | None = None, beam_size: int = 1) -> "CTranslate2Translator":
        """Load ``folder`` (checked first) in int8; ``ModelNotAvailableError`` / ``ModelLoadError`` with a hint.
        ``threads``: as many as the captioner uses (a core stays free for the screen reader)."""
        from seesay.vision.device import model_threads

        parts = converted_parts(folder)
        missing = missing_parts(folder)
        if parts is None or missing:
            raise ModelNotAvailableError(
                _("{folder} is not a translation model folder: {missing} missing.").format(
                    folder=folder, missing=", ".join(missing)),
                _("A translation model folder holds a Marian model converted to CTranslate2's format (model.bin, "
                  "config.json, shared_vocabulary.json) with its source.spm and target.spm."),
                spoken=_("That folder holds no translation model. Descriptions are said in English."))
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as error:
            raise ModelLoadError(_("Translation needs the ctranslate2 and sentencepiece packages ({detail}).").format(
                detail=error), _("Install them with: pip install ctranslate2 sentencepiece")) from None
        try:
            translator = ctranslate2.Translator(str(parts.model), device="cpu", compute_type="int8",
                                                inter_threads=1, intra_threads=threads or model_threads())
            source = sentencepiece.SentencePieceProcessor(model_file=str(parts.source_pieces))
            target = (source if parts.target_pieces == parts.source_pieces
                      else sentencepiece.SentencePieceProcessor(model_file=str(parts.target_pieces)))
        except (RuntimeError, ValueError, OSError) as error:
            raise load_failed(folder, error) from None
        return cls(translator, source, target, direction=direction, name=str(folder), target_prefix=target_prefix,
                   beam_size=beam_size)

    def source_pieces(self, text: str) -> list[str]:
        """The pieces the model reads: a multilingual model's target language token (``>>pt_BR<<``)
        first, as transformers' MarianTokenizer puts it, then the text's, then the end."""
        return ([self._prefix] if self._prefix else []) + self._source.encode(text.strip(), out_type=str) + ["</s>"]

    def translate(self, texts: Sequence[str]) -> list[str]:
        started = time.perf_counter()
        wanted = [index for index, text in enumerate(texts) if text.strip()]
        results = list(texts)
        if wanted:
            pieces = [self.source_pieces(texts[index]) for index in wanted]
            translated = self._translator.translate_batch(
                pieces, beam_size=self._beam_size, max_decoding_length=max(len(p) for p in pieces) * 3 + EXTRA_PIECES)
            for index, result in zip(wanted, translated):
                said = [piece for piece in result.hypotheses[0] if piece != self._prefix]
                results[index] = self._target.decode(said).strip()
        self.last_seconds = time.perf_counter() - started
        return results
