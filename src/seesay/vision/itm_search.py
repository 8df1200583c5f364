"""Search by meaning: BLIP's contrastive embeddings, from the image-text matcher (``vision.itm``).

BLIP's matcher holds, besides its matching head, BLIP's image-text contrastive embeddings: the
picture's first token through ``vision_proj`` and the text's first token (the text encoder read
on its own, without the picture) through ``text_proj``, both made unit length, so that a picture
and words that fit it point the same way (Salesforce/blip-itm-base-coco: 256 numbers). A
picture's vector is kept in the picture index when it is described; a search's words are made
into a vector and compared with all of them (``describe.index``).

Runs where the matcher runs (the worker or the folder job's model thread); the vectors leave as
plain float32 bytes, so nothing outside ``vision`` touches torch.
"""

from __future__ import annotations

from collections.abc import Sequence


def picture_vectors(matcher, pictures: Sequence) -> list[bytes]:
    """Each picture's unit-length embedding, as float32 bytes (PIL images, one batch)."""
    import torch

    model, processor = matcher._model, matcher._processor
    with torch.inference_mode():
        pixels = processor(images=list(pictures), return_tensors="pt")["pixel_values"]
        first = model.vision_model(pixel_values=pixels.to(matcher.device, model.dtype))[0][:, 0, :]
        vectors = torch.nn.functional.normalize(model.vision_proj(first).float(), dim=-1)
    return [vector.cpu().numpy().astype("float32").tobytes() for vector in vectors]


def words_vector(matcher, words: str) -> bytes:
    """The words' unit-length embedding, as float32 bytes."""
    import torch

    model, processor = matcher._model, matcher._processor
    limit = model.config.text_config.max_position_embeddings
    with torch.inference_mode():
        tokens = processor.tokenizer([words.strip().lower()], truncation=True, max_length=limit,
                                     return_tensors="pt").to(matcher.device)
        first = model.text_encoder(input_ids=tokens["input_ids"], attention_mask=tokens["attention_mask"],
                                   return_dict=False)[0][:, 0, :]
        vector = torch.nn.functional.normalize(model.text_proj(first).float(), dim=-1)[0]
    return vector.cpu().numpy().astype("float32").tobytes()
