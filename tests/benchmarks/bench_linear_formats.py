"""One linear layer of BLIP-base in each number format the CPU offers, at a decoding step's
shape (one token) and the image encoder's (577 patches), on one thread.

    python tests/benchmarks/bench_linear_formats.py [--repeats 200]

Formats: fp32; dynamic int8 (fbgemm, what seesay's int8 uses: int8 weights, activations quantised
per call); bf16 (oneDNN; AMX's matrix units where the CPU has them); weight-only int8 with bf16
activations (``torch.ops.aten._weight_int8pack_mm``, per-channel scales, nothing to pack at load).
Shapes: attention (768x768), the feed-forward layers (768x3072, 3072x768) and the decoder's output
layer over 30,524 tokens. All formats of a shape run one after another in the same process;
milliseconds per call, and each format's time against dynamic int8's. The CPU is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SHAPES = ((768, 768), (768, 3072), (3072, 768), (768, 30524))


def per_call_ms(call, repeats: int) -> float:
    call(), call()
    started = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - started) / repeats * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=200, help="calls per format at one token (a fortieth at 577)")
    args = parser.parse_args()
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    from bench_hotkey_latency import cpu_name

    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    print(f"CPU: {cpu_name()}; 1 thread; ms per call (x dynamic int8's time)")
    print(f"{'in x out':>12} {'rows':>5} {'fp32':>14} {'dynamic int8':>13} {'bf16':>14} {'int8 weights, bf16':>19}")
    for inputs, outputs in SHAPES:
        weight = torch.randn(outputs, inputs) * 0.02
        fp32 = torch.nn.Linear(inputs, outputs)
        fp32.weight.data = weight
        int8 = DynamicLinear(inputs, outputs, dtype=torch.qint8)
        int8.set_weight_bias(torch.quantize_per_tensor(weight, float(weight.abs().max() / 127), 0, torch.qint8),
                             fp32.bias.data)
        bf16 = weight.to(torch.bfloat16)
        scales = weight.abs().amax(dim=1) / 127
        int8_weights = torch.round(weight / scales[:, None]).to(torch.int8).contiguous()
        scales = scales.to(torch.bfloat16)
        for rows in (1, 577):
            x = torch.randn(rows, inputs)
            x16 = x.to(torch.bfloat16)
            repeats = args.repeats if rows == 1 else max(2, args.repeats // 40)
            with torch.inference_mode():
                times = [per_call_ms(call, repeats) for call in (
                    lambda: fp32(x), lambda: int8(x), lambda: torch.nn.functional.linear(x16, bf16),
                    lambda: torch.ops.aten._weight_int8pack_mm(x16, int8_weights, scales))]
            cells = [f"{ms:7.3f} ({ms / times[1]:4.1f}x)" for ms in times]
            print(f"{inputs:>5}x{outputs:<6} {rows:>5} {cells[0]:>14} {times[1]:>13.3f} {cells[2]:>14} {cells[3]:>19}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
