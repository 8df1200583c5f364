"""What seesay's TorchScript-compiled functions share: the int8 matrix product, a layer norm read
from a list of weights, and compiling with a way back to plain Python.

seesay compiles the few functions that call hundreds of small operations a token (a caption's
decoder step, ``vision/decoder_script.py``; a translation, ``translation/marian_steps.py``):
called one by one from Python, an int8 matrix product through ``torch.ops`` costs about 13
microseconds in the call alone (measured), more than most of the arithmetic. TorchScript reads a
function's source to compile it: a bundled app without the source, or a torch without
TorchScript, runs the same function from Python, the same arithmetic, slower.

Imported only where a model is loaded (it imports torch). No ``from __future__ import
annotations`` here: TorchScript reads the annotations as written.
"""

import logging
from typing import Callable, List, Optional

import torch
from torch import Tensor
from torch.nn import functional

LOG = logging.getLogger(__name__)

#: An int8 matrix packed for PyTorch's dynamic int8 kernel (fbgemm).
Int8 = torch.classes.quantized.LinearPackedParamsBase


def int8_linear(x: Tensor, packed: Int8) -> Tensor:
    return torch.ops.quantized.linear_dynamic(x, packed, True)  # reduce_range, as the layers' own forward


def norm_at(x: Tensor, norms: List[Tensor], at: int, eps: float) -> Tensor:
    """The layer norm whose weight is ``norms[at]`` and bias ``norms[at + 1]``."""
    weight = norms[at]
    return functional.layer_norm(x, [weight.shape[0]], weight, norms[at + 1], eps)


def compiled(function: Callable, what: str) -> Optional[Callable]:
    """``function`` compiled by TorchScript; None where it cannot be (said in the log, naming ``what``)."""
    try:
        return torch.jit.script(function)
    except Exception as error:  # noqa: BLE001 - no source in a bundle (OSError), no TorchScript, its own errors
        LOG.info("%s run from Python (TorchScript could not compile them: %s)", what, type(error).__name__)
        return None
