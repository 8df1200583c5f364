"""A lean greedy decoding of a Marian (OPUS-MT) model in PyTorch, for ``bench_translation.py``:
what decoding the same model with seesay's own loop (as ``vision/decoder_step.py`` does for BLIP's
decoder) would cost against CTranslate2. Not used by seesay.

Each linear layer is PyTorch's dynamic int8 (fbgemm: on this CPU a 512x58101 output layer takes
about 0.75 ms a step, against about 4.7 ms in CTranslate2's int8); the self-attention's query, key
and value are one matrix, the cross-attention's keys and values are made once from the encoder's
output, and each step calls the layer parts directly with the keys and values of earlier steps
kept in preallocated buffers.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional


def _int8(weight: torch.Tensor, bias: torch.Tensor | None) -> nn.Module:
    linear = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
    linear.weight.data = weight.detach().clone()
    if bias is not None:
        linear.bias.data = bias.detach().clone()
    linear.qconfig = torch.ao.quantization.default_dynamic_qconfig
    return torch.ao.nn.quantized.dynamic.Linear.from_float(linear)


class LeanMarian:
    """Greedy decoding of a transformers ``MarianMTModel`` (post-norm layers, sinusoidal positions)."""

    def __init__(self, model, max_steps: int = 256) -> None:
        config = model.config
        inner = model.model
        self.config = config
        self.d = config.d_model
        self.heads = config.decoder_attention_heads
        self.size = self.d // self.heads
        self.embed = inner.shared.weight.detach()
        self.scale = math.sqrt(self.d) if config.scale_embedding else 1.0
        self.encoder_positions = inner.encoder.embed_positions.weight.detach()
        self.decoder_positions = inner.decoder.embed_positions.weight.detach()
        self.act = functional.silu if config.activation_function in ("swish", "silu") else functional.gelu
        self.encoder = [self._layer(layer, cross=False) for layer in inner.encoder.layers]
        self.decoder = [self._layer(layer, cross=True) for layer in inner.decoder.layers]
        self.output = _int8(model.lm_head.weight, None)
        self.bias = model.final_logits_bias.detach()[0].clone()
        self.bias[config.pad_token_id] = -float("inf")  # never generated, as transformers' generate
        self.max_steps = max_steps

    def _layer(self, layer, cross: bool) -> tuple:
        attention = layer.self_attn
        scaling = attention.scaling
        parts = [_int8(torch.cat([attention.q_proj.weight * scaling, attention.k_proj.weight, attention.v_proj.weight]),
                       torch.cat([attention.q_proj.bias * scaling, attention.k_proj.bias, attention.v_proj.bias])),
                 _int8(attention.out_proj.weight, attention.out_proj.bias), layer.self_attn_layer_norm,
                 _int8(layer.fc1.weight, layer.fc1.bias), _int8(layer.fc2.weight, layer.fc2.bias), layer.final_layer_norm]
        if cross:
            other = layer.encoder_attn
            parts += [_int8(other.q_proj.weight * other.scaling, other.q_proj.bias * other.scaling),
                      _int8(torch.cat([other.k_proj.weight, other.v_proj.weight]),
                            torch.cat([other.k_proj.bias, other.v_proj.bias])),
                      _int8(other.out_proj.weight, other.out_proj.bias), layer.encoder_attn_layer_norm]
        return tuple(parts)

    def _split(self, x: torch.Tensor) -> torch.Tensor:  # (T, d) -> (heads, T, size)
        return x.view(x.shape[0], self.heads, self.size).transpose(0, 1)

    def _encode(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed[ids] * self.scale + self.encoder_positions[:len(ids)]
        d, split = self.d, self._split
        for qkv, out, norm1, fc1, fc2, norm3 in self.encoder:
            q, k, v = qkv(x).split(d, dim=-1)
            mixed = torch.softmax(split(q) @ split(k).transpose(1, 2), -1) @ split(v)
            x = norm1(x + out(mixed.transpose(0, 1).reshape(-1, d)))
            x = norm3(x + fc2(self.act(fc1(x))))
        return x

    def greedy(self, ids: list[int], max_steps: int, min_steps: int = 0) -> list[int]:
        """Token ids of the translation of ``ids`` (ending with its end of sentence, unless cut)."""
        config, d, split = self.config, self.d, self._split
        with torch.inference_mode():
            encoded = self._encode(torch.tensor(ids))
            cross = []
            for layer in self.decoder:
                k, v = layer[7](encoded).split(d, dim=-1)
                cross.append((split(k).transpose(1, 2), split(v)))
            keys = [torch.empty(self.heads, max_steps, self.size) for _ in self.decoder]
            values = [torch.empty(self.heads, max_steps, self.size) for _ in self.decoder]
            token, said = config.decoder_start_token_id, []
            for step in range(max_steps):
                x = self.embed[token].unsqueeze(0) * self.scale + self.decoder_positions[step:step + 1]
                for (qkv, out, norm1, fc1, fc2, norm3, cross_q, _kv, cross_out, norm2), (ck, cv), k_all, v_all in zip(
                        self.decoder, cross, keys, values):
                    q, k, v = qkv(x).split(d, dim=-1)
                    k_all[:, step] = k.view(self.heads, self.size)
                    v_all[:, step] = v.view(self.heads, self.size)
                    mixed = torch.softmax(split(q) @ k_all[:, :step + 1].transpose(1, 2), -1) @ v_all[:, :step + 1]
                    x = norm1(x + out(mixed.reshape(1, d)))
                    mixed = torch.softmax(split(cross_q(x)) @ ck, -1) @ cv
                    x = norm2(x + cross_out(mixed.reshape(1, d)))
                    x = norm3(x + fc2(self.act(fc1(x))))
                logits = self.output(x)[0] + self.bias
                if step < min_steps:
                    logits[config.eos_token_id] = -float("inf")
                token = int(logits.argmax())
                said.append(token)
                if token == config.eos_token_id:
                    break
            return said
