"""BLIP image captioning (Salesforce BLIP through Hugging Face transformers).

The model is loaded from a local folder found by the model store: safetensors only, no
remote code, no network. Greedy captions run through a lean decoding loop (one forward
call per token with the key/value cache, image keys computed once) that also keeps each
token's log-probability; beam search uses transformers' own ``generate``.
"""

from __future__ import annotations

import time
from pathlib import Path

from seesay.core.errors import ModelLoadError
from seesay.core.i18n import _
from seesay.vision.caption import Caption, CaptionOptions
from seesay.vision.device import choose_device, choose_precision, torch_dtype
from seesay.vision.images import ImageSource, LoadedImage, load_image


class BlipCaptioner:
    """A loaded BLIP captioning model. Not thread-safe: one worker thread owns it."""

    def __init__(self, model, processor, *, name: str, device: str, precision: str, options: CaptionOptions):
        self._model = model
        self._processor = processor
        self.name = name
        self.device = device
        self.precision = precision
        self.options = options
        text_config = model.config.text_config
        self._bos_id = text_config.bos_token_id
        self._sep_id = text_config.sep_token_id

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
        device = choose_device(device)
        precision = choose_precision(device, precision)
        try:
            import torch
            from transformers import BlipForConditionalGeneration, BlipProcessor
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            processor = BlipProcessor.from_pretrained(folder, local_files_only=True)
            model = BlipForConditionalGeneration.from_pretrained(
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
                _("The folder may be damaged or hold a model that is not BLIP captioning. "
                  "Download it again with: seesay download"),
            ) from None
        model.eval()
        if precision == "int8":
            model = _quantize_linear_layers(model)
        model.to(device)
        captioner = cls(
            model, processor, name=str(folder), device=device, precision=precision,
            options=options or CaptionOptions(),
        )
        if warm_up:  # weights are mapped lazily; pay for reading them now, not on the first real request
            from PIL import Image

            captioner.describe(Image.new("RGB", (64, 64), (128, 128, 128)))
        del torch
        return captioner

    def describe(self, image: ImageSource | LoadedImage, prompt: str | None = None) -> Caption:
        import torch

        started = time.perf_counter()
        picture = image if isinstance(image, LoadedImage) else load_image(image)
        options = self.options
        with torch.inference_mode():
            inputs = self._processor(images=picture.image, text=prompt or None, return_tensors="pt")
            pixel_values = inputs["pixel_values"].to(self.device, self._model.dtype)
            prompt_ids = inputs["input_ids"].to(self.device) if prompt else None
            if options.num_beams > 1:
                token_ids, logprobs = self._beam_search(pixel_values, prompt_ids)
            else:
                token_ids, logprobs = self._greedy(pixel_values, prompt_ids)
        tokenizer = self._processor.tokenizer
        text = tokenizer.decode(token_ids, skip_special_tokens=True).strip()
        return Caption(
            text=text,
            seconds=time.perf_counter() - started,
            token_logprobs=tuple(logprobs),
            tokens=tuple(tokenizer.convert_ids_to_tokens(token_ids[-len(logprobs):] if logprobs else [])),
            model=self.name,
            device=self.device,
            precision=self.precision,
        )

    def _start_ids(self, prompt_ids):
        import torch

        if prompt_ids is None:
            return torch.tensor([[self._bos_id]], device=self.device)
        start = prompt_ids[:, :-1].clone()  # drop the closing [SEP]; BLIP decodes from [DEC], not [CLS]
        start[:, 0] = self._bos_id
        return start

    def _greedy(self, pixel_values, prompt_ids) -> tuple[list[int], list[float]]:
        import torch

        model = self._model
        image_embeds = model.vision_model(pixel_values=pixel_values)[0]
        step_ids = self._start_ids(prompt_ids)
        token_ids = step_ids[0].tolist()
        logprobs: list[float] = []
        cache = None
        for step in range(self.options.max_new_tokens):
            output = model.text_decoder(
                input_ids=step_ids,
                encoder_hidden_states=image_embeds,
                cache=cache,
                use_cache=True,
                logits_to_keep=1,
            )
            cache = output.cache
            scores = torch.log_softmax(output.logits[0, -1].float(), dim=-1)
            if step < self.options.min_new_tokens:
                scores[self._sep_id] = float("-inf")
            token = int(scores.argmax())
            token_ids.append(token)
            logprobs.append(float(scores[token]))
            if token == self._sep_id:
                break
            step_ids = torch.tensor([[token]], device=self.device)
        return token_ids, logprobs

    def _beam_search(self, pixel_values, prompt_ids) -> tuple[list[int], list[float]]:
        model = self._model
        output = model.generate(
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


def _quantize_linear_layers(model):
    """Dynamic int8 for every linear layer: weights stored as int8, activations quantised per call."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated in favour of torchao
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
