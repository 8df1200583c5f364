"""The captioner itself, on the trained scene model, through the same loading code as real BLIP."""

from __future__ import annotations

import random

import pytest
from PIL import Image

from fixtures.scenes import Scene, draw_random_scene, draw_scene
from seesay.vision.blip import BlipCaptioner
from seesay.vision.caption import CaptionOptions
from seesay.vision.engine import load_captioner

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fp32(scene_model):
    return BlipCaptioner.load(scene_model, device="cpu", precision="fp32")


def held_out(count: int, seed: int = 77):
    rng = random.Random(seed)
    return [draw_random_scene(rng) for _ in range(count)]


def test_lean_greedy_loop_matches_transformers_generate(fp32, scene_model):
    """The reference is transformers' own ``generate`` on a model loaded afresh by transformers alone,
    not the captioner's (whose image encoder seesay patches)."""
    import torch
    from transformers import BlipForConditionalGeneration, BlipProcessor

    model = BlipForConditionalGeneration.from_pretrained(scene_model, dtype=torch.float32).eval()
    processor = BlipProcessor.from_pretrained(scene_model)
    for _scene, image in held_out(20):
        with torch.inference_mode():
            reference = model.generate(**processor(images=image, return_tensors="pt"), max_new_tokens=30)
        expected = processor.decode(reference[0], skip_special_tokens=True)
        assert fp32.describe(image).text == expected


def test_caption_keeps_token_probabilities(fp32):
    scene = Scene("green", "square", "black")
    caption = fp32.describe(draw_scene(scene, (500, 400), random.Random(8)))
    assert caption.text == scene.caption
    assert len(caption.token_logprobs) == len(caption.tokens) == 8  # 7 words and the end marker
    assert caption.tokens[1] == "green"
    assert all(lp <= 0 for lp in caption.token_logprobs)
    assert caption.weakest_token_probability > 0.9  # the measure seesay speaks by: every word is sure
    assert caption.seconds > 0 and caption.device == "cpu" and caption.precision == "fp32"


def test_a_confused_input_is_less_certain_than_a_clear_scene(fp32):
    from PIL import Image

    clear = fp32.describe(draw_scene(Scene("red", "circle", "white"), (400, 400), random.Random(9)))
    noise = fp32.describe(Image.effect_noise((400, 400), 120).convert("RGB"))
    assert noise.weakest_token_probability < clear.weakest_token_probability


def test_prompt_starts_the_caption(fp32):
    scene = Scene("blue", "triangle", "white")
    image = draw_scene(scene, (400, 300), random.Random(10))
    assert fp32.describe(image, prompt="a blue").text == scene.caption


def test_beam_search_gives_the_same_caption_with_probabilities(scene_model):
    beams = BlipCaptioner.load(scene_model, device="cpu", precision="fp32", options=CaptionOptions(num_beams=3))
    for scene, image in held_out(5, seed=11):
        caption = beams.describe(image)
        assert caption.text == scene.caption
        assert caption.token_logprobs and all(lp <= 0 for lp in caption.token_logprobs)


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_reduced_precision_keeps_the_captions(scene_model, fp32, precision):
    reduced = BlipCaptioner.load(scene_model, device="cpu", precision=precision)
    scenes = held_out(40, seed=12)
    same = sum(reduced.describe(image).text == fp32.describe(image).text for _scene, image in scenes)
    assert same == len(scenes)  # measured 100 of 100 (models/scenes-caption/scores.json): no room for 38 of 40


def test_settings_load_the_default_precision(scene_model):
    captioner = load_captioner({"model": str(scene_model), "device": "auto", "precision": "auto"})
    assert captioner.precision == "int8"


def test_a_batch_gives_each_picture_its_own_caption(fp32):
    pictures = held_out(6, seed=91)
    batch = fp32.describe_batch([image for _scene, image in pictures])
    for (scene, image), caption in zip(pictures, batch):
        single = fp32.describe(image)
        assert caption.text == single.text == scene.caption
        assert caption.token_logprobs == pytest.approx(single.token_logprobs, abs=1e-3)


def test_int8_layers_saved_beside_the_model_give_the_same_captions_and_are_made_again_when_stale(
        scene_model_copy, monkeypatch):
    """A later start loads the int8 layers the first one made (BLIP-base: 1.3 s instead of 4 s,
    bench_model_load.py) and says the same thing, to the last bit of every token's probability; a
    damaged file, or weights changed under it, is quantised again, never used."""
    from seesay.vision import blip

    monkeypatch.setattr(blip, "SAVED_INT8_FROM_BYTES", 0)  # the scene model is small: save beside it too
    saved = scene_model_copy / blip.SAVED_INT8
    first = BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert saved.is_file() and saved.stat().st_mode & 0o777 == 0o600
    made = saved.stat().st_mtime_ns
    second = BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert saved.stat().st_mtime_ns == made  # read, not made again
    for _scene, image in held_out(10, seed=5):
        expected = first.describe(image)
        again = second.describe(image)
        assert (again.text, again.token_logprobs) == (expected.text, expected.token_logprobs)

    saved.write_bytes(saved.read_bytes()[:1000])  # cut short
    third = BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert saved.stat().st_size > 1000
    weights = scene_model_copy / "model.safetensors"
    weights.write_bytes(weights.read_bytes())  # the same bytes written again: a newer file
    made = saved.stat().st_mtime_ns
    fourth = BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert saved.stat().st_mtime_ns != made
    _scene, image = held_out(1, seed=9)[0]
    assert third.describe(image).text == fourth.describe(image).text == first.describe(image).text


def test_the_int8_decoder_of_bf16_int8_is_saved_apart_and_used_again(scene_model_copy, monkeypatch):
    """``bf16+int8`` (auto's choice on AMX machines) keeps its int8 decoder beside the model too, in a
    file of its own: a start in int8 and one in bf16+int8, one after the other, each read their own
    file and make neither again; the captions are the same as when the decoder was quantised."""
    from seesay.vision import blip

    monkeypatch.setattr(blip, "SAVED_INT8_FROM_BYTES", 0)
    whole, decoder = scene_model_copy / blip.SAVED_INT8, scene_model_copy / blip.SAVED_DECODER_INT8
    first = BlipCaptioner.load(scene_model_copy, device="cpu", precision="bf16+int8")
    assert decoder.is_file() and not whole.exists() and decoder.stat().st_mode & 0o777 == 0o600
    BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    made = whole.stat().st_mtime_ns, decoder.stat().st_mtime_ns
    second = BlipCaptioner.load(scene_model_copy, device="cpu", precision="bf16+int8")
    BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert (whole.stat().st_mtime_ns, decoder.stat().st_mtime_ns) == made  # read, neither made again
    for _scene, image in held_out(5, seed=6):
        expected, again = first.describe(image), second.describe(image)
        assert (again.text, again.token_logprobs) == (expected.text, expected.token_logprobs)


def test_nothing_is_saved_beside_a_small_model(scene_model_copy):
    from seesay.vision import blip

    BlipCaptioner.load(scene_model_copy, device="cpu", precision="int8")
    assert not (scene_model_copy / blip.SAVED_INT8).exists()  # quantising it takes milliseconds


def test_the_bf16_encoder_with_the_int8_decoder_says_what_fp32_says(fp32, scene_model):
    """What ``precision auto`` picks on a CPU with AMX (``device.caption_precision``), run here
    by name: greedy, batched and beam-search captions of held-out scenes are fp32's."""
    from seesay.vision.device import MIXED

    mixed = BlipCaptioner.load(scene_model, device="cpu", precision=MIXED)
    beams = BlipCaptioner.load(scene_model, device="cpu", precision=MIXED, options=CaptionOptions(num_beams=3))
    assert mixed.precision == "bf16+int8"
    pictures = [image for _scene, image in held_out(20, seed=31)]
    expected = [fp32.describe(image).text for image in pictures]
    assert [mixed.describe(image).text for image in pictures] == expected
    assert [caption.text for caption in mixed.describe_batch(pictures[:5])] == expected[:5]
    assert [beams.describe(image).text for image in pictures[:5]] == expected[:5]


def test_the_int8_decoder_says_the_same_with_its_step_compiled_or_from_python(scene_model, fp32, monkeypatch):
    """The int8 decoder's step runs as one call compiled by TorchScript (``decoder_script``); where
    TorchScript cannot compile it (a bundle without the source) the step is made from Python: the
    same captions, with the same probabilities, as fp32's."""
    import torch

    from seesay.vision import decoder_script

    compiled = BlipCaptioner.load(scene_model, device="cpu", precision="int8")
    assert compiled._decoder._compiled is not None

    def no_source(function):
        raise OSError("could not get source code")

    monkeypatch.setattr(torch.jit, "script", no_source)
    monkeypatch.setattr(decoder_script, "_COMPILED", {})
    from_python = BlipCaptioner.load(scene_model, device="cpu", precision="int8")
    assert from_python._decoder._compiled is None
    for _scene, image in held_out(15, seed=31):
        said, again = compiled.describe(image), from_python.describe(image)
        assert said.text == again.text == fp32.describe(image).text
        assert said.token_logprobs == again.token_logprobs


def encoded_sides(captioner) -> list[int]:
    """The side of every picture the captioner's image encoder is given from now on."""
    sides: list[int] = []

    def seen(_module, args, kwargs):
        pixels = args[0] if args else kwargs["pixel_values"]
        sides.extend([pixels.shape[-1]] * pixels.shape[0])

    captioner._model.vision_model.register_forward_pre_hook(seen, with_kwargs=True)
    return sides


@pytest.fixture(scope="module")
def int8(scene_model):
    return BlipCaptioner.load(scene_model, device="cpu", precision="int8")


def test_detail_parts_are_encoded_smaller_and_say_what_they_say_alone(int8):
    """Detail mode's parts (a picture's quarters) are encoded at two thirds of the model's side on
    the CPU (the scene model's 64 px: 48), so detail mode costs far less than five whole encodings;
    they decode in one batch with the whole picture, encoded at its full size, and each says what
    it says without the others."""
    from fixtures.scenes import draw_grid, random_scene
    from seesay.vision.regions import grid_regions

    sides = encoded_sides(int8)
    rng = random.Random(12)
    for seed in range(3):
        scenes = [random_scene(rng) for _ in range(4)]
        picture = draw_grid(scenes, (640, 400), seed=seed)
        quarters = [region.image for region in grid_regions(picture)]
        sides.clear()
        together = int8.describe_batch([picture, *quarters], parts=[False, True, True, True, True])
        assert sorted(sides) == [48, 48, 48, 48, 64]
        assert [caption.text for caption in together[1:]] == [scene.caption for scene in scenes]
        assert together[0].text == int8.describe(picture).text
        alone = int8.describe_batch(quarters, parts=[True] * 4)
        assert [caption.text for caption in alone] == [scene.caption for scene in scenes]
        for mixed, apart in zip(together[1:], alone):
            assert mixed.token_logprobs == pytest.approx(apart.token_logprobs, abs=0.05)


def test_detail_mode_asks_for_its_quarters_as_parts(int8):
    """Through the describe pipeline (what the keys, the window and ``seesay --detail on describe``
    use): a photo described in detail is encoded whole at the model's size and its four quarters
    smaller, and each quarter gets a caption of its own."""
    from fixtures.photo_screens import PHOTOS
    from seesay.describe.pipeline import look

    sides = encoded_sides(int8)
    seen = look(Image.open(PHOTOS / "chelsea.jpg").convert("RGB"), int8, None, detail=True)
    assert seen.is_one_picture
    assert sorted(sides) == [48, 48, 48, 48, 64], sides
    assert [place for place, _caption in seen.quarters] == ["top left", "top right", "bottom left", "bottom right"]
    assert all(caption is not None and caption.text for _place, caption in seen.quarters)
