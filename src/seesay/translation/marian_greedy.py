"""Greedy decoding of a Marian (OPUS-MT) model with seesay's own loop in PyTorch, int8.

The weights of a transformers ``MarianMTModel`` are taken apart once (``marian_weights``): each
linear layer an int8 matrix with one scale per row, multiplied by PyTorch's dynamic int8 kernel
(fbgemm), called directly (no module in between) from ``marian_steps``, the encoder and the
decoding loop as two functions TorchScript compiles; the self-attention's query, key and value
are one matrix; the cross-attention's keys and values are made once per sentence from the
encoder's output; the keys and values of earlier steps are kept in buffers made once per sentence.
The token embeddings are int8 too (one scale per row), so the model takes about a quarter of its
fp32 memory.

Why not CTranslate2 (which seesay runs for converted-only folders): measured in
``tests/benchmarks/bench_translation.py`` on the same model and CPU, this loop takes 0.5-0.75 of
its time for a caption, most of it in the 58101-piece output layer (fbgemm's int8 kernel reads it
faster). Imported only when a translation model is loaded: torch is never imported at start-up.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import torch

from seesay.translation import marian_steps


def _packed(state: Mapping[str, torch.Tensor], name: str):
    """The int8 matrix ``name`` (one scale per output row) packed for fbgemm's dynamic int8 kernel."""
    scales = state[f"{name}.scale"].double()
    with warnings.catch_warnings():  # the quantized tensor API warns that it is deprecated
        warnings.simplefilter("ignore")
        quantized = torch._make_per_channel_quantized_tensor(
            state[f"{name}.weight"], scales, torch.zeros_like(scales, dtype=torch.long), 0)
        return torch.ops.quantized.linear_prepack(quantized, state.get(f"{name}.bias"))


class _Rows:
    """A table of embeddings kept in int8 with one scale per row; a row is looked up in fp32."""

    def __init__(self, state: Mapping[str, torch.Tensor], name: str) -> None:
        self.rows, self.scales = state[f"{name}.weight"], state[f"{name}.scale"].unsqueeze(1)

    def __getitem__(self, ids: torch.Tensor | int) -> torch.Tensor:
        return self.rows[ids].float() * self.scales[ids]


class MarianGreedy:
    """Greedy decoding from the weights ``marian_weights`` made (``state``, ``facts``)."""

    def __init__(self, state: Mapping[str, torch.Tensor], facts: Mapping[str, str],
                 written: list[int] | None = None) -> None:
        """``written``: the only pieces a translation can be written in (the target SentencePiece
        model's, ``marian_torch.target_side``): the output layer scores those rows alone."""
        self.heads = int(facts["heads"])
        self.scale, self.eps = float(facts["embed_scale"]), float(facts["eps"])
        self.eos, self.start = int(facts["eos"]), int(facts["decoder_start"])
        self.silu = facts["activation"] in ("swish", "silu")
        self.decoder_embed = _Rows(state, "decoder.embed")
        self.encoder_embed = _Rows(state, "encoder.embed") if "encoder.embed.weight" in state else self.decoder_embed
        self.encoder_positions, self.decoder_positions = state["encoder.positions"], state["decoder.positions"]
        self.max_positions = min(len(self.encoder_positions), len(self.decoder_positions))
        # Packing a matrix for fbgemm takes time (about 0.4 s for OPUS-MT's output layer): two threads
        # pack, the output layer in two halves (one more call a step, some microseconds).
        state = dict(state)
        self.written = None if written is None else torch.tensor(sorted(written))
        if self.written is not None:
            for part in ("weight", "scale", "bias"):
                state[f"output.{part}"] = state[f"output.{part}"][self.written]
        rows = len(state["output.weight"])
        halves = {"output.0": slice(0, rows // 2), "output.1": slice(rows // 2, rows)}
        for name, part in halves.items():
            state[f"{name}.weight"], state[f"{name}.scale"] = state["output.weight"][part], state["output.scale"][part]
        #: where the end of sentence is among the output layer's rows
        self.eos_row = self.eos if self.written is None else int((self.written == self.eos).nonzero()[0, 0])
        names = [name[:-len(".weight")] for name in state if name.endswith(".weight") and f"{name[:-7]}.scale" in state
                 and "embed" not in name and name != "output.weight"]
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="seesay-pack") as pool:
            packed = dict(zip(names, pool.map(lambda name: _packed(state, name), names)))
        matrices, norms = self._lists(state, packed, "encoder", int(facts["encoder_layers"]),
                                      ("qkv", "out", "fc1", "fc2"), ("norm1", "norm3"))
        self.encoder = (*matrices.values(), norms)
        matrices, norms = self._lists(state, packed, "decoder", int(facts["decoder_layers"]),
                                      ("qkv", "out", "cross_q", "cross_kv", "cross_out", "fc1", "fc2"),
                                      ("norm1", "norm2", "norm3"))
        self.decoder = (*matrices.values(), norms)
        self.output = ([packed["output.0"], packed["output.1"]], state["output.bias"])
        self.embedding = (self.decoder_embed.rows, self.decoder_embed.scales, self.scale, self.decoder_positions)
        self.steps = marian_steps.steps()
        # TorchScript's executor profiles a function's first runs and optimises it on the second:
        # two short translations now, so that the first caption's is already quick (about 50 ms)
        for _ in range(2):
            self.greedy([self.eos], 2)

    @staticmethod
    def _lists(state: Mapping[str, torch.Tensor], packed: Mapping, prefix: str, count: int, parts: tuple[str, ...],
               norms: tuple[str, ...]) -> tuple[dict[str, list], list[torch.Tensor]]:
        """Each layer's packed matrices, by part, and every layer's norms (weight, bias) in order."""
        matrices = {part: [packed[f"{prefix}.{i}.{part}"] for i in range(count)] for part in parts}
        weights = [state[f"{prefix}.{i}.{norm}.{kind}"] for i in range(count) for norm in norms
                   for kind in ("weight", "bias")]
        return matrices, weights

    def greedy(self, ids: list[int], max_steps: int, min_steps: int = 0) -> list[int]:
        """Token ids of the translation of the source ``ids`` (which end with the end of sentence),
        ending with its end of sentence unless cut at ``max_steps``; ``min_steps``: the end of
        sentence is not written before (the benchmark's random weights end anywhere)."""
        return self.greedy_batch([ids], [max_steps], min_steps)[0]

    def greedy_batch(self, sources: list[list[int]], max_steps: list[int], min_steps: int = 0) -> list[list[int]]:
        """``greedy`` for several sources at once: each step reads the weights once for all of them
        (a description's captions, a folder's). Activations are quantised per matrix product, so a
        translation made beside others can, rarely, differ from one made alone."""
        encode, decode = self.steps
        sources = [source[:self.max_positions] for source in sources]
        limits = [max(1, min(limit, self.max_positions)) for limit in max_steps]
        batch, length = len(sources), max(len(source) for source in sources)
        ids = torch.full((batch, length), self.start, dtype=torch.long)
        padding = None
        if any(len(source) < length for source in sources):
            padding = torch.zeros(batch, 1, 1, length)
        for row, source in enumerate(sources):
            ids[row, :len(source)] = torch.tensor(source)
            if padding is not None:
                padding[row, ..., len(source):] = -float("inf")
        with torch.inference_mode():
            embedded = self.encoder_embed[ids] * self.scale + self.encoder_positions[:length]
            encoded = encode(embedded, padding, self.heads, self.eps, self.silu, *self.encoder)
            said = decode(encoded, padding, torch.tensor(limits), min_steps, self.start, self.eos, self.eos_row,
                          self.embedding, self.heads, self.eps, self.silu, *self.decoder, *self.output,
                          self.written).tolist()
        return [_up_to_end(row, limit, self.eos) for row, limit in zip(said, limits)]


def _up_to_end(tokens: list[int], limit: int, eos: int) -> list[int]:
    """The tokens a row wrote: up to its end of sentence (kept) or its limit."""
    tokens = tokens[:limit]
    return tokens[:tokens.index(eos) + 1] if eos in tokens else tokens
