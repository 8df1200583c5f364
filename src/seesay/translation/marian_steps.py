"""The arithmetic of a Marian translation (encoder, then greedy decoding) as two functions that
TorchScript compiles, so that a translation is two calls from Python instead of a few thousand.

A caption's translation is about 18 decoding steps of 6 layers, each a dozen small operations:
about 3,000 operations on vectors of 512 numbers. Called one by one from Python, each costs more
in the call than in its arithmetic (an int8 matrix product through ``torch.ops`` about 13
microseconds of call for 3-30 of work, measured); compiled by TorchScript the same operations run
from its interpreter (``tests/benchmarks/bench_translation.py`` compares both). Where TorchScript
cannot compile them (it reads this file's source, which a bundled app may not carry; a torch
without TorchScript) the same functions run from Python: the same operations in the same order,
so the same translation, only slower.

Imported only when a translation model is loaded (it imports torch). No ``from __future__ import
annotations`` here: TorchScript reads the annotations as written.
"""

from typing import List, Optional, Tuple

import torch
from torch import Tensor
from torch.nn import functional

from seesay.vision.scripted import Int8, compiled, int8_linear, norm_at


def _act(x: Tensor, silu: bool) -> Tensor:
    return functional.silu(x) if silu else functional.gelu(x)


def _heads(x: Tensor, batch: int, length: int, heads: int) -> Tensor:  # (B*T, d) -> (B, heads, T, size)
    return x.view(batch, length, heads, x.shape[-1] // heads).transpose(1, 2)


def encode(embedded: Tensor, padding: Optional[Tensor], heads: int, eps: float, silu: bool,
           qkv: List[Int8], out: List[Int8], fc1: List[Int8], fc2: List[Int8], norms: List[Tensor]) -> Tensor:
    """(B, S, d) from the embedded source (B, S, d); ``padding``: (B, 1, 1, S), -inf at padded places."""
    batch, length, d = embedded.shape[0], embedded.shape[1], embedded.shape[2]
    x = embedded.reshape(batch * length, d)
    for layer in range(len(qkv)):
        at = layer * 4  # a layer's norms: after the self-attention, after the feed-forward (weight, bias)
        parts = int8_linear(x, qkv[layer]).split(d, dim=-1)
        q, k, v = (_heads(parts[0], batch, length, heads), _heads(parts[1], batch, length, heads),
                   _heads(parts[2], batch, length, heads))
        scores = q @ k.transpose(-1, -2)
        if padding is not None:
            scores = scores + padding
        mixed = torch.softmax(scores, -1) @ v
        x = norm_at(x + int8_linear(mixed.transpose(1, 2).reshape(batch * length, d), out[layer]), norms, at, eps)
        x = norm_at(x + int8_linear(_act(int8_linear(x, fc1[layer]), silu), fc2[layer]), norms, at + 2, eps)
    return x.view(batch, length, d)


def decode(encoded: Tensor, padding: Optional[Tensor], limits: Tensor, min_steps: int, start: int, eos: int,
           eos_row: int, embedding: Tuple[Tensor, Tensor, float, Tensor], heads: int, eps: float, silu: bool,
           qkv: List[Int8], out: List[Int8], cross_q: List[Int8], cross_kv: List[Int8], cross_out: List[Int8],
           fc1: List[Int8], fc2: List[Int8], norms: List[Tensor], output: List[Int8], bias: Tensor,
           written: Optional[Tensor]) -> Tensor:
    """Greedy decoding from the encoder's output (B, S, d): the tokens written (B, steps), each
    row read up to its end of sentence or its limit in ``limits`` (B,); the steps stop when every
    row has ended. ``embedding``: the int8 rows, their scales (one a row), the embedding scale and
    the positions; ``output``: the output layer's parts, scoring the rows ``written`` (None:
    every piece), ``eos_row`` the end of sentence's row among them."""
    rows_int8, row_scales, embed_scale, positions = embedding
    batch, length, d = encoded.shape[0], encoded.shape[1], encoded.shape[2]
    size = d // heads
    steps = int(limits.max())
    flat = encoded.reshape(batch * length, d)
    cross_keys: List[Tensor] = []
    cross_values: List[Tensor] = []
    for layer in range(len(cross_kv)):
        parts = int8_linear(flat, cross_kv[layer]).split(d, dim=-1)
        cross_keys.append(_heads(parts[0], batch, length, heads).transpose(-1, -2))
        cross_values.append(_heads(parts[1], batch, length, heads))
    keys = [torch.empty(batch, heads, steps, size) for _ in range(len(qkv))]
    values = [torch.empty(batch, heads, steps, size) for _ in range(len(qkv))]
    tokens = torch.full([batch], start, dtype=torch.long)
    said = torch.full([batch, steps], eos, dtype=torch.long)
    ended = torch.zeros([batch], dtype=torch.bool)
    taken = 0
    for step in range(steps):
        x = rows_int8[tokens].float() * row_scales[tokens] * embed_scale + positions[step]
        for layer in range(len(qkv)):
            at = layer * 6  # and after the cross-attention, between them
            parts = int8_linear(x, qkv[layer]).split(d, dim=-1)
            keys[layer][:, :, step] = parts[1].view(batch, heads, size)
            values[layer][:, :, step] = parts[2].view(batch, heads, size)
            scores = parts[0].view(batch, heads, 1, size) @ keys[layer][:, :, :step + 1].transpose(-1, -2)
            mixed = torch.softmax(scores, -1) @ values[layer][:, :, :step + 1]
            x = norm_at(x + int8_linear(mixed.reshape(batch, d), out[layer]), norms, at, eps)
            scores = int8_linear(x, cross_q[layer]).view(batch, heads, 1, size) @ cross_keys[layer]
            if padding is not None:
                scores = scores + padding
            mixed = torch.softmax(scores, -1) @ cross_values[layer]
            x = norm_at(x + int8_linear(mixed.reshape(batch, d), cross_out[layer]), norms, at + 2, eps)
            x = norm_at(x + int8_linear(_act(int8_linear(x, fc1[layer]), silu), fc2[layer]), norms, at + 4, eps)
        logits = torch.cat([int8_linear(x, part) for part in output], dim=1) + bias
        if step < min_steps:
            logits[:, eos_row] = -float("inf")
        best = logits.argmax(dim=1)
        tokens = best if written is None else written[best]
        said[:, step] = tokens
        taken = step + 1
        ended = ended | (tokens == eos) | (limits <= taken)
        if bool(ended.all()):
            break
    return said[:, :taken]


_COMPILED: dict = {}


def steps():
    """(encode, decode) compiled by TorchScript once per process, or the plain functions where it
    cannot compile them."""
    if not _COMPILED:
        both = (compiled(encode, "the translation's steps"), compiled(decode, "the translation's steps"))
        _COMPILED["functions"] = both if None not in both else (encode, decode)
    return _COMPILED["functions"]
