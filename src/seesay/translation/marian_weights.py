"""A transformers ``MarianMTModel`` taken apart into int8 weights for ``marian_greedy``, and kept.

Taking an OPUS-MT model apart takes a couple of seconds (reading the fp32 weights, one scale per
row of each matrix); the result is saved once as a safetensors file (tensors and text facts only:
loading it runs no code) and read back in a fraction of that on later loads. A kept file names
the weights it was made from (size and time of change) and the format it is in: made from other
weights, or by another version of this code, it is made again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch

#: Changed whenever what is kept changes: older files are made again.
FORMAT = "seesay-marian-int8-1"


def _int8_rows(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    weight = weight.detach().float()
    scales = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-8)
    return torch.round(weight / scales.unsqueeze(1)).to(torch.int8), scales


def _matrix(state: dict, name: str, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    state[f"{name}.weight"], state[f"{name}.scale"] = _int8_rows(weight)
    if bias is not None:
        state[f"{name}.bias"] = bias.detach().float().clone()


def _norm(state: dict, name: str, layer_norm) -> None:
    state[f"{name}.weight"] = layer_norm.weight.detach().float().clone()
    state[f"{name}.bias"] = layer_norm.bias.detach().float().clone()


def _layer(state: dict, name: str, layer, cross: bool) -> None:
    attention = layer.self_attn
    scaling = attention.scaling  # folded into the query, as transformers multiplies it
    _matrix(state, f"{name}.qkv",
            torch.cat([attention.q_proj.weight * scaling, attention.k_proj.weight, attention.v_proj.weight]),
            torch.cat([attention.q_proj.bias * scaling, attention.k_proj.bias, attention.v_proj.bias]))
    _matrix(state, f"{name}.out", attention.out_proj.weight, attention.out_proj.bias)
    _norm(state, f"{name}.norm1", layer.self_attn_layer_norm)
    _matrix(state, f"{name}.fc1", layer.fc1.weight, layer.fc1.bias)
    _matrix(state, f"{name}.fc2", layer.fc2.weight, layer.fc2.bias)
    _norm(state, f"{name}.norm3", layer.final_layer_norm)
    if cross:
        other = layer.encoder_attn
        _matrix(state, f"{name}.cross_q", other.q_proj.weight * other.scaling, other.q_proj.bias * other.scaling)
        _matrix(state, f"{name}.cross_kv", torch.cat([other.k_proj.weight, other.v_proj.weight]),
                torch.cat([other.k_proj.bias, other.v_proj.bias]))
        _matrix(state, f"{name}.cross_out", other.out_proj.weight, other.out_proj.bias)
        _norm(state, f"{name}.norm2", layer.encoder_attn_layer_norm)


def taken_apart(model) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """(int8 weights, facts) of a loaded ``MarianMTModel``; ValueError for a layout it cannot run."""
    config = model.config
    if getattr(config, "normalize_before", False) or getattr(config, "add_layernorm_embedding", False):
        raise ValueError("only Marian's post-norm layers are supported")
    encoder, decoder = model.get_encoder(), model.get_decoder()
    state: dict[str, torch.Tensor] = {}
    with torch.no_grad():
        state["decoder.embed.weight"], state["decoder.embed.scale"] = _int8_rows(decoder.embed_tokens.weight)
        if encoder.embed_tokens.weight.data_ptr() != decoder.embed_tokens.weight.data_ptr():
            state["encoder.embed.weight"], state["encoder.embed.scale"] = _int8_rows(encoder.embed_tokens.weight)
        state["encoder.positions"] = encoder.embed_positions.weight.detach().float().clone()
        state["decoder.positions"] = decoder.embed_positions.weight.detach().float().clone()
        for index, layer in enumerate(encoder.layers):
            _layer(state, f"encoder.{index}", layer, cross=False)
        for index, layer in enumerate(decoder.layers):
            _layer(state, f"decoder.{index}", layer, cross=True)
        _matrix(state, "output", model.lm_head.weight, None)
        bias = model.final_logits_bias.detach()[0].float().clone()
        bias[config.pad_token_id] = -float("inf")  # never written, as transformers' generate
        state["output.bias"] = bias
    facts = {"d_model": str(config.d_model), "heads": str(config.decoder_attention_heads),
             "embed_scale": repr(config.d_model ** 0.5 if config.scale_embedding else 1.0),
             "eps": repr(decoder.layers[0].final_layer_norm.eps), "eos": str(config.eos_token_id),
             "decoder_start": str(config.decoder_start_token_id), "activation": str(config.activation_function),
             "encoder_layers": str(len(encoder.layers)), "decoder_layers": str(len(decoder.layers))}
    return state, facts


def made_from(weights: list[Path]) -> str:
    """What names the weights a kept file was made from: their names, sizes and times of change."""
    return ";".join(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in sorted(weights))


def read_kept(path: Path, source: str) -> tuple[dict[str, torch.Tensor], dict[str, str]] | None:
    """The weights kept in ``path`` when made from ``source`` in this format; else None."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    try:
        with safe_open(str(path), framework="pt") as kept:
            facts = dict(kept.metadata() or {})
        if facts.pop("format", None) != FORMAT or facts.pop("made_from", None) != source:
            return None
        return load_file(str(path)), facts
    except (OSError, ValueError, RuntimeError, Exception):  # noqa: BLE001 - missing, cut short, damaged: made again
        return None


def keep(path: Path, state: dict[str, torch.Tensor], facts: dict[str, str], source: str) -> None:
    """Save the weights to ``path`` (written whole beside it, then renamed into place; private)."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    os.close(handle)
    try:
        save_file({name: tensor.contiguous() for name, tensor in state.items()}, temporary,
                  metadata={**facts, "format": FORMAT, "made_from": source})
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
