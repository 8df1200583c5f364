"""Greedy decoding for BLIP's text decoder, lean enough for the CPU.

transformers' own decoding loop spends much of each step on bookkeeping: building masks,
growing its cache by concatenation, dispatching through generic layers. A caption is at
most a few dozen tokens of a 12-layer decoder, so that bookkeeping costs as much as the
arithmetic. This loop calls the model's own layers' parts directly (``decoder_step.py``: quantised
layers stay quantised, the self-attention's three matrices applied as one), computes the
picture's cross-attention keys and values once, keeps the self-attention keys and values in
tensors allocated once, and uses PyTorch's fused attention. Where the decoder is int8 (the CPU
default) the whole step is one call of a function TorchScript compiles (``decoder_script.py``).
Its output is checked against ``model.generate`` by the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seesay.core.errors import Cancelled


@dataclass
class GreedyResult:
    token_ids: list[int]
    #: log-probability of each generated token (not of the start or prompt tokens)
    logprobs: list[float]


class LeanBlipDecoder:
    """Runs on the worker thread that owns the model; not thread-safe."""

    def __init__(self, text_decoder) -> None:
        config = text_decoder.config
        from seesay.vision.decoder_script import bound_step, cross_attention
        from seesay.vision.decoder_step import HeadPlan, plan_layers

        self._embeddings = text_decoder.bert.embeddings
        self._layers = plan_layers(text_decoder.bert.encoder.layer)
        self._head = HeadPlan.of(text_decoder.cls.predictions)
        self._heads = config.num_attention_heads
        #: the whole step as one compiled call where the decoder is int8 (``decoder_script``)
        self._compiled = bound_step(self._embeddings, self._layers, self._head, self._heads)
        self._cross_attention = cross_attention  # the Python step's, as the compiled step's
        self._head_dim = config.hidden_size // config.num_attention_heads
        self._max_positions = config.max_position_embeddings

    def greedy(self, image_embeds, start_ids: list[int], **options) -> GreedyResult:
        """Decode one picture (a batch of one); ``options`` as for ``greedy_batch``."""
        return self.greedy_batch(image_embeds, start_ids, **options)[0]

    def greedy_batch(
        self,
        image_embeds,
        start_ids: list[int],
        *,
        max_new_tokens: int,
        min_new_tokens: int,
        end_id: int,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[GreedyResult]:
        """Decode every picture in the batch at once (one pass over the weights per step for all);
        ``cancelled`` is asked before every step.

        The decoder's weights are read once a step for all the pictures; each picture's own keys and
        values are read too (a picture's 577 positions by 768 in fp32, in each of the 12 layers of
        BLIP-base), so five pictures cost about three times one (measured). A row that has ended
        keeps being fed its end token until all have ended. ``image_embeds``: (B, positions,
        width), or a list of such groups (pictures encoded at different sizes), their rows in order.
        """
        import torch

        groups = list(image_embeds) if isinstance(image_embeds, (list, tuple)) else [image_embeds]
        starts = [0]
        for group in groups:
            starts.append(starts[-1] + group.shape[0])
        batch = starts[-1]
        total = min(len(start_ids) + max_new_tokens, self._max_positions)
        shape = (len(self._layers), batch, self._heads, total, self._head_dim)
        keys = groups[0].new_empty(shape)
        values = groups[0].new_empty(shape)
        cross = [self._split(layer.cross_key(group)) for layer in self._layers for group in groups]
        cross_values = [self._split(layer.cross_value(group)) for layer in self._layers for group in groups]
        state = (keys, values, cross, cross_values, starts)

        tokens = [list(start_ids) for _ in range(batch)]
        logprobs: list[list[float]] = [[] for _ in range(batch)]
        ended = [False] * batch
        for position, token in enumerate(start_ids):
            logits = self._step([token] * batch, position, state)
        for position in range(len(start_ids), total):
            scores = torch.log_softmax(logits.float(), dim=-1)
            if position - len(start_ids) < min_new_tokens:
                scores[:, end_id] = float("-inf")
            best = scores.argmax(dim=-1)
            step_tokens = []
            for row in range(batch):
                token = int(best[row])
                if not ended[row]:
                    tokens[row].append(token)
                    logprobs[row].append(float(scores[row, token]))
                    ended[row] = token == end_id
                step_tokens.append(end_id if ended[row] else token)
            if all(ended) or position + 1 >= total:
                break
            if cancelled is not None and cancelled():
                raise Cancelled()
            logits = self._step(step_tokens, position, state)
        return [GreedyResult(token_ids=tokens[row], logprobs=logprobs[row]) for row in range(batch)]

    def _split(self, states):
        batch, length, _width = states.shape
        return states.view(batch, length, self._heads, self._head_dim).transpose(1, 2)

    def _merge(self, context):
        batch, _heads, length, _dim = context.shape
        return context.transpose(1, 2).reshape(batch, length, self._heads * self._head_dim)

    def _step(self, step_tokens: list[int], position: int, state):
        import torch
        from torch.nn.functional import scaled_dot_product_attention as attend

        keys, values, cross, cross_values, starts = state
        ids = torch.tensor(step_tokens, device=keys.device).unsqueeze(1)
        if self._compiled is not None:
            return self._compiled(ids, position, keys, values, cross, cross_values, starts)
        hidden = self._embeddings(input_ids=ids, cache_length=position)
        split, merge, width = self._split, self._merge, self._heads * self._head_dim
        for index, layer in enumerate(self._layers):
            query, key, value = layer.query_key_value(hidden).split(width, dim=-1)
            keys[index, :, :, position] = split(key)[:, :, 0]
            values[index, :, :, position] = split(value)[:, :, 0]
            context = attend(split(query), keys[index, :, :, : position + 1], values[index, :, :, : position + 1])
            hidden = layer.self_norm(layer.self_output(merge(context)) + hidden)
            context = self._cross_attention(split(layer.cross_query(hidden)), cross, cross_values, starts, index)
            hidden = layer.cross_norm(layer.cross_output(merge(context)) + hidden)
            hidden = layer.output_norm(layer.output(layer.activation(layer.intermediate(hidden))) + hidden)
        return self._head(hidden)[:, -1]
