"""Which compute device and number format a model runs in.

``auto`` picks CUDA, then Apple's MPS, then the CPU. Each device has a default precision:
half precision on GPUs; on the CPU dynamic int8 for the linear layers, which
``tests/benchmarks/bench_caption.py`` measured as the fastest setting that keeps the
captions of a trained model the same as in fp32 (see the README for the figures); on a CPU
with AMX a captioner's image encoder runs in bf16 instead (``caption_precision``).

The model never uses every core: one is always left to the screen reader (``model_threads``).
"""

from __future__ import annotations

import os

from seesay.core.errors import DeviceError
from seesay.core.i18n import _
from seesay.core.settings import DEVICES, PRECISIONS

DEFAULT_PRECISION = {"cuda": "fp16", "mps": "fp16", "cpu": "int8"}
#: A captioner's two parts in two formats: the image encoder in bf16, the text decoder in int8.
#: What ``auto`` picks on a CPU with AMX (see ``caption_precision``); benchmarks ask for it by name.
MIXED = "bf16+int8"


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux names them (``avx512_bf16``, ``amx_bf16``...); empty elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def caption_precision(device: str, preference: str = "auto", flags: frozenset[str] | None = None) -> str:
    """The captioner's precision, part by part where ``auto`` on the CPU makes that pay. The image
    encoder is compute-bound (111 GFLOP a picture at 384 px): bf16 wins only on AMX's matrix units
    (0.11 s against int8's 0.23 s on an AMX Xeon); on AVX-512 BF16/VNNI without AMX (AMD Zen 4)
    int8 is faster for every layer shape (bench_caption.py --parts). The decoder is memory-bound
    (its weights are read once a token): int8 reads half of bf16's bytes and was faster on both
    (19 against 30 ms a token on AMX). So: the encoder in bf16 with AMX, all else int8."""
    precision = choose_precision(device, preference)
    if preference in (None, "", "auto") and device.split(":")[0] == "cpu":
        if "amx_bf16" in (cpu_flags() if flags is None else flags):
            return MIXED
    return precision


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def model_threads(cores: int | None = None) -> int:
    """At most (cores - 1), at least 1: on a 2- or 4-core laptop a caption must leave the screen
    reader a core of its own (torch's default is every core)."""
    return max(1, (cores or available_cores()) - 1)


def use_threads(threads: int) -> None:
    """Let torch's CPU work use ``threads`` threads (a Ray actor: the CPUs the cluster gave it)."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def limit_threads() -> int:
    """Let torch's CPU work use ``model_threads()``; returns that number."""
    threads = model_threads()
    use_threads(threads)
    return threads


def choose_device(preference: str = "auto") -> str:
    import torch

    preference = (preference or "auto").lower()
    if preference not in DEVICES and not preference.startswith("cuda:"):
        raise DeviceError(
            _("Unknown device {device}.").format(device=preference),
            _("Choose one of: {choices}.").format(choices=", ".join(DEVICES)),
        )
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if preference == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if preference.startswith("cuda") and not cuda:
        raise DeviceError(
            _("No CUDA graphics card is usable on this computer."),
            _("Use --device cpu, or install a CUDA build of PyTorch and the NVIDIA driver."),
        )
    if preference == "mps" and not mps:
        raise DeviceError(_("Apple's Metal (MPS) is not available here."), _("Use --device cpu."))
    return preference


def choose_precision(device: str, preference: str = "auto") -> str:
    preference = (preference or "auto").lower()
    if preference not in PRECISIONS:
        raise DeviceError(
            _("Unknown precision {precision}.").format(precision=preference),
            _("Choose one of: {choices}.").format(choices=", ".join(PRECISIONS)),
        )
    kind = device.split(":")[0]
    if preference == "auto":
        return DEFAULT_PRECISION[kind]
    if preference == "int8" and kind != "cpu":
        raise DeviceError(
            _("int8 precision runs on the CPU only."), _("Use --precision fp16 on a graphics card.")
        )
    if preference == "fp16" and kind == "cpu":
        raise DeviceError(
            _("fp16 is slow or unsupported on the CPU."), _("Use --precision int8, bf16 or fp32 on the CPU.")
        )
    return preference


def torch_dtype(precision: str):
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision, torch.float32)
