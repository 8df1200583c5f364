"""Which compute device and number format a model runs in.

``auto`` picks CUDA, then Apple's MPS, then the CPU. Each device has a default precision:
half precision on GPUs; on the CPU dynamic int8 for the linear layers, which
``tests/benchmarks/bench_caption.py`` measured as the fastest setting that keeps the
captions of a trained model the same as in fp32 (see the README for the figures).
"""

from __future__ import annotations

from seesay.core.errors import DeviceError
from seesay.core.i18n import _
from seesay.core.settings import DEVICES, PRECISIONS
DEFAULT_PRECISION = {"cuda": "fp16", "mps": "fp16", "cpu": "int8"}


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
