"""Caption speed: seesay's engine against the plain transformers pipeline, in one run.

    python tests/benchmarks/bench_caption.py [--repeats 5] [--threads 2]

Builds a model of BLIP-base's shape with random weights (the same compute as the real
Salesforce/blip-image-captioning-base: ViT-B/16 at 384 px, 12-layer BERT decoder, 30524
tokens), saves it as a safetensors model folder and describes a 1920x1080 screenshot-like
picture with exactly 20 generated tokens:

  (a) transformers' pipeline("image-text-to-text"), fp32 — the plain way
  (b) seesay's engine in each CPU precision (fp32, bf16, int8, bf16+int8: the image encoder in
      bf16 and the decoder in int8; "auto" is the default, and the run prints what it picks here)

Each engine's image encoder is also timed on its own, in the same loop, so a caption's time
splits into the encoder and the decoding steps (per token). The CPU's model and flags are printed.

Timings are interleaved (a, b, a, b, ...) so both see the same machine; the medians and the
ratio are printed. Each variant's load time and steady resident memory are measured in a
fresh child process. Then caption fidelity: on the trained scene model, how many captions
of held-out scenes stay word-for-word the same as fp32 in bf16 and int8.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
TOKENS = 20
#: "bf16+int8": the image encoder in bf16, the decoder in int8 (what auto picks on AMX CPUs)
ENGINE_PRECISIONS = ("fp32", "bf16", "int8", "bf16+int8")


def screenshot_like(width: int = 1920, height: int = 1080):
    """A desktop: panel, two windows with title bars, text lines, buttons and a photo-ish patch."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    image = Image.new("RGB", (width, height), (52, 101, 164))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 32), fill=(40, 40, 40))
    for left, top, w, h in ((80, 90, 1000, 760), (900, 300, 900, 650)):
        draw.rectangle((left, top, left + w, top + h), fill=(250, 250, 250), outline=(90, 90, 90))
        draw.rectangle((left, top, left + w, top + 34), fill=(220, 220, 225))
        for line in range(top + 60, top + h - 40, 26):
            words = rng.randint(3, 12)
            x = left + 24
            for _ in range(words):
                length = rng.randint(20, 90)
                draw.rectangle((x, line, x + length, line + 12), fill=(30, 30, 30))
                x += length + 10
                if x > left + w - 120:
                    break
        draw.rectangle((left + w - 200, top + h - 50, left + w - 30, top + h - 15), fill=(53, 132, 228))
    for _ in range(400):
        x, y = rng.randint(1200, 1700), rng.randint(400, 800)
        draw.ellipse((x, y, x + 30, y + 30), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return image


def build_base_sized_model(folder: Path) -> None:
    """A random-weight BLIP with base's shapes, and a processor, saved like a hub model."""
    import torch
    from transformers import BertTokenizer, BlipConfig, BlipForConditionalGeneration, BlipImageProcessorPil, BlipProcessor

    torch.manual_seed(0)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {token: i for i, token in enumerate(specials + [f"w{i}" for i in range(30522 - len(specials))] + ["[DEC]"])}
    tokenizer = BertTokenizer(vocab=vocab, bos_token="[DEC]")
    config = BlipConfig(
        text_config=dict(vocab_size=30524, bos_token_id=vocab["[DEC]"], sep_token_id=3, pad_token_id=0,
                         eos_token_id=3, initializer_range=0.02),
        vision_config=dict(initializer_range=0.02),
    )
    model = BlipForConditionalGeneration(config)
    model.save_pretrained(folder)
    BlipProcessor(image_processor=BlipImageProcessorPil(size={"height": 384, "width": 384}),
                  tokenizer=tokenizer).save_pretrained(folder)


def load_pipeline(folder: Path):
    from transformers import pipeline

    return pipeline("image-text-to-text", model=str(folder), device="cpu")


def run_pipeline(pipe, image) -> str:
    output = pipe(images=image, text="", generate_kwargs=dict(max_new_tokens=TOKENS, min_new_tokens=TOKENS))
    return output[0]["generated_text"]


def load_engine(folder: Path, precision: str, forced_tokens: bool = True):
    from seesay.vision.blip import BlipCaptioner
    from seesay.vision.caption import CaptionOptions

    options = CaptionOptions(max_new_tokens=TOKENS, min_new_tokens=TOKENS) if forced_tokens else CaptionOptions()
    return BlipCaptioner.load(folder, device="cpu", precision=precision, options=options)


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(variant: str, folder: Path, threads: int) -> None:
    """Load one variant, caption three times, print load seconds and steady RSS as JSON."""
    import torch

    torch.set_num_threads(threads)
    image = screenshot_like()
    started = time.perf_counter()
    if variant == "pipeline":
        pipe = load_pipeline(folder)
        run_pipeline(pipe, image)  # the pipeline has no warm-up of its own; count its first call as loading
        describe = lambda: run_pipeline(pipe, image)  # noqa: E731
    else:
        engine = load_engine(folder, variant)
        describe = lambda: engine.describe(image)  # noqa: E731
    load_seconds = time.perf_counter() - started
    for _ in range(3):
        describe()
    print(json.dumps({"load_s": load_seconds, "rss_mib": resident_mib()}))


def encoder_call(engine, image):
    """The engine's image encoder alone on ``image`` (what a caption spends before its first token)."""
    import torch

    pixels = engine._processor(images=image, return_tensors="pt")["pixel_values"].to(engine._model.dtype)

    def encode():
        with torch.inference_mode():
            engine._model.vision_model(pixel_values=pixels)

    return encode


def machine_floor(engine, threads: int) -> dict[str, float]:
    """The least time this machine could take for one caption: the image encoder's work at the best
    matrix rate measured here (fp32, bf16 or dynamic int8, at the encoder's own layer shape) plus,
    for each of ``TOKENS`` steps, the decoder's weights read once (int8: a byte each) at the memory
    bandwidth measured here (reading a 512 MiB tensor)."""
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    torch.set_num_threads(threads)
    vision = engine._model.config.vision_config
    patches = (vision.image_size // vision.patch_size) ** 2 + 1
    width, inner, layers = vision.hidden_size, vision.intermediate_size, vision.num_hidden_layers
    encoder_flop = layers * (2 * patches * (4 * width * width + 2 * width * inner) + 4 * patches * patches * width)
    x = torch.randn(patches, width)
    weight = torch.randn(inner, width) * 0.02
    int8 = DynamicLinear(width, inner, dtype=torch.qint8)
    int8.set_weight_bias(torch.quantize_per_tensor(weight, float(weight.abs().max() / 127), 0, torch.qint8), None)
    x16, weight16 = x.bfloat16(), weight.bfloat16()
    rates = {}
    with torch.inference_mode():
        for name, call in (("fp32", lambda: torch.nn.functional.linear(x, weight)), ("int8", lambda: int8(x)),
                           ("bf16", lambda: torch.nn.functional.linear(x16, weight16))):
            call()
            started = time.perf_counter()
            for _ in range(10):
                call()
            rates[name] = 2 * patches * width * inner * 10 / (time.perf_counter() - started)
        block = torch.ones(128 * 1024 * 1024)  # 512 MiB
        block.sum()
        started = time.perf_counter()
        for _ in range(3):
            block.sum()
        bandwidth = block.numel() * 4 * 3 / (time.perf_counter() - started)
    config = engine._model.config.text_config
    # per step: every linear layer's weights but the cross-attention's keys and values (made once
    # from the picture), and the output layer over the whole vocabulary
    per_layer = 6 * config.hidden_size ** 2 + 2 * config.hidden_size * config.intermediate_size
    step_bytes = config.num_hidden_layers * per_layer + config.hidden_size * config.vocab_size
    best = max(rates, key=rates.get)
    # cross-attention reads the picture's keys and values (fp32, every layer) at every step too
    image_keys = config.num_hidden_layers * 2 * patches * config.hidden_size * 4
    floor = encoder_flop / rates[best] + TOKENS * step_bytes / bandwidth
    return dict(encoder_gflop=encoder_flop / 1e9, best_format=best, best_gflops=rates[best] / 1e9,
                rates={name: rate / 1e9 for name, rate in rates.items()}, bandwidth_gbs=bandwidth / 1e9,
                step_mb=step_bytes / 1e6, floor_s=floor, image_keys_mb=image_keys / 1e6,
                with_image_keys_s=floor + TOKENS * image_keys / bandwidth)


def top1_agreement(folder: Path, precisions, image) -> dict[str, float]:
    """On the BLIP-base-sized model: at each of fp32's ``TOKENS`` decoding steps (fed fp32's own tokens),
    the share of steps where each precision's most likely next token is fp32's."""
    import torch

    def choices(engine, tokens: list[int] | None) -> list[int]:
        decoder = engine._decoder
        pixels = engine._processor(images=image, return_tensors="pt")["pixel_values"]
        with torch.inference_mode():
            embeds = engine._model.vision_model(pixel_values=pixels.to(engine._model.dtype))[0]
            if tokens is None:
                return decoder.greedy(embeds, [engine._bos_id], max_new_tokens=TOKENS, min_new_tokens=TOKENS,
                                      end_id=-1).token_ids[1:]
            total = 1 + len(tokens)
            shape = (len(decoder._layers), 1, decoder._heads, total, decoder._head_dim)
            state = (embeds.new_empty(shape), embeds.new_empty(shape),
                     [decoder._split(layer.cross_key(embeds)) for layer in decoder._layers],
                     [decoder._split(layer.cross_value(embeds)) for layer in decoder._layers], [0, 1])
            fed = [engine._bos_id, *tokens[:-1]]
            return [int(decoder._step([token], position, state).argmax()) for position, token in enumerate(fed)]

    reference = choices(load_engine(folder, "fp32", forced_tokens=False), None)
    return {precision: sum(a == b for a, b in zip(choices(load_engine(folder, precision, forced_tokens=False),
                                                          reference), reference)) / len(reference)
            for precision in precisions}


def fidelity(precisions, scenes: int = 100) -> dict[str, float]:
    """Share of held-out scene captions identical to fp32, per precision, on the trained model."""
    from scenes import draw_random_scene
    from train_scene_models import CAPTION_MODEL_DIR

    engines = {p: load_engine(CAPTION_MODEL_DIR, p, forced_tokens=False) for p in ("fp32", *precisions)}
    rng = random.Random(2024)
    same = dict.fromkeys(engines, 0)
    for _ in range(scenes):
        _scene, image = draw_random_scene(rng)
        reference = engines["fp32"].describe(image).text
        for precision, engine in engines.items():
            same[precision] += engine.describe(image).text == reference
    return {p: same[p] / scenes for p in engines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precisions", default=",".join(ENGINE_PRECISIONS),
                        help=f"the engine's variants, comma-separated (default: {','.join(ENGINE_PRECISIONS)})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if args.child:
        child(args.child, args.folder, args.threads)
        return 0

    import torch

    sys.path.insert(0, str(HERE))
    from bench_hotkey_latency import cpu_name
    from seesay.vision.device import caption_precision

    precisions = [p for p in args.precisions.split(",") if p]
    print(f"CPU: {cpu_name()}; precision auto on the CPU picks {caption_precision('cpu', 'auto')} here")
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="seesay-bench-") as tmp:
        folder = Path(tmp) / "blip-base-random"
        build_base_sized_model(folder)
        image = screenshot_like()
        print(f"BLIP-base-sized random model, 1920x1080 input, {TOKENS} tokens forced, "
              f"{args.threads} threads, {args.repeats} interleaved repeats", flush=True)

        variants = {"pipeline": load_pipeline(folder)}
        for precision in precisions:
            variants[f"seesay {precision}"] = load_engine(folder, precision)
        calls = {
            name: (lambda v=v: run_pipeline(v, image)) if name == "pipeline" else (lambda v=v: v.describe(image))
            for name, v in variants.items()
        }
        calls.update({f"{name} encoder": encoder_call(v, image) for name, v in variants.items() if name != "pipeline"})
        for call in calls.values():  # first calls pay for lazily mapped weights
            call()
        seconds: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(args.repeats):
            for name, call in calls.items():
                started = time.perf_counter()
                call()
                seconds[name].append(time.perf_counter() - started)
        floor = machine_floor(variants[f"seesay {precisions[0]}"], args.threads) if precisions else None
        del variants, calls
        agreement = top1_agreement(folder, [p for p in precisions if p != "fp32"], image)

        baseline = statistics.median(seconds["pipeline"])
        print(f"{'variant':<20} {'median s':>9} {'speed-up':>9} {'encoder s':>9} {'ms/token':>8} {'load s':>7} "
              f"{'RSS MiB':>8}")
        for name, values in seconds.items():
            if name.endswith(" encoder"):
                continue
            measured = json.loads(subprocess.run(
                [sys.executable, __file__, "--child", name.replace("seesay ", ""), "--folder", str(folder),
                 "--threads", str(args.threads)],
                capture_output=True, text=True, check=True,
            ).stdout.strip().splitlines()[-1])
            median = statistics.median(values)
            encoder = statistics.median(seconds[f"{name} encoder"]) if f"{name} encoder" in seconds else float("nan")
            per_token = (median - encoder) / TOKENS * 1000  # the rest: preprocessing and the decoding steps
            print(f"{name:<20} {median:>9.3f} {baseline / median:>8.2f}x {encoder:>9.3f} {per_token:>8.1f} "
                  f"{measured['load_s']:>7.2f} {measured['rss_mib']:>8.0f}", flush=True)

        if floor is not None:
            print(f"floor here: image encoder {floor['encoder_gflop']:.0f} GFLOP at the best matrix rate measured "
                  f"({floor['best_format']}, {floor['best_gflops']:.0f} GFLOP/s; "
                  + ", ".join(f"{name} {rate:.0f}" for name, rate in floor["rates"].items())
                  + f") + {TOKENS} steps x {floor['step_mb']:.0f} MB of int8 decoder weights at "
                  f"{floor['bandwidth_gbs']:.1f} GB/s = {floor['floor_s']:.3f} s")
            for name, values in seconds.items():
                if name.startswith("seesay ") and not name.endswith(" encoder"):
                    print(f"  {name}: {statistics.median(values) / floor['floor_s']:.2f}x the floor (target <= 1.3x), "
                          f"{statistics.median(values) / floor['with_image_keys_s']:.2f}x the floor with the "
                          f"image's keys and values read at each step")
            print(f"  the image's keys and values (fp32, made once) add {floor['image_keys_mb']:.0f} MB a step: "
                  f"{floor['with_image_keys_s']:.3f} s with them")
        print(f"top-1 token agreement with fp32 over {TOKENS} steps fed fp32's tokens (random weights: their "
              "scores are close together, so this is a strict test): "
              + ", ".join(f"{p} {share:.0%}" for p, share in agreement.items()))

    from seesay.vision.device import DEFAULT_PRECISION

    print(f"seesay default on the CPU: {DEFAULT_PRECISION['cpu']}")
    shares = fidelity([p for p in precisions if p != "fp32"])
    print("captions identical to fp32 on 100 held-out scenes (trained scene model): "
          + ", ".join(f"{p} {share:.0%}" for p, share in shares.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
