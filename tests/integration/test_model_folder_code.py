"""The README's promise: "Only safetensors weights are loaded and no code from a model folder is
ever run". A model folder that asks for its own code (``auto_map`` in every config, the way
``trust_remote_code`` models do) and carries pickled weights whose loading would run code is used
for captions and questions, and nothing of it runs."""

from __future__ import annotations

import json
import pickle
import random
import shutil
from pathlib import Path

import pytest

from fixtures.scenes import Scene, draw_scene
from seesay.core.errors import SeesayError
from seesay.vision.blip import BlipCaptioner
from seesay.vision.vqa import BlipAnswerer

pytestmark = pytest.mark.slow
CODE = '''from pathlib import Path
Path({marker!r}).write_text("model folder code ran")
'''


class RunsWhenUnpickled:
    """Pickled weights that write ``marker`` when they are loaded (as torch.load of a .bin would)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return Path.write_text, (self.marker, "pickled weights ran")


def with_code(model: Path, folder: Path, marker: Path) -> Path:
    shutil.copytree(model, folder)
    (folder / "seesay_evil.py").write_text(CODE.format(marker=str(marker)))
    classes = {"AutoConfig": "seesay_evil.Config", "AutoModel": "seesay_evil.Model",
               "AutoModelForVision2Seq": "seesay_evil.Model", "AutoProcessor": "seesay_evil.Processor",
               "AutoImageProcessor": "seesay_evil.Processor", "AutoTokenizer": ["seesay_evil.Tokenizer", None]}
    for name in ("config.json", "processor_config.json", "tokenizer_config.json"):
        path = folder / name
        settings = json.loads(path.read_text())
        settings["auto_map"] = classes
        path.write_text(json.dumps(settings))
    with open(folder / "pytorch_model.bin", "wb") as weights:
        pickle.dump({"weights": RunsWhenUnpickled(marker)}, weights)
    return folder


def test_a_captioning_model_folder_with_code_runs_none_of_it(scene_model, tmp_path):
    marker = tmp_path / "ran.txt"
    folder = with_code(scene_model, tmp_path / "model", marker)
    captioner = BlipCaptioner.load(folder, precision="fp32")
    scene = Scene("blue", "circle", "white")
    assert captioner.describe(draw_scene(scene, (320, 240), random.Random(2))).text == scene.caption
    assert not marker.exists()


def test_a_question_model_folder_with_code_runs_none_of_it(vqa_model, tmp_path):
    marker = tmp_path / "ran.txt"
    folder = with_code(vqa_model, tmp_path / "model", marker)
    answerer = BlipAnswerer.load(folder, precision="fp32")
    scene = Scene("red", "square", "black")
    assert answerer.answer(draw_scene(scene, (320, 240), random.Random(2)), "what shape is it?").text == "square"
    assert not marker.exists()


def test_pickled_weights_alone_are_refused_unread(scene_model, tmp_path):
    marker = tmp_path / "ran.txt"
    folder = with_code(scene_model, tmp_path / "model", marker)
    (folder / "model.safetensors").unlink()
    with pytest.raises(SeesayError):
        BlipCaptioner.load(folder, precision="fp32")
    assert not marker.exists()


def test_the_traps_do_go_off_when_code_is_run(scene_model, tmp_path):
    """The control: what the folder holds does run code, when it is trusted or unpickled."""
    from transformers import AutoConfig

    marker = tmp_path / "ran.txt"
    folder = with_code(scene_model, tmp_path / "model", marker)
    with pytest.raises(AttributeError):  # the module ran, then had no class to give
        AutoConfig.from_pretrained(folder, trust_remote_code=True)
    assert marker.read_text() == "model folder code ran"
    marker.unlink()
    with open(folder / "pytorch_model.bin", "rb") as weights:
        pickle.load(weights)
    assert marker.read_text() == "pickled weights ran"
