"""What a captioner returns, and the small interface every captioner offers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from seesay.vision.images import ImageSource, LoadedImage


@dataclass(frozen=True)
class Caption:
    """One description of one picture."""

    text: str
    seconds: float
    #: Natural-log probability of each generated token, in order (kept for confidence).
    token_logprobs: tuple[float, ...] = ()
    tokens: tuple[str, ...] = ()
    model: str = ""
    device: str = ""
    precision: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    #: The image-text matcher's probability that the caption fits its picture (``vision.itm``);
    #: None when it was not checked (no matcher, or a caption that is never spoken).
    match: float | None = None

    @property
    def weakest_token_probability(self) -> float:
        """The probability of the least certain token: one guessed word makes the caption a guess."""
        return weakest_probability(self.token_logprobs)

    @property
    def mean_token_probability(self) -> float:
        """Geometric mean of the token probabilities: 1.0 is certain, near 0 is a guess."""
        if not self.token_logprobs:
            return 0.0
        return math.exp(sum(self.token_logprobs) / len(self.token_logprobs))


def weakest_probability(logprobs: tuple[float, ...]) -> float:
    """The probability of the least certain of these tokens (0 when there are none)."""
    return math.exp(min(logprobs)) if logprobs else 0.0


@dataclass(frozen=True)
class CaptionOptions:
    max_new_tokens: int = 30
    num_beams: int = 1
    #: The end of the caption is not allowed before this many tokens (benchmarks force a length).
    min_new_tokens: int = 0


class Captioner(Protocol):
    """Turns a picture into a ``Caption``. Runs on the worker thread; never touches widgets."""

    def describe(
        self,
        image: ImageSource | LoadedImage,
        prompt: str | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Caption: ...
