"""Greedy decoding of a Marian (OPUS-MT) model with seesay's own loop in PyTorch, int8.

The weights of a transformers ``MarianMTModel`` are taken apart once (``marian_weights``): each
linear layer an int8 matrix with one scale per row, multiplied here by PyTorch's dynamic int8
kernel (fbgemm), called directly (no module in between); the self-attention's query, key and value
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
from torch.nn import functional


def _packed(state: Mapping[str, torch.Tensor], name: str):
    """The int8 matrix ``name`` (one scale per output row) packed for fbgemm's dynamic int8 kernel."""
    scales = state[f"{name}.scale"].double()
    with warnings.catch_warnings():  # the quantized tensor API warns that it is deprecated
        warnings.simplefilter("ignore")
        quantized = torch._make_per_channel_quantized_tensor(
            state[f"{name}.weight"], scales, torch.zeros_like(scales, dtype=torch.long), 0)
        return torch.ops.quantized.linear_prepack(quantized, state.get(f"{name}.bias"))


def _linear(x: torch.Tensor, packed) -> torch.Tensor:
    return torch.ops.quantized.linear_dynamic(x, packed, True)


class _Rows:
    """A table of embeddings kept in int8 with one scale per row; a row is looked up in fp32."""

    def __init__(self, state: Mapping[str, torch.Tensor], name: str) -> None:
        self.rows, self.scales = state[f"{name}.weight"], state[f"{name}.scale"].unsqueeze(1)

    def __getitem__(self, ids: torch.Tensor | int) -> torch.Tensor:
        return self.rows[ids].float() * self.scales[ids]


class _Norm:
    def __init__(self, state: Mapping[str, torch.Tensor], name: str, eps: float) -> None:
        self.weight, self.bias, self.eps = state[f"{name}.weight"], state[f"{name}.bias"], eps
        self.shape = self.weight.shape

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return functional.layer_norm(x, self.shape, self.weight, self.bias, self.eps)


class MarianGreedy:
    """Greedy decoding from the weights ``marian_weights`` made (``state``, ``facts``)."""

    def __init__(self, state: Mapping[str, torch.Tensor], facts: Mapping[str, str],
                 written: list[int] | None = None) -> None:
        """``written``: the only pieces a translation can be written in (the target SentencePiece
        model's, ``marian_torch.target_side``): the output layer scores those rows alone."""
        self.d, self.heads = int(facts["d_model"]), int(facts["heads"])
        self.size = self.d // self.heads
        self.scale, eps = float(facts["embed_scale"]), float(facts["eps"])
        self.eos, self.start = int(facts["eos"]), int(facts["decoder_start"])
        self.act = functional.silu if facts["activation"] in ("swish", "silu") else functional.gelu
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
        self.encoder = [self._layer(state, packed, f"encoder.{i}", eps, cross=False)
                        for i in range(int(facts["encoder_layers"]))]
        self.decoder = [self._layer(state, packed, f"decoder.{i}", eps, cross=True)
                        for i in range(int(facts["decoder_layers"]))]
        self.output = (packed["output.0"], packed["output.1"])
        self.bias = state["output.bias"]

    @staticmethod
    def _layer(state: Mapping[str, torch.Tensor], packed: Mapping, name: str, eps: float, cross: bool) -> tuple:
        parts = [packed[f"{name}.qkv"], packed[f"{name}.out"], _Norm(state, f"{name}.norm1", eps),
                 packed[f"{name}.fc1"], packed[f"{name}.fc2"], _Norm(state, f"{name}.norm3", eps)]
        if cross:
            parts += [packed[f"{name}.cross_q"], packed[f"{name}.cross_kv"], packed[f"{name}.cross_out"],
                      _Norm(state, f"{name}.norm2", eps)]
        return tuple(parts)

    def _split(self, x: torch.Tensor) -> torch.Tensor:  # (B, T, d) -> (B, heads, T, size)
        return x.view(x.shape[0], x.shape[1], self.heads, self.size).transpose(1, 2)

    def _encode(self, ids: torch.Tensor, padding: torch.Tensor | None) -> torch.Tensor:
        """(B, S, d) from source ids (B, S); ``padding``: (B, 1, 1, S), -inf at padded places (or None)."""
        batch, length = ids.shape
        x = (self.encoder_embed[ids] * self.scale + self.encoder_positions[:length]).reshape(batch * length, -1)
        d, split = self.d, self._split
        for qkv, out, norm1, fc1, fc2, norm3 in self.encoder:
            q, k, v = (split(part.view(batch, length, d)) for part in _linear(x, qkv).split(d, dim=-1))
            scores = q @ k.transpose(-1, -2)
            mixed = torch.softmax(scores if padding is None else scores + padding, -1) @ v
            x = norm1(x + _linear(mixed.transpose(1, 2).reshape(batch * length, d), out))
            x = norm3(x + _linear(self.act(_linear(x, fc1)), fc2))
        return x.view(batch, length, d)

    def greedy(self, ids: list[int], max_steps: int, min_steps: int = 0) -> list[int]:
        """Token ids of the translation of the source ``ids`` (which end with the end of sentence),
        ending with its end of sentence unless cut at ``max_steps``; ``min_steps``: the end of
        sentence is not written before (the benchmark's random weights end anywhere)."""
        return self.greedy_batch([ids], [max_steps], min_steps)[0]

    def greedy_batch(self, sources: list[list[int]], max_steps: list[int], min_steps: int = 0) -> list[list[int]]:
        """``greedy`` for several sources at once: each step reads the weights once for all of them
        (a description's captions, a folder's). Activations are quantised per matrix product, so a
        translation made beside others can, rarely, differ from one made alone."""
        d, heads, size = self.d, self.heads, self.size
        sources = [source[:self.max_positions] for source in sources]
        limits = [max(1, min(limit, self.max_positions)) for limit in max_steps]
        batch, length, steps = len(sources), max(len(source) for source in sources), max(limits)
        ids = torch.full((batch, length), self.start, dtype=torch.long)
        padding = None
        if any(len(source) < length for source in sources):
            padding = torch.zeros(batch, 1, 1, length)
        for row, source in enumerate(sources):
            ids[row, :len(source)] = torch.tensor(source)
            if padding is not None:
                padding[row, ..., len(source):] = -float("inf")
        with torch.inference_mode():
            encoded = self._encode(ids, padding).reshape(batch * length, d)
            cross = []
            for layer in self.decoder:
                k, v = (self._split(part.view(batch, length, d)) for part in _linear(encoded, layer[7]).split(d, dim=-1))
                cross.append((k.transpose(-1, -2), v))
            keys = [torch.empty(batch, heads, steps, size) for _ in self.decoder]
            values = [torch.empty(batch, heads, steps, size) for _ in self.decoder]
            tokens = torch.full((batch,), self.start, dtype=torch.long)
            said: list[list[int]] = [[] for _ in sources]
            open_rows = set(range(batch))
            for step in range(steps):
                x = self.decoder_embed[tokens] * self.scale + self.decoder_positions[step]
                for (qkv, out, norm1, fc1, fc2, norm3, cross_q, _kv, cross_out, norm2), (ck, cv), k_all, v_all in zip(
                        self.decoder, cross, keys, values):
                    q, k, v = _linear(x, qkv).split(d, dim=-1)
                    k_all[:, :, step] = k.view(batch, heads, size)
                    v_all[:, :, step] = v.view(batch, heads, size)
                    scores = q.view(batch, heads, 1, size) @ k_all[:, :, :step + 1].transpose(-1, -2)
                    mixed = torch.softmax(scores, -1) @ v_all[:, :, :step + 1]
                    x = norm1(x + _linear(mixed.reshape(batch, d), out))
                    scores = _linear(x, cross_q).view(batch, heads, 1, size) @ ck
                    mixed = torch.softmax(scores if padding is None else scores + padding, -1) @ cv
                    x = norm2(x + _linear(mixed.reshape(batch, d), cross_out))
                    x = norm3(x + _linear(self.act(_linear(x, fc1)), fc2))
                logits = torch.cat([_linear(x, half) for half in self.output], dim=1) + self.bias
                if step < min_steps:
                    logits[:, self.eos_row] = -float("inf")
                rows = logits.argmax(dim=1)
                tokens = rows if self.written is None else self.written[rows]
                for row in sorted(open_rows):
                    said[row].append(int(tokens[row]))
                    if said[row][-1] == self.eos or len(said[row]) >= limits[row]:
                        open_rows.discard(row)
                if not open_rows:
                    break
            return said
