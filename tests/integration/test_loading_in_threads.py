"""Two models loaded at once in one process (two seesay windows in one test process, the caption
and question models) must not leave torch making every later model on the "meta" device: the
loading code of transformers enters torch's device context, which is process-wide, so loads
that overlap can leave it set (seen: every model loaded afterwards in the run was empty)."""

from __future__ import annotations

import threading

import pytest

from seesay.vision.blip import load_blip

pytestmark = pytest.mark.slow


def test_models_loaded_at_once_on_several_threads_are_real_and_leave_no_meta_device(scene_model):
    import torch

    loaded, failures = [], []

    def load() -> None:
        try:
            loaded.append(load_blip("BlipForConditionalGeneration", scene_model, device="cpu", precision="int8",
                                    hint="")[0])
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    for _round in range(3):
        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert not failures, failures
    assert torch.empty(1).device.type == "cpu"  # the default device is still the CPU
    model = load_blip("BlipForConditionalGeneration", scene_model, device="cpu", precision="fp32", hint="")[0]
    assert all(parameter.device.type == "cpu" for parameter in model.parameters())
    assert all(parameter.device.type != "meta" for model in loaded for parameter in model.parameters())
