"""One decoding step of BLIP's text decoder as a flat list of tensor operations.

A step for one token is a few hundred small operations; on the CPU, going through each layer's
``nn.Module`` call (hooks, dropout that does nothing at inference, attribute lookups) cost about
as much as the arithmetic of the layers that are not matrix products. Here each layer's parts are
taken out once (its matrices as the functions that apply them, its layer norms' weights) and a
step calls them directly. The self-attention's query, key and value matrices are applied as one
matrix of three times the height (one pass over the token instead of three; int8 layers keep
their own scales, as the rows of one matrix with a scale per row, so the arithmetic is the same).

Everything else is the model's own: the same weights, quantised layers stay quantised, the same
order of operations as transformers' BLIP text decoder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Norm:
    weight: object
    bias: object
    eps: float

    @classmethod
    def of(cls, module) -> Norm:
        return cls(module.weight, module.bias, module.eps)

    def __call__(self, hidden):
        from torch.nn.functional import layer_norm

        return layer_norm(hidden, (hidden.shape[-1],), self.weight, self.bias, self.eps)


@dataclass(frozen=True)
class LayerPlan:
    query_key_value: Callable
    self_output: Callable
    self_norm: Norm
    cross_query: Callable
    cross_key: Callable
    cross_value: Callable
    cross_output: Callable
    cross_norm: Norm
    intermediate: Callable
    activation: Callable
    output: Callable
    output_norm: Norm


@dataclass(frozen=True)
class Int8Matrix:
    """An int8 matrix packed for PyTorch's dynamic int8 kernel, applied as its layer applies it."""
    packed: object
    apply: Callable

    def __call__(self, hidden):
        return self.apply(hidden, self.packed, True)  # reduce_range, as the layer's own forward


def linear(module) -> Callable:
    """``module`` (a linear layer, int8 or not) as the function that applies it."""
    import torch

    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    if type(module) is DynamicLinear and module._packed_params.dtype == torch.qint8:
        return Int8Matrix(module._packed_params._packed_params, torch.ops.quantized.linear_dynamic)
    if type(module) is torch.nn.Linear:
        from torch.nn.functional import linear as apply_linear

        weight, bias = module.weight, module.bias
        return lambda hidden: apply_linear(hidden, weight, bias)
    return module


def stacked(modules: list) -> Callable:
    """Linear layers on the same input applied as one matrix (their outputs side by side)."""
    import torch

    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    if all(type(m) is DynamicLinear and m._packed_params.dtype == torch.qint8 for m in modules):
        weights = [m.weight() for m in modules]
        if all(w.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric) and w.q_zero_point() == 0
               for w in weights):
            rows = torch.cat([w.int_repr() for w in weights])
            scales = torch.cat([torch.full((w.shape[0],), w.q_scale(), dtype=torch.double) for w in weights])
            joined = torch._make_per_channel_quantized_tensor(rows, scales, torch.zeros(len(scales), dtype=torch.long),
                                                               0)
            biases = [m.bias() for m in modules]
            bias = torch.cat(biases) if all(b is not None for b in biases) else None
            return Int8Matrix(torch.ops.quantized.linear_prepack(joined, bias), torch.ops.quantized.linear_dynamic)
    if all(type(m) is torch.nn.Linear for m in modules) and all(m.bias is not None for m in modules):
        from torch.nn.functional import linear as apply_linear

        weight = torch.cat([m.weight for m in modules])
        bias = torch.cat([m.bias for m in modules])
        return lambda hidden: apply_linear(hidden, weight, bias)
    parts = [linear(m) for m in modules]
    return lambda hidden: torch.cat([part(hidden) for part in parts], dim=-1)


def function(activation) -> Callable:
    """An activation module as its plain function (transformers' GELUActivation keeps it as ``act``)."""
    return getattr(activation, "act", activation)


def plan_layers(layers) -> list[LayerPlan]:
    plans = []
    for layer in layers:
        own, looking = layer.attention.self, layer.crossattention.self
        plans.append(LayerPlan(
            query_key_value=stacked([own.query, own.key, own.value]),
            self_output=linear(layer.attention.output.dense), self_norm=Norm.of(layer.attention.output.LayerNorm),
            cross_query=linear(looking.query), cross_key=linear(looking.key), cross_value=linear(looking.value),
            cross_output=linear(layer.crossattention.output.dense),
            cross_norm=Norm.of(layer.crossattention.output.LayerNorm),
            intermediate=linear(layer.intermediate.dense), activation=function(layer.intermediate.intermediate_act_fn),
            output=linear(layer.output.dense),
            output_norm=Norm.of(layer.output.LayerNorm)))
    return plans


@dataclass(frozen=True)
class HeadPlan:
    """The prediction head: transform (dense, GELU, layer norm), then the vocabulary's scores."""
    dense: Callable
    activation: Callable
    norm: Norm
    decoder: Callable

    @classmethod
    def of(cls, predictions) -> HeadPlan:
        transform = predictions.transform
        return cls(linear(transform.dense), function(transform.transform_act_fn), Norm.of(transform.LayerNorm),
                   linear(predictions.decoder))

    def __call__(self, hidden):
        return self.decoder(self.norm(self.activation(self.dense(hidden))))
