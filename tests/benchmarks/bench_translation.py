"""Translation speed: a caption of 12 words through an OPUS-MT-sized Marian model, seesay's own
int8 loop in PyTorch (what seesay uses for a hub model) and CTranslate2 int8 (what it uses for a
converted-only folder) against transformers' MarianMTModel.generate, in one run.

    python tests/benchmarks/bench_translation.py [--repeats 30] [--threads 2]

Builds a Marian model of the shape of the hub's OPUS-MT models (Helsinki-NLP/opus-mt-en-de: d_model
512, 6 encoder and 6 decoder layers, 8 heads, feed-forward 2048, 58101 tokens, shared embeddings)
with random weights, so the compute is the real model's and the words are not: it is saved as a
safetensors model folder with a SentencePiece tokenizer and converted to CTranslate2 int8 by
seesay's own converter (``seesay.translation.convert``, what a hub model goes through on first
use). Random weights end a translation anywhere, so every variant is made to read 14 source pieces
(a 12-word caption and its end) and write exactly 18 (its German translation is about that long):

  (a) transformers' MarianMTModel.generate, fp32, greedy
  (b) CTranslate2 int8, greedy (seesay's translator for converted-only folders), through seesay's loader
  (c) CTranslate2 int8, beam search of 2
  (d) CTranslate2 int8, greedy, with a vocabulary map (``use_vmap``): each step scores only the
      target pieces the map allows (here 2,000 always, and 16 for each source piece, drawn at
      random: the size such a map has, not one made from real translations). seesay does not use
      one: it shows what the 58101-piece output layer costs, and what a map made for the real
      model would save (its effect on real translations cannot be measured without the weights).
  (e) seesay's own greedy loop over the same weights in PyTorch, each linear layer dynamic int8
      (``seesay.translation.marian_torch``, loaded by seesay's loader from the hub folder: seesay's
      translator where the hub folder is there), on one thread and on ``--threads``; it scores only
      the target side's pieces (the target SentencePiece model's 32,000, as OPUS-MT's), and once
      more on one thread scoring every piece. Its steps are compiled by TorchScript
      (``seesay.translation.marian_steps``); once more with the same steps run from Python (what
      a bundle without their source, or a torch without TorchScript, would do).
  (f) five captions translated together (detail mode's), by CTranslate2 and by the own loop.

Timings are interleaved (a, b, c, a, ...) on ``--threads`` threads; the medians, the CPU model
and the load times are printed. The speed target is 50 ms for (e) on one thread, what seesay runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))
sys.path.insert(0, str(HERE))
from bench_layout import cpu_name  # noqa: E402
VOCAB = 58101
SOURCE_PIECES = 14  # 12 words and the end of the sentence
TARGET_PIECES = 18
TARGET_MS = 50.0
#: Captions translated together in the batch variants (detail mode: the picture and its quarters).
TOGETHER = 5
#: The pieces of the target language's SentencePiece model (OPUS-MT's are 32k models).
TARGET_SIDE = 32000


def build_opus_mt_shaped(folder: Path) -> None:
    """A random Marian model of OPUS-MT's shape, with a tokenizer the converter can read."""
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    words = [f"w{index}" for index in range(400)]
    rng = random.Random(0)
    text = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(400)]
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(text), model_prefix=str(folder / "source"), vocab_size=200, minloglevel=2,
        bos_id=-1, eos_id=-1, unk_id=0)
    # The target side as OPUS-MT's: a SentencePiece model of 32,000 pieces, each in the vocabulary
    # (which, as OPUS-MT's, holds both sides' pieces): seesay's own loop scores only these.
    written = [" ".join(f"t{index}" for index in range(start, start + 10)) for start in range(0, TARGET_SIDE, 10)]
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(written), model_prefix=str(folder / "target"), model_type="word",
        vocab_size=TARGET_SIDE + 1, hard_vocab_limit=False, minloglevel=2, bos_id=-1, eos_id=-1, unk_id=0)
    for side in ("source", "target"):
        (folder / f"{side}.model").rename(folder / f"{side}.spm")
    pieces = ["</s>", "<unk>", *(f"▁t{index}" for index in range(VOCAB - 3)), "<pad>"]
    (folder / "vocab.json").write_text(json.dumps({p: i for i, p in enumerate(pieces)}), encoding="utf-8")
    tokenizer = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"))
    tokenizer.save_pretrained(folder)
    config = MarianConfig(vocab_size=VOCAB, d_model=512, encoder_layers=6, decoder_layers=6,
                          encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
                          decoder_ffn_dim=2048, max_position_embeddings=512, pad_token_id=VOCAB - 1,
                          eos_token_id=0, decoder_start_token_id=VOCAB - 1, scale_embedding=True,
                          share_encoder_decoder_embeddings=True, activation_function="swish")
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    model.save_pretrained(folder, safe_serialization=True)


def write_vocabulary_map(converted: Path, folder: Path, always: int = 2000, each: int = 16) -> None:
    """A copy of the converted model with a vocabulary map of the size a real one has (random pieces)."""
    import shutil

    shutil.copytree(converted, folder)
    rng = random.Random(2)
    lines = ["\t" + " ".join(f"▁t{rng.randrange(VOCAB - 3)}" for _ in range(always))]
    lines += [f"▁t{index}\t" + " ".join(f"▁t{rng.randrange(VOCAB - 3)}" for _ in range(each))
              for index in range(VOCAB - 3)]
    (folder / "vmap.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def weight_reading_floor(threads: int, rows: int = VOCAB) -> dict[str, float]:
    """The least time the decoding could take on this machine if it did nothing but read its int8
    weights once a step (each of the 6 decoder layers' matrices but the cross-attention's keys and
    values, made once, and the output layer's ``rows``: all 58101 pieces, or the target side's) at
    the memory bandwidth measured here (summing a 512 MiB tensor on ``threads`` threads)."""
    import torch

    torch.set_num_threads(threads)
    with torch.inference_mode():
        block = torch.ones(128 * 1024 * 1024)
        block.sum()
        started = time.perf_counter()
        for _ in range(3):
            block.sum()
        bandwidth = block.numel() * 4 * 3 / (time.perf_counter() - started)
    d, inner, layers = 512, 2048, 6
    step_bytes = layers * (6 * d * d + 2 * d * inner) + d * rows
    return dict(bandwidth_gbs=bandwidth / 1e9, step_mb=step_bytes / 1e6,
                floor_ms=TARGET_PIECES * step_bytes / bandwidth * 1000)


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _load_average() -> str:
    """Other work on the machine: the benchmark is only as quiet as the machine is."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    import torch
    from transformers import MarianMTModel

    from seesay.translation.convert import convert_marian
    from seesay.translation.ctranslate2_backend import CTranslate2Translator
    from seesay.translation.marian_torch import MarianTorchTranslator

    torch.set_num_threads(args.threads)
    print(f"CPU: {cpu_name()}; {args.threads} threads; torch {torch.__version__}", flush=True)
    with tempfile.TemporaryDirectory() as work:
        hub, converted = Path(work) / "hub", Path(work) / "ct2"
        hub.mkdir()
        started = time.perf_counter()
        build_opus_mt_shaped(hub)
        print(f"built an OPUS-MT-shaped Marian model in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        convert_marian(hub, converted)
        size = sum(path.stat().st_size for path in converted.iterdir()) / 1e6
        print(f"converted to CTranslate2 int8 in {time.perf_counter() - started:.1f} s ({size:.0f} MB)", flush=True)
        started = time.perf_counter()
        greedy = CTranslate2Translator.load(converted, direction=("en", "de"), threads=args.threads)
        print(f"loaded by seesay in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        beam = CTranslate2Translator.load(converted, direction=("en", "de"), threads=args.threads, beam_size=2)
        mapped_folder = Path(work) / "ct2-vmap"
        write_vocabulary_map(converted, mapped_folder)
        mapped = CTranslate2Translator.load(mapped_folder, direction=("en", "de"), threads=args.threads)
        for when in ("first use: taken apart and kept", "later uses: read back"):
            started = time.perf_counter()
            lean = MarianTorchTranslator.load(hub, direction=("en", "de"), kept=Path(work) / "hub.int8.safetensors")
            print(f"hub folder loaded by seesay's own loop, {when}: {(time.perf_counter() - started) * 1000:.0f} ms",
                  flush=True)
        lean = lean._decoder
        from seesay.translation import marian_steps
        from seesay.translation.marian_greedy import MarianGreedy
        from seesay.translation.marian_weights import made_from, read_kept

        every = MarianGreedy(*read_kept(Path(work) / "hub.int8.safetensors", made_from([hub / "model.safetensors"])))
        print(f"own loop scores {len(lean.written)} of {VOCAB} pieces a step (the target side's)", flush=True)
        model = MarianMTModel.from_pretrained(hub, use_safetensors=True).eval()

        rng = random.Random(1)
        ids = [rng.randrange(2, VOCAB - 1) for _ in range(SOURCE_PIECES - 1)] + [0]
        pieces = [f"▁t{index - 2}" for index in ids[:-1]] + ["</s>"]
        input_ids = torch.tensor([ids])

        def one_thread(run):
            """Small matrices a step: a second thread costs more than it gives (measured: 91 ms on 1, 137 ms on 2)."""
            def on_one():
                torch.set_num_threads(1)
                try:
                    run()
                finally:
                    torch.set_num_threads(args.threads)
            return on_one

        def from_python(run):
            """The same steps, not compiled: called one by one from Python."""
            def plain():
                compiled, lean.steps = lean.steps, (marian_steps.encode, marian_steps.decode)
                try:
                    run()
                finally:
                    lean.steps = compiled
            return plain

        def transformers_generate():
            with torch.inference_mode():
                out = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), num_beams=1,
                                     do_sample=False, min_new_tokens=TARGET_PIECES, max_new_tokens=TARGET_PIECES)
            assert out.shape[1] - 1 == TARGET_PIECES

        def ctranslate2(translator, use_vmap: bool = False):
            def run():
                result = translator._translator.translate_batch(  # the call seesay's translate makes
                    [pieces], beam_size=translator._beam_size, min_decoding_length=TARGET_PIECES,
                    max_decoding_length=TARGET_PIECES, use_vmap=use_vmap)
                assert len(result[0].hypotheses[0]) == TARGET_PIECES
            return run

        variants = {"transformers generate fp32": transformers_generate, "CTranslate2 int8 greedy": ctranslate2(greedy),
                    "CTranslate2 int8 beam 2": ctranslate2(beam),
                    "CTranslate2 int8 vocab map": ctranslate2(mapped, use_vmap=True),
                    "PyTorch int8, own loop": one_thread(lambda: lean.greedy(ids, TARGET_PIECES, TARGET_PIECES)),
                    f"own loop, {args.threads} threads": lambda: lean.greedy(ids, TARGET_PIECES, TARGET_PIECES),
                    "own loop, steps from Python": one_thread(from_python(
                        lambda: lean.greedy(ids, TARGET_PIECES, TARGET_PIECES))),
                    "own loop, every piece scored": one_thread(lambda: every.greedy(ids, TARGET_PIECES,
                                                                                    TARGET_PIECES)),
                    # a description in detail mode: the picture's caption and its four quarters', together
                    f"CTranslate2, {TOGETHER} together": lambda: greedy._translator.translate_batch(
                        [pieces] * TOGETHER, beam_size=1, min_decoding_length=TARGET_PIECES,
                        max_decoding_length=TARGET_PIECES),
                    f"own loop, {TOGETHER} together": one_thread(lambda: lean.greedy_batch(
                        [ids] * TOGETHER, [TARGET_PIECES] * TOGETHER, TARGET_PIECES))}
        times = {name: [] for name in variants}
        cpu = {name: [] for name in variants}
        for run in variants.values():  # warm up
            run()
        for _ in range(args.repeats):
            for name, run in variants.items():
                started, used = time.perf_counter(), time.process_time()
                run()
                times[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - used) * 1000)
        from transformers import LogitsProcessor, LogitsProcessorList

        class TargetSide(LogitsProcessor):
            def __call__(self, input_ids, scores):
                masked = torch.full_like(scores, -float("inf"))
                masked[:, lean.written] = scores[:, lean.written]
                return masked

        agreeing = {}
        with torch.inference_mode():  # the own loop's tokens against fp32 generate's, scoring the same pieces
            for name, loop, processors in (("every piece", every, []), ("target side", lean, [TargetSide()])):
                reference = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                           num_beams=1, do_sample=False, min_new_tokens=TARGET_PIECES,
                                           max_new_tokens=TARGET_PIECES,
                                           logits_processor=LogitsProcessorList(processors))[0, 1:].tolist()
                agreeing[name] = sum(a == b for a, b in zip(reference, loop.greedy(ids, TARGET_PIECES, TARGET_PIECES)))
        steps = {}
        for count in (1, TARGET_PIECES):  # where a translation's time goes: the encoder and first step, each next step
            run = lambda: greedy._translator.translate_batch(  # noqa: E731
                [pieces], beam_size=1, min_decoding_length=count, max_decoding_length=count)
            steps[count] = statistics.median(_timed(run) for _ in range(args.repeats))
        floors = {f"{count} thread(s), every piece": weight_reading_floor(count) for count in (1, args.threads)}
        floors["1 thread, the target side's pieces"] = weight_reading_floor(1, len(lean.written))
        torch.set_num_threads(args.threads)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:28s} median {median:7.1f} ms  (min {min(times[name]):.1f}, max {max(times[name]):.1f}; "
              f"CPU time {statistics.median(cpu[name]):.1f} ms; {SOURCE_PIECES} pieces in, {TARGET_PIECES} out, "
              f"{args.repeats} runs)", flush=True)
    print(f"CTranslate2 int8 greedy: encoder and first step {steps[1]:.1f} ms, each next step "
          f"{(steps[TARGET_PIECES] - steps[1]) / (TARGET_PIECES - 1):.2f} ms", flush=True)
    for name, count in agreeing.items():
        print(f"PyTorch int8 own loop, {name}: {count} of {TARGET_PIECES} tokens as fp32 generate's scoring the same "
              f"pieces (random weights)", flush=True)
    for name, floor in floors.items():
        print(f"floor on {name}: {TARGET_PIECES} steps x {floor['step_mb']:.1f} MB of int8 weights at "
              f"{floor['bandwidth_gbs']:.1f} GB/s = {floor['floor_ms']:.1f} ms (no encoder, no arithmetic); the own "
              f"loop is {medians['PyTorch int8, own loop'] / floor['floor_ms']:.2f}x it", flush=True)
    print(f"load average while measured: {_load_average()}", flush=True)
    ours = medians["PyTorch int8, own loop"]
    print(f"seesay's own loop is {medians['transformers generate fp32'] / ours:.1f}x transformers' generate and "
          f"{medians['CTranslate2 int8 greedy'] / ours:.2f}x CTranslate2 int8; "
          f"target {TARGET_MS:.0f} ms: {'met' if ours <= TARGET_MS else 'NOT met'}", flush=True)
    return 0 if ours <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
