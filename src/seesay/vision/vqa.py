"""Questions about a picture: BLIP visual question answering (``Salesforce/blip-vqa-base``).

Same model store, same offline rules and the same loading code as the captioner. The
picture's encoding is kept for the last picture asked about, so a follow-up question about
the same capture skips the image encoder and costs only the question and the answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from seesay.core.errors import Cancelled, SeesayError
from seesay.core.i18n import _
from seesay.vision.blip import BlipRunner, load_blip
from seesay.vision.caption import weakest_probability
from seesay.vision.caption_quirks import clean_answer
from seesay.vision.images import ImageSource, LoadedImage, load_image

#: Answers are a word or a few; a runaway answer is cut here.
MAX_ANSWER_TOKENS = 12


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    seconds: float
    #: Natural-log probability of each answer token, in order.
    token_logprobs: tuple[float, ...] = ()
    #: True when the picture's encoding from an earlier question was reused.
    reused_picture: bool = False

    @property
    def confidence(self) -> float:
        """The probability of the least certain answer token (as for captions)."""
        return weakest_probability(self.token_logprobs)


class BlipAnswerer(BlipRunner):
    """A loaded BLIP question-answering model."""

    def __init__(self, model, processor, *, name: str, device: str, precision: str) -> None:
        super().__init__(model, processor, name=name, device=device, precision=precision)
        self._picture_key: Hashable | None = None
        self._picture_embeds = None

    @classmethod
    def load(cls, folder: Path, *, device: str = "auto", precision: str = "auto") -> "BlipAnswerer":
        model, processor, device, precision = load_blip(
            "BlipForQuestionAnswering", folder, device=device, precision=precision,
            hint=_("The folder may be damaged or hold a model that is not BLIP question answering. "
                   "Download it again with: seesay download vqa"))
        return cls(model, processor, name=str(folder), device=device, precision=precision)

    def answer(
        self,
        image: ImageSource | LoadedImage,
        question: str,
        *,
        picture_key: Hashable | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Answer:
        """Answer ``question`` about ``image``. Pictures with the same ``picture_key`` are encoded once."""
        import torch

        started = time.perf_counter()
        with torch.inference_mode():
            reused = picture_key is not None and picture_key == self._picture_key
            if not reused:
                picture = image if isinstance(image, LoadedImage) else load_image(image)
                pixels = self._processor(images=picture.image, return_tensors="pt")["pixel_values"]
                self._picture_embeds = self._model.vision_model(
                    pixel_values=pixels.to(self.device, self._model.dtype))[0]
                self._picture_key = picture_key
            if cancelled is not None and cancelled():
                raise Cancelled()
            limit = self._model.config.text_config.max_position_embeddings  # 512 for blip-vqa-base
            asked = self._processor.tokenizer(question.strip().lower(), return_tensors="pt", truncation=True,
                                              max_length=limit + 1).to(self.device)
            if asked["input_ids"].shape[1] > limit:  # it would run past the model's position table
                raise SeesayError(_("The question is too long: the question model reads at most {limit} words "
                                    "and word pieces.").format(limit=limit), _("Ask it in fewer words."))
            question_embeds = self._model.text_encoder(
                input_ids=asked["input_ids"],
                attention_mask=asked["attention_mask"],
                encoder_hidden_states=self._picture_embeds,
                return_dict=False,
            )[0]
            result = self._decoder.greedy(
                question_embeds, [self._bos_id], max_new_tokens=MAX_ANSWER_TOKENS, min_new_tokens=0,
                end_id=self._sep_id, cancelled=cancelled)
        text = clean_answer(self._processor.tokenizer.decode(result.token_ids, skip_special_tokens=True).strip())
        return Answer(question=question, text=text, seconds=time.perf_counter() - started,
                      token_logprobs=tuple(result.logprobs), reused_picture=reused)


#: Questions whose answer, put back into the question, is a short caption the image-text matcher
#: can read against the picture: (pattern over the lower-cased question, the caption for
#: ``answer`` and the question's ``thing``). Yes/no, counting, reading and "why" questions are not
#: checked: "no" and "3" make no caption, and a wrong template would only add noise.
_STATEMENTS = (
    (re.compile(r"^what colou?rs? (?:is|are) (?:the |this |that )?(?P<thing>[a-z ]*?)\s*\??$"),
     lambda answer, thing: f"a {answer} {thing}" if thing not in ("", "it", "they", "this", "that")
     else f"something {answer}"),
    (re.compile(r"^what (?:shape|kind of [a-z]+|type of [a-z]+|animal|object|thing) is (?:it|this|that|"
                r"the [a-z ]+?)\s*\??$|^what is (?:it|this|that|the [a-z]+?)\s*\??$"),
     lambda answer, thing: a_or_an(answer)),
    (re.compile(r"^(?:is|are) there (?:a |an |any )?(?P<thing>[a-z ]+?)\s*\??$"),
     lambda answer, thing: a_or_an(thing) if answer == "yes" else None),
)


def statement_of(question: str, answer: str) -> str | None:
    """The answer said as a caption, for the image-text matcher (``"what colour is the car?"``,
    ``"red"`` -> ``"a red car"``), or None for a question whose answer makes no caption."""
    question, answer = " ".join(question.lower().split()), answer.strip().lower()
    if not answer:
        return None
    for pattern, make in _STATEMENTS:
        found = pattern.match(question)
        if found:
            return make(answer, (found.groupdict().get("thing") or "").strip())
    return None


def a_or_an(words: str) -> str:
    """``words`` with the article a caption would give it ("a circle", "an apple", "two cats" as is)."""
    if words.split()[0] in ("a", "an", "the", "some", "two", "three", "four", "five", "many"):
        return words
    return ("an " if words[0] in "aeiou" else "a ") + words
