"""A good neighbour to the screen reader: the model leaves a core free and works below normal priority."""

from __future__ import annotations

import os

import pytest

from seesay.app.priority import NICE
from seesay.vision.device import model_threads


@pytest.mark.parametrize(("cores", "threads"), [(1, 1), (2, 1), (4, 3), (16, 15)])
def test_the_model_leaves_one_core_for_the_screen_reader(cores, threads):
    assert model_threads(cores) == threads


def test_loading_a_model_limits_torch_to_the_model_threads(scene_model):
    import torch

    from seesay.vision.engine import load_captioner

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(os.cpu_count() or 1)
        load_captioner({"model": str(scene_model)}, folder=scene_model, warm_up=False)
        assert torch.get_num_threads() == model_threads()
    finally:
        torch.set_num_threads(before)


#: Run in a process of its own: in the test run's process an earlier test may already have made
#: OpenMP's threads, and the worker then starts none to look at (seen once, in a partial run).
WORKER_CHECK = """
import json, os, threading
from pathlib import Path
import torch
from seesay.app.priority import lower_this_thread

def nice_of(thread_id):
    return int(Path(f"/proc/self/task/{thread_id}/stat").read_text().rsplit(")", 1)[1].split()[16])

seen = {}
def worker():
    seen["lowered"] = lower_this_thread()
    seen["worker"] = nice_of(threading.get_native_id())
    existing = set(os.listdir("/proc/self/task"))
    torch.set_num_threads(2)  # a pool of its own, started by this thread (OpenMP)
    torch.ones(512, 512) @ torch.ones(512, 512)
    seen["started"] = [nice_of(int(t)) for t in set(os.listdir("/proc/self/task")) - existing]

thread = threading.Thread(target=worker)
thread.start()
thread.join(60)
seen["caller"] = nice_of(threading.get_native_id())
print(json.dumps(seen))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads thread priorities from Linux's /proc")
def test_the_worker_thread_and_the_threads_it_starts_run_below_normal_priority():
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", WORKER_CHECK], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["lowered"] is True
    assert seen["worker"] == NICE
    assert seen["started"] and all(nice == NICE for nice in seen["started"]), seen
    assert seen["caller"] == 0  # the caller (the GUI thread in the app) is untouched


def test_doctor_says_how_many_cores_the_model_uses_and_at_what_priority():
    from seesay.doctor import _device
    from seesay.vision.device import available_cores

    finding = _device({"device": "cpu"})
    assert f"{model_threads()} of {available_cores()} cores" in finding.detail
    assert "priority below normal" in finding.detail


def test_doctor_says_what_the_memory_budget_keeps():
    from seesay.doctor import _memory

    tight, roomy = _memory({"memory_budget": 1200}), _memory({"memory_budget": 4000})
    assert "question model (about 550 MiB more) is let go after each question" in tight.detail
    assert "both models (about 1370 MiB) may be kept" in roomy.detail
    assert "--memory-budget" in tight.fix
