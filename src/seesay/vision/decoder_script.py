"""One decoding step of BLIP's int8 text decoder as a function TorchScript compiles.

``decoder_step`` calls each layer's parts from Python: a step of the 12-layer decoder is about 300
calls, and an int8 matrix product called through ``torch.ops`` costs about 13 microseconds in the
call alone (measured), more than the arithmetic of most of the other operations. Where every
matrix of the decoder is int8 (``precision`` int8, and bf16+int8: seesay's CPU defaults) the same
step, operation for operation, runs as one call to this function compiled by TorchScript, so the
captions are the same. Where TorchScript cannot compile it (it reads this file's source, which a
bundled app may not carry; a torch without TorchScript) the step is made from Python as before.

Imported only when a model is loaded. No ``from __future__ import annotations`` here: TorchScript
reads the annotations as written.
"""

from typing import Callable, List, Optional

import torch
from torch import Tensor
from torch.nn import functional

from seesay.vision.scripted import Int8, compiled, int8_linear, norm_at


def step(ids: Tensor, position: int, keys: Tensor, values: Tensor, cross_keys: List[Tensor],
         cross_values: List[Tensor], starts: List[int], heads: int, eps: float, embeddings: List[Tensor],
         qkv: List[Int8], self_output: List[Int8], cross_query: List[Int8], cross_output: List[Int8],
         intermediate: List[Int8], output: List[Int8], norms: List[Tensor], head: List[Int8],
         head_norm: List[Tensor]) -> Tensor:
    """The scores of the next token (B, vocabulary) after the tokens ``ids`` (B, 1) at ``position``;
    writes their self-attention keys and values into ``keys`` and ``values`` (layers, B, heads,
    positions, size). ``cross_keys``, ``cross_values``: the pictures' keys and values, a tensor for
    each layer and group of pictures of one size (layer by layer); ``starts``: the first row of each
    group and, last, the batch's size. ``embeddings``: the word and position tables and their
    norm's weight and bias; ``norms``: each layer's three norms (after the self-attention, the cross-attention and
    the feed-forward), weight then bias; ``head``: the prediction head's dense and vocabulary
    matrices, ``head_norm`` the norm between them."""
    hidden = functional.embedding(ids, embeddings[0]) + embeddings[1][position]
    hidden = norm_at(hidden, embeddings, 2, eps)
    batch, width = hidden.shape[0], hidden.shape[2]
    size = width // heads
    for index in range(len(qkv)):
        at = index * 6
        parts = int8_linear(hidden, qkv[index]).split(width, dim=-1)
        keys[index, :, :, position] = parts[1].view(batch, heads, size)
        values[index, :, :, position] = parts[2].view(batch, heads, size)
        context = functional.scaled_dot_product_attention(
            parts[0].view(batch, 1, heads, size).transpose(1, 2), keys[index, :, :, :position + 1],
            values[index, :, :, :position + 1])
        hidden = norm_at(int8_linear(context.transpose(1, 2).reshape(batch, 1, width), self_output[index]) + hidden,
                         norms, at, eps)
        query = int8_linear(hidden, cross_query[index]).view(batch, 1, heads, size).transpose(1, 2)
        context = cross_attention(query, cross_keys, cross_values, starts, index)
        hidden = norm_at(int8_linear(context.transpose(1, 2).reshape(batch, 1, width), cross_output[index]) + hidden,
                         norms, at + 2, eps)
        hidden = norm_at(int8_linear(functional.gelu(int8_linear(hidden, intermediate[index])), output[index]) + hidden,
                         norms, at + 4, eps)
    hidden = norm_at(functional.gelu(int8_linear(hidden, head[0])), head_norm, 0, eps)
    return int8_linear(hidden, head[1])[:, -1]


def cross_attention(query: Tensor, cross_keys: List[Tensor], cross_values: List[Tensor], starts: List[int],
                    layer: int) -> Tensor:
    """Layer ``layer``'s attention from ``query`` (B, heads, 1, size) to the pictures' keys and
    values, each group of pictures (rows ``starts[g]`` to ``starts[g + 1]``) to its own."""
    groups = len(starts) - 1
    if groups == 1:
        return functional.scaled_dot_product_attention(query, cross_keys[layer], cross_values[layer])
    contexts: List[Tensor] = []
    for group in range(groups):
        at = layer * groups + group
        contexts.append(functional.scaled_dot_product_attention(
            query[starts[group]:starts[group + 1]], cross_keys[at], cross_values[at]))
    return torch.cat(contexts)


_COMPILED: dict = {}


def compiled_step():
    """``step`` compiled by TorchScript once per process; None where it cannot be."""
    if "step" not in _COMPILED:
        _COMPILED["step"] = compiled(step, "the caption decoder's steps")
    return _COMPILED["step"]


def bound_step(embeddings, plans, head, heads: int) -> Optional[Callable]:
    """``step`` bound to a decoder's parts (``decoder_step``'s plans of its layers and head, its
    embeddings module): a function of (ids, position, keys, values, cross keys, cross values,
    starts) giving the next token's scores. None where a part is not int8 (or not as ``step``
    applies it) or TorchScript cannot compile ``step``: the step is then made from Python."""
    from seesay.vision.decoder_step import Int8Matrix, Norm

    matrices = [[plan.query_key_value, plan.self_output, plan.cross_query, plan.cross_output, plan.intermediate,
                 plan.output] for plan in plans]
    norms = [norm for plan in plans for norm in (plan.self_norm, plan.cross_norm, plan.output_norm)]
    every_eps = {norm.eps for norm in (*norms, head.norm, Norm.of(embeddings.LayerNorm))}
    if not (all(type(matrix) is Int8Matrix for layer in matrices for matrix in layer)
            and type(head.dense) is Int8Matrix and type(head.decoder) is Int8Matrix
            and all(plan.activation is functional.gelu for plan in plans) and head.activation is functional.gelu
            and len(every_eps) == 1
            and getattr(embeddings, "position_embedding_type", "absolute") == "absolute"):
        return None
    function = compiled_step()
    if function is None:
        return None
    columns = [[layer[part].packed for layer in matrices] for part in range(6)]
    weights = [tensor for norm in norms for tensor in (norm.weight, norm.bias)]
    table = [embeddings.word_embeddings.weight, embeddings.position_embeddings.weight,
             embeddings.LayerNorm.weight, embeddings.LayerNorm.bias]
    last = [head.dense.packed, head.decoder.packed]
    head_norm = [head.norm.weight, head.norm.bias]
    eps = float(every_eps.pop())

    def apply(ids: Tensor, position: int, keys: Tensor, values: Tensor, cross: List[Tensor],
              cross_values: List[Tensor], starts: List[int]) -> Tensor:
        return function(ids, position, keys, values, cross, cross_values, starts, heads, eps, table, *columns,
                        weights, last, head_norm)

    return apply
