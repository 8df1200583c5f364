"""Does this caption fit this picture? BLIP image-text matching (``Salesforce/blip-itm-base-coco``).

BLIP's CapFilt filter used at inference: the captioner proposes, the matcher judges. It reads
the picture and the caption together (the caption's words attend to the picture) and gives the
probability that they belong together. It is a second opinion that does not share the
captioner's blind spots: a captioner sure of every word of "a blue triangle" on a page of text
has nothing in its own numbers to say it is wrong; the matcher reads the words against the
picture. Its probability comes from a two-way choice (fits / does not fit) trained on right
captions and near misses, so 0.5 means the same for every captioner it checks.

Same model store, offline rules and loading code as the captioner (safetensors only, int8 on
the CPU). Optional: without it seesay says what it said before (``load_matcher`` returns None).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seesay.core.errors import Cancelled, ModelNotAvailableError
from seesay.core.i18n import _
from seesay.vision.blip import load_blip
from seesay.vision.images import ImageSource, LoadedImage, load_image

log = logging.getLogger("seesay.itm")

#: Below this match probability the matcher says the caption does not fit the picture: the
#: two-way head's own boundary (fits vs does not fit), the same for every captioner.
REJECT_BELOW = 0.5
#: The default matcher, when the ``itm_model`` setting is left as it is.
DEFAULT_MATCHER = "Salesforce/blip-itm-base-coco"
#: Beside a matcher's weights: how its verdicts on answers said as captions were measured
#: (``tests/benchmarks/bench_answer_check.py --write``), see ``answer_check_of``.
ANSWER_CHECK_FILE = "answer_check.json"


@dataclass(frozen=True)
class Match:
    caption: str
    #: The probability that ``caption`` fits the picture (0..1).
    probability: float
    seconds: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.probability >= REJECT_BELOW


class BlipMatcher:
    """A loaded BLIP image-text matching model. Not thread-safe: the worker thread owns it."""

    def __init__(self, model, processor, *, name: str, device: str, precision: str) -> None:
        self._model = model
        self._processor = processor
        self.name = name
        self.device = device
        self.precision = precision
        self._picture_key: Hashable | None = None
        self._picture_embeds = None

    @classmethod
    def load(cls, folder: Path, *, device: str = "auto", precision: str = "auto") -> "BlipMatcher":
        model, processor, device, precision = load_blip(
            "BlipForImageTextRetrieval", folder, device=device, precision=precision,
            hint=_("The folder may be damaged or hold a model that is not BLIP image-text matching. "
                   "Download it again with: seesay download Salesforce/blip-itm-base-coco"))
        return cls(model, processor, name=str(folder), device=device, precision=precision)

    def match(self, image: ImageSource | LoadedImage | Any, caption: str, *,
              picture_key: Hashable | None = None) -> Match:
        """How well ``caption`` fits ``image``. Pictures with the same ``picture_key`` are encoded once."""
        return self.match_many(image, [caption], picture_key=picture_key)[0]

    def match_many(self, image, captions: Sequence[str], *, picture_key: Hashable | None = None,
                   cancelled: Callable[[], bool] | None = None) -> list[Match]:
        """Several captions of one picture (CapFilt's candidates): the picture is encoded once."""
        import torch

        started = time.perf_counter()
        with torch.inference_mode():
            if picture_key is None or picture_key != self._picture_key:
                self._picture_embeds = self._encode([image])
                self._picture_key = picture_key
            if cancelled is not None and cancelled():
                raise Cancelled()
            embeds = self._picture_embeds.expand(len(captions), -1, -1)
            probabilities = self._judge(embeds, captions)
        seconds = (time.perf_counter() - started) / max(1, len(captions))
        return [Match(text, float(p), seconds) for text, p in zip(captions, probabilities)]

    def match_pairs(self, pairs: Sequence[tuple[Any, str]], cancelled: Callable[[], bool] | None = None) -> list[Match]:
        """Each (picture, caption) pair: every caption a description speaks, in one pass."""
        import torch

        if not pairs:
            return []
        started = time.perf_counter()
        with torch.inference_mode():
            embeds = self._encode([picture for picture, _caption in pairs])
            if cancelled is not None and cancelled():
                raise Cancelled()
            probabilities = self._judge(embeds, [caption for _picture, caption in pairs])
        seconds = (time.perf_counter() - started) / len(pairs)
        return [Match(caption, float(p), seconds) for (_picture, caption), p in zip(pairs, probabilities)]

    def _encode(self, images: list):
        pictures = [image if hasattr(image, "convert") else
                    (image if isinstance(image, LoadedImage) else load_image(image)).image for image in images]
        pixels = self._processor(images=pictures, return_tensors="pt")["pixel_values"]
        return self._model.vision_model(pixel_values=pixels.to(self.device, self._model.dtype))[0]

    def _judge(self, image_embeds, captions: Sequence[str]) -> list[float]:
        import torch

        limit = self._model.config.text_config.max_position_embeddings
        tokens = self._processor.tokenizer([caption.strip().lower() for caption in captions], padding="longest",
                                           truncation=True, max_length=limit, return_tensors="pt").to(self.device)
        text = self._model.text_encoder(
            input_ids=tokens["input_ids"], attention_mask=tokens["attention_mask"],
            encoder_hidden_states=image_embeds,
            encoder_attention_mask=torch.ones(image_embeds.shape[:-1], dtype=torch.long, device=self.device),
            return_dict=False)[0]
        logits = self._model.itm_head(text[:, 0, :]).float()
        return torch.softmax(logits, dim=-1)[:, 1].tolist()


def answer_check_of(folder: str | Path | None) -> str:
    """What the matcher in ``folder`` may do with an answer said as a caption (``vqa.statement_of``)
    that it rejects: "silence" (measured to catch wrong answers and keep right ones: "I can't
    tell"), "none" (measured to reject right answers too: the answer is not checked), or "hedge"
    (never measured: at most "probably", as for a captioner never measured)."""
    import json

    try:
        record = json.loads((Path(folder) / ANSWER_CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return "hedge"
    if not isinstance(record, dict):
        return "hedge"
    if record.get("silence_on_reject") is True:
        return "silence"
    return "none" if float(record.get("right_statements_accepted", 1.0)) < 0.95 else "hedge"


def check_answer(matcher: BlipMatcher | None, image, question: str, answer: str, *,
                 picture_key: Hashable | None = None) -> tuple[str | None, float | None, str]:
    """(the answer said as a caption, the matcher's probability for it, what a rejection may do:
    ``answer_check_of``); (None, None, ...) where there is no matcher, the question's answer makes
    no caption (yes/no, counting, reading), or the matcher was measured not to read such captions."""
    from seesay.vision.vqa import statement_of

    if matcher is None:
        return None, None, "none"
    check = answer_check_of(matcher.name)
    statement = statement_of(question, answer) if check != "none" else None
    if statement is None:
        return None, None, check
    key = None if picture_key is None else ("answer", picture_key)
    return statement, matcher.match(image, statement, picture_key=key).probability, check


def load_matcher(values: Mapping[str, Any]) -> BlipMatcher | None:
    """The image-text matcher (``itm_model``), found offline, or None when the default one is not
    on this computer (seesay then says captions as sure as the captioner is, as before; ``seesay
    doctor`` says so). A model named in the settings that is missing, or one that cannot be
    loaded, raises ``ModelNotAvailableError`` / ``ModelLoadError`` with a hint."""
    from seesay.vision.device import limit_threads
    from seesay.vision.engine import model_store

    name = values.get("itm_model") or DEFAULT_MATCHER
    try:
        folder = model_store(values).locate(name, setting="itm_model")
    except ModelNotAvailableError:
        if name != DEFAULT_MATCHER:
            raise
        log.info("no image-text matching model: captions are not checked")
        return None
    limit_threads()
    return BlipMatcher.load(folder, device=values.get("device", "auto"), precision=values.get("precision", "auto"))
