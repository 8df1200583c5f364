"""CapFilt at inference: the captioner proposes several captions, the image-text matcher keeps the
one that fits the picture best (BLIP's captioner + filter, used on each picture instead of on a
training set).

Greedy decoding commits to its most likely first word and never looks back; when the picture is
hard (noise, blur, low contrast, a shape cut off) the right caption is often among the captioner's
next few guesses. Beam search gives those guesses, each with its own token probabilities, and the
matcher, which reads every word against the picture, chooses. Costs one beam search (instead of a
greedy pass) and one matcher pass over all candidates per picture: see
``tests/benchmarks/bench_capfilt.py``. Runs on the worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from seesay.core.errors import Cancelled
from seesay.vision.caption import Caption
from seesay.vision.caption_quirks import cleaned, speakable


def propose(captioner, image, count: int, cancelled: Callable[[], bool] | None = None) -> list[Caption]:
    """``count`` different captions of ``image`` by beam search (``count`` beams), best first,
    each with its own token log-probabilities. ``captioner`` is a ``BlipCaptioner``."""
    import torch

    from seesay.vision.blip import _cancel_check

    started = time.perf_counter()
    model, processor = captioner._model, captioner._processor
    with torch.inference_mode():
        pixels = processor(images=image, return_tensors="pt")["pixel_values"].to(captioner.device, model.dtype)
        if cancelled is not None and cancelled():
            raise Cancelled()
        output = model.generate(
            pixel_values=pixels, num_beams=count, num_return_sequences=count,
            max_new_tokens=captioner.options.max_new_tokens, output_scores=True, return_dict_in_generate=True,
            stopping_criteria=_cancel_check(cancelled))
        scores = model.compute_transition_scores(output.sequences, output.scores, output.beam_indices,
                                                 normalize_logits=False)
    tokenizer = processor.tokenizer
    seconds = (time.perf_counter() - started) / count
    end, pad = model.config.text_config.sep_token_id, model.config.text_config.pad_token_id
    candidates, seen = [], set()
    for sequence, logprobs in zip(output.sequences.tolist(), scores.float().tolist()):
        generated = sequence[1:]  # after [DEC]
        length = generated.index(end) + 1 if end in generated else len([t for t in generated if t != pad])
        text, raw = cleaned(tokenizer.decode(generated[:length], skip_special_tokens=True).strip())
        if text in seen:  # the same once cleaned ("arafed man ..." and "man ..."): one candidate
            continue
        seen.add(text)
        candidates.append(Caption(
            text=text, seconds=seconds, token_logprobs=tuple(logprobs[:length]),
            tokens=tuple(tokenizer.convert_ids_to_tokens(generated[:length])), model=captioner.name,
            device=captioner.device, precision=captioner.precision, extra=raw))
    return candidates


def choose(matcher, image, candidates: list[Caption], cancelled: Callable[[], bool] | None = None) -> Caption:
    """The captioner's best candidate if the matcher accepts it; else the one the matcher finds
    fits best, if it accepts any; else the captioner's best again. A candidate that would never be
    said as a description (one word, "a screenshot of ...": ``caption_quirks.speakable``) counts as
    rejected while another is accepted. With its match probability, and every candidate with its
    match in ``extra["candidates"]``. (Measured on the harder scenes of ``bench_capfilt.py``: taking
    the best match even over an accepted first choice got 98 of 200 right against 106 this way; the
    test matcher shares the captioner's blind spots.)"""
    matches = matcher.match_many(image, [caption.text for caption in candidates], cancelled=cancelled)
    kept = [match.accepted and speakable(caption.text) for caption, match in zip(candidates, matches)]
    best = 0  # the captioner's own best, while the matcher lets it through (a filter, not a judge of style)
    if not kept[0]:
        best = max(range(len(candidates)), key=lambda index: (kept[index], matches[index].probability, -index))
        if not kept[best]:  # none kept: their small differences mean nothing
            best = 0
    chosen = candidates[best]
    return replace(chosen, match=matches[best].probability,
                   seconds=sum(caption.seconds for caption in candidates) + sum(m.seconds for m in matches),
                   extra={**chosen.extra, "candidates": [(c.text, m.probability) for c, m in zip(candidates, matches)]})


def capfilt(captioner, matcher, image, count: int, cancelled: Callable[[], bool] | None = None) -> Caption:
    """The best of ``count`` proposed captions of ``image``, as the matcher judges."""
    return choose(matcher, image, propose(captioner, image, count, cancelled), cancelled)
