"""A hub Marian model (OPUS-MT) run by seesay's own int8 loop in PyTorch: the translator seesay
prefers, where the model's safetensors folder is on this computer (``seesay download`` keeps it).

Text is cut into pieces as transformers' MarianTokenizer cuts it: the source SentencePiece model,
each piece looked up in ``vocab.json`` (a piece it lacks is ``<unk>``), the end of sentence after
them; a multilingual model's target language token (``>>pt_BR<<``) goes before the text, as one
piece. The translation's pieces are put together by the target SentencePiece model. Only
safetensors weights are read (``convert.check_marian_folder``). torch, transformers and
sentencepiece are imported here, when a model is loaded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from seesay.core.errors import ModelLoadError, ModelNotAvailableError, SeesayError
from seesay.core.i18n import _
from seesay.translation.base import LoadedTranslator, load_failed
from seesay.translation.ctranslate2_backend import EXTRA_PIECES

#: At most this many texts are translated together (each step reads the weights once for all).
BATCH = 16
#: Pieces that are never said.
SPECIAL = ("</s>", "<pad>", "<unk>")


class Pieces:
    """The model's pieces: text to ids and ids to text."""

    def __init__(self, source, target, vocabulary: dict[str, int], target_vocabulary: dict[str, int] | None = None,
                 *, unknown: int, end: int) -> None:
        self._source, self._target = source, target
        self._ids = vocabulary
        self._names = {index: piece for piece, index in (target_vocabulary or vocabulary).items()}
        self.unknown, self.end = unknown, end

    def source_ids(self, text: str, prefix: str | None = None) -> list[int]:
        """The ids the encoder reads for ``text``, after the target language token ``prefix``."""
        pieces = ([prefix] if prefix else []) + self._source.encode(text.strip(), out_type=str)
        return [self._ids.get(piece, self.unknown) for piece in pieces] + [self.end]

    def text(self, ids: Sequence[int]) -> str:
        pieces = [self._names.get(index, "<unk>") for index in ids]
        return self._target.decode([piece for piece in pieces if piece not in SPECIAL]).strip()


class MarianTorchTranslator(LoadedTranslator):
    """A loaded hub Marian model, one direction, decoded greedily by ``marian_greedy``."""

    def __init__(self, decoder, pieces: Pieces, *, direction: tuple[str, str], name: str,
                 target_prefix: str | None = None) -> None:
        super().__init__(direction=direction, name=name, target_prefix=target_prefix)
        self._decoder = decoder
        self._pieces = pieces

    @classmethod
    def load(cls, folder: Path, *, direction: tuple[str, str], target_prefix: str | None = None,
             kept: Path | None = None) -> "MarianTorchTranslator":
        """Load the hub Marian folder ``folder`` (checked first: safetensors only); raises
        ``ModelNotAvailableError`` / ``ModelLoadError`` with what to do. ``kept``: where its int8
        weights are kept once taken apart (``marian_weights``), so later loads are quick."""
        from seesay.translation.convert import check_marian_folder

        check_marian_folder(folder)
        try:
            import sentencepiece

            from seesay.translation.marian_greedy import MarianGreedy
        except ImportError as error:
            raise ModelLoadError(_("Translation needs the ctranslate2 and sentencepiece packages ({detail}).").format(
                detail=error), _("Install them with: pip install ctranslate2 sentencepiece")) from None
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            vocabulary = _vocabulary(folder / "vocab.json")
            target_vocabulary = (_vocabulary(folder / "target_vocab.json")
                                 if (folder / "target_vocab.json").is_file() else None)
            source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
            end = int(config.get("eos_token_id", vocabulary["</s>"]))
            written = None if target_vocabulary is not None else target_side(target, vocabulary, end)
            decoder = MarianGreedy(*_int8_weights(folder, kept), written)
            pieces = Pieces(source, target, vocabulary, target_vocabulary, unknown=vocabulary["<unk>"], end=end)
        except SeesayError:
            raise
        except Exception as error:  # noqa: BLE001 - transformers, sentencepiece and json raise many kinds
            raise load_failed(folder, error) from None
        return cls(decoder, pieces, direction=direction, name=str(folder), target_prefix=target_prefix)

    def translate(self, texts: Sequence[str]) -> list[str]:
        import torch

        started = time.perf_counter()
        results = list(texts)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # small matrices a step: a second thread costs more than it gives (benchmark)
        try:
            wanted = [index for index, text in enumerate(texts) if text.strip()]
            for first in range(0, len(wanted), BATCH):  # a folder's captions: some at a time, as memory allows
                some = wanted[first:first + BATCH]
                sources = [self._pieces.source_ids(texts[index], self._prefix) for index in some]
                written = self._decoder.greedy_batch(sources, [len(ids) * 3 + EXTRA_PIECES for ids in sources])
                for index, ids in zip(some, written):
                    results[index] = self._pieces.text(ids)
        finally:
            torch.set_num_threads(threads)
        self.last_seconds = time.perf_counter() - started
        return results


def target_side(target, vocabulary: dict[str, int], end: int) -> list[int] | None:
    """The ids of the pieces a translation can be written in: the target SentencePiece model's
    (OPUS-MT's ``vocab.json`` holds both languages' pieces, about 58,000 for two models of 32,000;
    a piece only the source model has is never in a translation the model learnt, and the target
    model could not even write it: it would be said as "⁇") and the end of sentence. None (every
    piece) when the target model's pieces are not found in the vocabulary, as for a model that was
    put together differently."""
    pieces = [target.id_to_piece(index) for index in range(target.get_piece_size())
              if not (target.is_control(index) or target.is_unused(index))]
    found = {vocabulary[piece] for piece in pieces if piece in vocabulary}
    if not pieces or len(found) < 0.9 * len(pieces):
        return None
    return sorted(found | {end})


def _vocabulary(path: Path) -> dict[str, int]:
    vocabulary = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(vocabulary, dict) or "<unk>" not in vocabulary or "</s>" not in vocabulary:
        raise ModelNotAvailableError(
            _("{folder} is not a complete Marian translation model: {missing} missing.").format(
                folder=path.parent, missing="vocab.json"),
            _("Download the model again with: seesay download"),
            spoken=_("That translation model is not complete. Descriptions are said in English."))
    return {str(piece): int(index) for piece, index in vocabulary.items()}


def _int8_weights(folder: Path, kept: Path | None):
    """The model's int8 weights: read from ``kept`` when made from these weights, else taken apart
    from the safetensors (and kept there for next time)."""
    from seesay.translation.marian_weights import keep, made_from, read_kept, taken_apart

    source = made_from(sorted(folder.glob("*.safetensors")))
    found = read_kept(kept, source) if kept is not None and kept.is_file() else None
    if found is not None:
        return found
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(str(folder), use_safetensors=True, local_files_only=True).eval()
    state, facts = taken_apart(model)
    del model
    if kept is not None:
        try:
            keep(kept, state, facts, source)
        except OSError:  # a read-only store: taken apart again next time
            pass
    return state, facts
