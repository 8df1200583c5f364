"""Shift+Esc stops a caption at every stage it goes through: after the picture is encoded, between
the words of greedy decoding, of a batch, and of beam search (found by a review: beam search never
asked, so a cancelled caption was finished, shown and spoken)."""

from __future__ import annotations

import random

import pytest

from fixtures.scenes import Scene, draw_scene
from seesay.core.errors import Cancelled
from seesay.vision.blip import BlipCaptioner
from seesay.vision.caption import CaptionOptions

pytestmark = pytest.mark.slow

PICTURE = draw_scene(Scene("red", "circle", "white"), (400, 300), random.Random(5))


class CancelAfter:
    """Says "cancelled" from the ``count``-th time it is asked; remembers how often it was asked."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.count


@pytest.fixture(scope="module", params=[1, 3], ids=["greedy", "beam-search"])
def captioner(request, scene_model):
    return BlipCaptioner.load(scene_model, device="cpu", precision="fp32", warm_up=False,
                              options=CaptionOptions(num_beams=request.param))


@pytest.mark.parametrize("count", [1, 2, 4], ids=["after-encoding", "after-one-word", "after-three-words"])
@pytest.mark.parametrize("prompt", [None, "a red"], ids=["plain", "with-prompt"])
def test_a_caption_stops_as_soon_as_it_is_cancelled(captioner, count, prompt):
    asking = CancelAfter(count)
    with pytest.raises(Cancelled):
        captioner.describe(PICTURE, prompt=prompt, cancelled=asking)
    assert asking.asked == count  # it stopped at the first "cancelled", not at the end of the caption


def test_an_uncancelled_caption_is_asked_between_words_and_finishes(captioner):
    asking = CancelAfter(10_000)
    caption = captioner.describe(PICTURE, cancelled=asking)
    assert caption.text == "a red circle on a white background"
    assert asking.asked >= len(caption.tokens) - 1  # asked before each word after the first


def test_a_batch_stops_as_soon_as_it_is_cancelled(scene_model):
    captioner = BlipCaptioner.load(scene_model, device="cpu", precision="fp32", warm_up=False)
    for count in (1, 3):
        asking = CancelAfter(count)
        with pytest.raises(Cancelled):
            captioner.describe_batch([PICTURE, PICTURE.rotate(90)], cancelled=asking)
        assert asking.asked == count
