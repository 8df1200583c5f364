"""BLIP image captioning (Salesforce BLIP through Hugging Face transformers).

The model is loaded from a local folder found by the model store: safetensors only, no
remote code, no network. Greedy captions run through a lean decoding loop (``blip_decoding``)
that also keeps each token's log-probability; beam search uses transformers' ``generate``.
Both ask the ``cancelled`` callback after the picture is encoded and before every word.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from seesay.core.errors import Cancelled, ModelLoadError
from seesay.core.i18n import _
from seesay.vision.blip_decoding import LeanBlipDecoder
from seesay.vision.caption import Caption, CaptionOptions
from seesay.vision.caption_quirks import cleaned
from seesay.vision.device import MIXED, caption_precision, choose_device, choose_precision, torch_dtype
from seesay.vision.encoder_speed import fuse_vision_attention, gelu_in_place
from seesay.vision.images import ImageSource, LoadedImage, load_image
from seesay.vision.model_store import verify_model_folder

log = logging.getLogger("seesay.vision")


class BlipRunner:
    """What captioning and question answering share: a loaded model, its processor, where and how
    it runs, and the lean decoder over its text decoder. Not thread-safe: one worker thread owns it."""

    def __init__(self, model, processor, *, name: str, device: str, precision: str) -> None:
        self._model = model
        self._processor = processor
        self.name = name
        self.device = device
        self.precision = precision
        text_config = model.config.text_config
        self._bos_id = text_config.bos_token_id
        self._sep_id = text_config.sep_token_id
        self._decoder = LeanBlipDecoder(model.text_decoder)


#: Tokens decoded to warm a model up: the first step and one that uses the cache.
WARM_UP_TOKENS = 2


class BlipCaptioner(BlipRunner):
    """A loaded BLIP captioning model."""

    def __init__(self, model, processor, *, name: str, device: str, precision: str, options: CaptionOptions):
        super().__init__(model, processor, name=name, device=device, precision=precision)
        self.options = options

    @classmethod
    def load(
        cls,
        folder: Path,
        *,
        device: str = "auto",
        precision: str = "auto",
        options: CaptionOptions | None = None,
        warm_up: bool = True,
    ) -> "BlipCaptioner":
        """Load the model in ``folder`` onto ``device`` in ``precision`` (both may be ``auto``)."""
        model, processor, device, precision = load_blip(
            "BlipForConditionalGeneration", folder, device=device, precision=precision, per_part=True,
            hint=_("The folder may be damaged or hold a model that is not BLIP captioning. "
                   "Download it again with: seesay download"))
        captioner = cls(
            model, processor, name=str(folder), device=device, precision=precision,
            options=options or CaptionOptions(),
        )
        if warm_up:
            captioner.warm_up()
        return captioner

    def warm_up(self) -> None:
        """Run every part once (the processor, the image encoder, the decoder's first step and a
        cached one), so the first real request pays no first-call costs: weights mapped lazily
        (fp32, bf16), the kernels' own set-up. Two tokens, not a whole caption: the other 28 steps
        would only repeat the second (measured, bench_model_load.py)."""
        import torch
        from PIL import Image

        with torch.inference_mode():
            pixel_values = self._processor(images=Image.new("RGB", (64, 64), (128, 128, 128)),
                                           return_tensors="pt")["pixel_values"].to(self.device, self._model.dtype)
            image_embeds = self._model.vision_model(pixel_values=pixel_values)[0]
            self._decoder.greedy(image_embeds, [self._bos_id], max_new_tokens=WARM_UP_TOKENS,
                                 min_new_tokens=WARM_UP_TOKENS, end_id=self._sep_id, cancelled=None)

    def describe(
        self,
        image: ImageSource | LoadedImage,
        prompt: str | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Caption:
        """Describe ``image``; ``cancelled`` is polled between tokens (raises ``Cancelled``)."""
        import torch

        started = time.perf_counter()
        picture = image if isinstance(image, LoadedImage) else load_image(image)
        options = self.options
        with torch.inference_mode():
            inputs = self._processor(images=picture.image, text=prompt or None, return_tensors="pt")
            pixel_values = inputs["pixel_values"].to(self.device, self._model.dtype)
            prompt_ids = inputs["input_ids"].to(self.device) if prompt else None
            prepared = time.perf_counter()
            if options.num_beams > 1:
                token_ids, logprobs = self._beam_search(pixel_values, prompt_ids, cancelled)
            else:
                token_ids, logprobs = self._greedy(pixel_values, prompt_ids, cancelled)
        tokenizer = self._processor.tokenizer
        text, raw = cleaned(tokenizer.decode(token_ids, skip_special_tokens=True).strip())  # BLIP's quirks left out
        return Caption(
            text=text,
            seconds=time.perf_counter() - started,
            token_logprobs=tuple(logprobs),
            tokens=tuple(tokenizer.convert_ids_to_tokens(token_ids[-len(logprobs):] if logprobs else [])),
            model=self.name,
            device=self.device,
            precision=self.precision,
            extra={"preprocess_seconds": prepared - started, "model_seconds": time.perf_counter() - prepared, **raw},
        )

    def describe_batch(self, images: list, cancelled: Callable[[], bool] | None = None,
                       parts: list[bool] | None = None) -> list[Caption]:
        """Caption several pictures (PIL images) in one pass: one image-encoder call for all, then
        one decoding loop for all. Cheaper than one ``describe`` each (measured: five pictures in
        0.73x the time) because decoding reads the decoder's weights once per step for all; the
        image encoder is compute-bound and costs the same per picture either way. ``parts``: which
        pictures are parts of another (detail mode's quarters), encoded smaller on the CPU
        (``part_encoding``). Greedy only."""
        import torch

        from seesay.vision.part_encoding import encode_pictures

        if not images:
            return []
        started = time.perf_counter()
        with torch.inference_mode():
            groups, order = encode_pictures(self._model, self._processor, images, parts, self.device)
            if cancelled is not None and cancelled():
                raise Cancelled()
            decoded = self._decoder.greedy_batch(
                groups if len(groups) > 1 else groups[0], [self._bos_id], max_new_tokens=self.options.max_new_tokens,
                min_new_tokens=self.options.min_new_tokens, end_id=self._sep_id, cancelled=cancelled)
        results = [decoded[order.index(index)] for index in range(len(images))]
        seconds = (time.perf_counter() - started) / len(images)
        tokenizer = self._processor.tokenizer
        captions = []
        for result in results:
            text, raw = cleaned(tokenizer.decode(result.token_ids, skip_special_tokens=True).strip())
            captions.append(Caption(
                text=text, seconds=seconds, token_logprobs=tuple(result.logprobs),
                tokens=tuple(tokenizer.convert_ids_to_tokens(result.token_ids[1:])),
                model=self.name, device=self.device, precision=self.precision, extra=raw))
        return captions

    def _start_ids(self, prompt_ids):
        import torch

        if prompt_ids is None:
            return torch.tensor([[self._bos_id]], device=self.device)
        start = prompt_ids[:, :-1].clone()  # drop the closing [SEP]; BLIP decodes from [DEC], not [CLS]
        start[:, 0] = self._bos_id
        return start

    def _greedy(self, pixel_values, prompt_ids, cancelled) -> tuple[list[int], list[float]]:
        image_embeds = self._model.vision_model(pixel_values=pixel_values)[0]
        if cancelled is not None and cancelled():
            raise Cancelled()
        result = self._decoder.greedy(
            image_embeds,
            self._start_ids(prompt_ids)[0].tolist(),
            max_new_tokens=self.options.max_new_tokens,
            min_new_tokens=self.options.min_new_tokens,
            end_id=self._sep_id,
            cancelled=cancelled,
        )
        return result.token_ids, result.logprobs

    def _beam_search(self, pixel_values, prompt_ids, cancelled) -> tuple[list[int], list[float]]:
        model = self._model
        if cancelled is not None and cancelled():
            raise Cancelled()
        output = model.generate(
            stopping_criteria=_cancel_check(cancelled),
            pixel_values=pixel_values,
            input_ids=self._start_ids(prompt_ids) if prompt_ids is not None else None,
            num_beams=self.options.num_beams,
            max_new_tokens=self.options.max_new_tokens,
            min_new_tokens=self.options.min_new_tokens or None,
            output_scores=True,
            return_dict_in_generate=True,
        )
        sequence = output.sequences[0]
        scores = model.compute_transition_scores(
            output.sequences, output.scores, output.beam_indices, normalize_logits=False
        )
        return sequence.tolist(), scores[0].float().tolist()


def _cancel_check(cancelled: Callable[[], bool] | None):
    """For transformers' ``generate``: asks ``cancelled`` after every step of beam search and
    raises ``Cancelled`` out of it (a stopping criterion that only said "stop" would end with a
    half-made caption, which would then be spoken)."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class AskCancelled(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            if cancelled():
                raise Cancelled()
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([AskCancelled()] if cancelled is not None else [])


def load_blip(class_name: str, folder: Path, *, device: str, precision: str, hint: str, per_part: bool = False):
    """Load a BLIP model of ``class_name`` (a transformers class) from ``folder``, ready to run.

    Returns ``(model, processor, device, precision)`` with ``auto`` resolved. The image
    encoder's attention is fused, and on ``int8`` every linear layer is quantised; ``per_part``
    (a captioner): ``auto`` may pick a precision for each part (``device.caption_precision``), and
    on ``bf16+int8`` the image encoder runs in bf16, the text decoder's linear layers in int8. The folder is
    checked first (files inside it, weights whole, configs within bounds): transformers would
    build whatever the config asks for, a million layers or 30000-pixel pictures.
    """
    verify_model_folder(Path(folder))
    device = choose_device(device)
    if precision != MIXED or device != "cpu":
        precision = (caption_precision if per_part else choose_precision)(device, precision)
    with _LOADING:  # transformers builds models inside torch's device context, which is process-wide:
        return _load(class_name, folder, device, precision, hint)  # loads that overlap leave it on "meta"


#: One model is loaded at a time in a process (see ``load_blip``).
_LOADING = threading.Lock()


def _load(class_name: str, folder: Path, device: str, precision: str, hint: str):
    try:
        import transformers
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        processor = transformers.BlipProcessor.from_pretrained(folder, local_files_only=True)
        model = getattr(transformers, class_name).from_pretrained(
            folder,
            local_files_only=True,
            use_safetensors=True,
            trust_remote_code=False,
            dtype=torch_dtype(precision),
        )
    except Exception as error:
        raise ModelLoadError(
            _("The model in {folder} could not be loaded ({detail}).").format(
                folder=folder, detail=f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
            ),
            hint,
            spoken=_("The model in that folder could not be loaded: it may be damaged or be another kind of model. "
                     "Download it again, or choose another model folder."),  # its hint shows the command
        ) from None
    model.eval()
    fuse_vision_attention(model)
    gelu_in_place(model)
    if precision == "int8":
        model = _int8_linear_layers(model, Path(folder))
        return_freed_memory()
    elif precision == MIXED:
        model.text_decoder = _int8_linear_layers(model.text_decoder, Path(folder), SAVED_DECODER_INT8)
        _vision_in_bf16(model)
        return_freed_memory()
    model.to(device)
    return model, processor, device, precision


def _vision_in_bf16(model) -> None:
    """The image encoder in bf16, taking pictures and giving image embeddings as every caller
    knows them (fp32): the int8 decoder's layers take fp32, and callers convert pictures to the
    model's dtype."""
    import torch

    vision = model.vision_model.to(torch.bfloat16)

    def pictures_in(_module, args, kwargs):
        if args:
            args = (args[0].to(torch.bfloat16), *args[1:])
        elif kwargs.get("pixel_values") is not None:
            kwargs = {**kwargs, "pixel_values": kwargs["pixel_values"].to(torch.bfloat16)}
        return args, kwargs

    def embeddings_out(_module, _args, output):
        def fp32(value):
            return value.float() if torch.is_tensor(value) and value.is_floating_point() else value

        if isinstance(output, tuple):
            return tuple(fp32(value) for value in output)
        return output.__class__(**{key: fp32(value) for key, value in output.items()})

    vision.register_forward_pre_hook(pictures_in, with_kwargs=True)
    vision.register_forward_hook(embeddings_out)


def _quantize_linear_layers(model):
    """Dynamic int8 for every linear layer: weights stored as int8, activations quantised per call.

    Every floating-point tensor that remains (biases, which the quantised layers keep, embeddings,
    norms) is copied out of the memory-mapped weights file first: one tensor still pointing into
    the mapping keeps all of it resident (about 850 MB for BLIP-base).
    """
    import warnings

    import torch

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Linear) and module.bias is not None:
                module.bias.data = module.bias.data.clone()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated in favour of torchao
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()
    return model


#: Beside the model (hidden: the model store's checks and sizes pass it by): its linear layers as
#: int8, as quantisation made them the first time, so that later loads skip quantising. Safetensors
#: only, like every weight seesay reads.
SAVED_INT8 = ".seesay-int8.safetensors"
#: The same for the text decoder alone, for ``bf16+int8`` (its image encoder is not int8): a file of
#: its own, so that starting in one precision and then the other does not make either file again.
SAVED_DECODER_INT8 = ".seesay-int8-text-decoder.safetensors"
#: Changes when what is saved changes; a file of another version is made again.
SAVED_INT8_VERSION = "1"
#: Weights smaller than this are quantised at every load (milliseconds), nothing is saved beside
#: them; BLIP-base's 900 MB took 2.4 s to quantise on one core (bench_model_load.py).
SAVED_INT8_FROM_BYTES = 64 * 1024 * 1024


def _int8_linear_layers(model, folder: Path, saved_name: str = SAVED_INT8):
    """``model`` (the whole model, or the part kept in ``saved_name``) with every linear layer in
    dynamic int8: from the saved int8 weights when they were made from these very weights, else
    quantised now (and saved for the next load, where the folder can be written to). Either way
    the layers are the same, bit for bit."""
    weights = sorted(path for path in folder.glob("*.safetensors") if not path.name.startswith("."))
    if sum(path.stat().st_size for path in weights) < SAVED_INT8_FROM_BYTES:
        return _quantize_linear_layers(model)
    source = _weights_identity(weights)
    layers = _read_saved_int8(folder / saved_name, source)
    if layers is not None:
        try:
            return _linear_layers_from(model, layers)
        except (KeyError, ValueError, RuntimeError) as error:  # another model's, or damaged
            log.info("saved int8 weights not used (%s): quantising again", type(error).__name__)
    model = _quantize_linear_layers(model)
    _save_int8(model, folder / saved_name, source)
    return model


def _weights_identity(weights: list[Path]) -> str:
    """Which weights the saved int8 layers were made from: each weights file's name, size and time."""
    return ";".join(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in weights)


def _read_saved_int8(path: Path, source: str) -> dict | None:
    """{layer name: (int8 weight, scale, zero point, bias or None)} from ``path``, or None when there
    is none, or it was made from other weights or by another version."""
    if not path.is_file():
        return None
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as saved:
            metadata = saved.metadata() or {}
            if metadata.get("version") != SAVED_INT8_VERSION or metadata.get("source") != source:
                return None
            tensors = {key: saved.get_tensor(key) for key in saved.keys()}
    except Exception as error:  # damaged or cut short: made again
        log.info("saved int8 weights unreadable (%s): quantising again", type(error).__name__)
        return None
    names = {key.rsplit(".", 1)[0] for key in tensors}
    return {name: (tensors.get(f"{name}.int8"), tensors.get(f"{name}.scale"), tensors.get(f"{name}.zero_point"),
                   tensors.get(f"{name}.bias")) for name in names}


def _linear_layers_from(model, layers: dict):
    """Swap every linear layer of ``model`` for the dynamic int8 layer ``quantize_dynamic`` would
    make, from its saved int8 weight (packed here, which is most of the time saved weights still take)."""
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    linear = [(name, module) for name, module in model.named_modules() if type(module) is torch.nn.Linear]
    if {name for name, _module in linear} != set(layers):
        raise KeyError("layers")
    for name, module in linear:
        weight, scale, zero_point, bias = layers[name]
        if (weight is None or weight.dtype != torch.int8 or tuple(weight.shape) != tuple(module.weight.shape)
                or scale is None or not bool(torch.isfinite(scale)) or float(scale) <= 0 or zero_point is None):
            raise ValueError(name)
        # made 1 by 1 and given its size after: at its own size the constructor packs a matrix of
        # zeros first, which took as long as packing the real weight (half of all loading time)
        quantised = DynamicLinear(1, 1, dtype=torch.qint8)
        quantised.in_features, quantised.out_features = module.in_features, module.out_features
        quantised.set_weight_bias(torch._make_per_tensor_quantized_tensor(weight, float(scale), int(zero_point)),
                                  bias.clone() if bias is not None else None)
        parent_name, _dot, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name) if parent_name else model, child, quantised)
    with torch.no_grad():
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()  # nothing left pointing into the mapped weights file
    return model


def _save_int8(model, path: Path, source: str) -> None:
    """Keep the int8 layers beside the model (private, written whole or not at all); a folder
    that cannot be written to (a shared or read-only model) is left as it is."""
    import os
    import tempfile

    import torch
    from safetensors.torch import save_file
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    tensors = {}
    for name, module in model.named_modules():
        if isinstance(module, DynamicLinear):
            weight = module.weight()
            if weight.qscheme() != torch.per_tensor_affine:  # another torch's quantisation: not kept
                return
            tensors[f"{name}.int8"] = weight.int_repr().contiguous()
            tensors[f"{name}.scale"] = torch.tensor(weight.q_scale(), dtype=torch.float64)
            tensors[f"{name}.zero_point"] = torch.tensor(weight.q_zero_point(), dtype=torch.int64)
            if module.bias() is not None:
                tensors[f"{name}.bias"] = module.bias().detach().contiguous()
    try:
        handle, temporary = tempfile.mkstemp(prefix=".seesay-int8-", suffix=".partial", dir=path.parent)
        os.close(handle)  # mkstemp makes it 0600
        try:
            save_file(tensors, temporary, metadata={"version": SAVED_INT8_VERSION, "source": source})
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as error:
        log.info("int8 weights not saved beside the model (%s)", type(error).__name__)


def return_freed_memory() -> None:
    """Hand freed memory back to the system (glibc keeps it otherwise): the fp32 weights that
    quantisation replaced, or a model let go."""
    import ctypes
    import gc
    import sys

    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to trim
            pass
