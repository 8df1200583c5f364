"""Device and precision policy, and the promise that torch is imported only when a model loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from seesay.core.errors import DeviceError
from seesay.vision.device import MIXED, caption_precision, choose_device, choose_precision, cpu_flags


def test_auto_device_here_is_the_cpu_with_int8():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert choose_device("auto") == "cpu"
    assert choose_precision("cpu", "auto") == "int8"


def test_gpus_default_to_half_precision():
    assert choose_precision("cuda", "auto") == "fp16"
    assert choose_precision("cuda:1", "auto") == "fp16"
    assert choose_precision("mps", "auto") == "fp16"


ZEN4 = frozenset({"avx2", "avx512f", "avx512_vnni", "avx512_bf16"})  # AMD EPYC: bf16 and VNNI, no AMX
SAPPHIRE_RAPIDS = ZEN4 | {"amx_bf16", "amx_int8", "amx_tile"}


def test_auto_picks_a_captioners_precision_part_by_part_from_the_cpu():
    """The image encoder in bf16 only on AMX's matrix units; everywhere else int8, which was
    faster for every layer on AVX-512 BF16 without them; the decoder int8 on both."""
    assert caption_precision("cpu", "auto", SAPPHIRE_RAPIDS) == MIXED == "bf16+int8"
    assert caption_precision("cpu", "auto", ZEN4) == "int8"
    assert caption_precision("cpu", "auto", frozenset({"avx2"})) == "int8"
    assert caption_precision("cpu", "bf16", SAPPHIRE_RAPIDS) == "bf16"  # a choice is kept
    assert caption_precision("cuda", "auto", SAPPHIRE_RAPIDS) == "fp16"
    assert caption_precision("cpu", "auto") == (MIXED if "amx_bf16" in cpu_flags() else "int8")  # this machine


def test_missing_cuda_is_a_clear_error():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(DeviceError) as caught:
        choose_device("cuda")
    assert "--device cpu" in caught.value.hint


@pytest.mark.parametrize("device, precision", [("cuda", "int8"), ("cpu", "fp16")])
def test_impossible_precisions_are_refused(device, precision):
    with pytest.raises(DeviceError):
        choose_precision(device, precision)


def test_starting_seesay_does_not_import_torch_or_transformers():
    code = (
        "import sys, seesay.cli, seesay.describe.files, seesay.vision.model_store, seesay.vision.images,"
        " seesay.vision.engine, seesay.vision.blip, seesay.vision.device;"
        " heavy = [m for m in ('torch', 'transformers', 'huggingface_hub') if m in sys.modules];"
        " print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
