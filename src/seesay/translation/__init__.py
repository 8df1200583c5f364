"""Descriptions and answers in the person's language: offline translation.

BLIP writes English. When the ``language`` setting is not English, every caption and answer is
translated on this computer before it is put into what seesay says (``describe.pipeline.say``),
and a question typed in that language is translated into English for the question model.

- ``base``: the ``Translator`` protocol, the null translator (English passes through) and which
  models serve which language (``PAIRS``).
- ``ctranslate2_backend``: Marian (OPUS-MT) models converted to CTranslate2's format, run in int8.
- ``models``: finding a language pair's model offline (``--translation-model``, seesay's model
  store, the Hugging Face cache), converting a hub Marian model on first use (safetensors only).
- ``convert``: the conversion itself (needs torch and transformers, as the captioner does).
- ``session``: the pair in use for one person's language, loaded on first need, let go when idle,
  its problems said once; what the worker and ``seesay describe`` hold.

Nothing here imports Qt; CTranslate2 and sentencepiece are imported only when a model is loaded.
"""
