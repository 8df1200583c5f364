"""Pictures encoded for one batch of captions, detail mode's parts at a smaller size.

BLIP's image encoder is compute-bound: a picture costs the same whether it is captioned alone or in
a batch. Detail mode captions a picture and its four quarters, so it paid five encodings: 4.0x one
caption (``tests/benchmarks/bench_regions_and_questions.py``, BLIP-base-sized, int8, CPU). On the
CPU a part of a picture (a quarter in detail mode) is therefore encoded at two thirds of the
model's side, rounded up to whole patches (BLIP-base: 256 px and 256 patches instead of 384 px and
576, 0.38x the encoder's time, measured). A part still keeps more of its pixels than the whole
picture's encoding gives it (a quarter of a 1920x1080 screen: 1.33x as many a side), and it is
captioned on its own, which is what detail mode is for. The encoder's position embeddings are
interpolated to the smaller grid (transformers' ``interpolate_pos_encoding``). On a GPU, parts keep
the model's own size.

Pictures of the two sizes decode together in one batch, each size a group of its own whose
cross-attention reads only its own length (padding the smaller to the longer would cost the
decoder as much as before: the picture's keys and values are made and read at every step).
"""

from __future__ import annotations

import math

#: A part's side against the model's own, on the CPU.
PART_SCALE = 2 / 3


def part_side(side: int, patch: int) -> int:
    """The side a part is encoded at for a model of ``side`` pixels in patches of ``patch``."""
    return min(side, max(patch, math.ceil(side * PART_SCALE / patch) * patch))


def encode_pictures(model, processor, images: list, parts: list[bool] | None, device: str):
    """The image embeddings of ``images`` in groups of one size each ((pictures, positions, width)
    tensors), and the order of the pictures in them (the index in ``images`` of each row, group
    after group). ``parts``: one flag a picture, whether it is a part of another."""
    vision = model.vision_model
    config = model.config.vision_config
    own = config.image_size
    small = part_side(own, config.patch_size) if device == "cpu" else own
    sides = [small if part else own for part in (parts or [False] * len(images))]
    if set(sides) == {own}:  # as every picture was encoded before parts
        pixels = processor(images=images, return_tensors="pt")["pixel_values"].to(device, model.dtype)
        return [vision(pixel_values=pixels)[0]], list(range(len(images)))
    groups, order = [], []
    for side in sorted(set(sides), reverse=True):
        indices = [index for index, chosen in enumerate(sides) if chosen == side]
        pixels = processor(images=[images[index] for index in indices], return_tensors="pt",
                           size={"height": side, "width": side})["pixel_values"].to(device, model.dtype)
        groups.append(vision(pixel_values=pixels, interpolate_pos_encoding=side != own)[0])
        order += indices
    return groups, order
