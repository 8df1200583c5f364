from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SCENE_CAPTION_MODEL = TESTS / "fixtures" / "models" / "scenes-caption"
SCENE_VQA_MODEL = SCENE_CAPTION_MODEL.parent / "scenes-vqa"


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Logs, caches and configs go to a temporary home; nothing reaches the network."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("HF_HOME", str(home / ".cache" / "huggingface"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the discard port: refused at once
    yield


@pytest.fixture(scope="session")
def scene_model() -> Path:
    assert (SCENE_CAPTION_MODEL / "model.safetensors").is_file(), (
        "the trained scene model is missing: run python tests/fixtures/train_scene_models.py"
    )
    return SCENE_CAPTION_MODEL


@pytest.fixture(scope="session")
def vqa_model() -> Path:
    assert (SCENE_VQA_MODEL / "model.safetensors").is_file(), (
        "the trained question-answering model is missing: run python tests/fixtures/train_scene_models.py vqa"
    )
    return SCENE_VQA_MODEL


@pytest.fixture
def scene_model_copy(scene_model, tmp_path) -> Path:
    copy = tmp_path / "scenes-caption"
    shutil.copytree(scene_model, copy)
    return copy


@pytest.fixture(scope="session")
def pulse_env():
    """Environment for a real, real-time audio output (PulseAudio with a null sink)."""
    from fixtures.desktop import pulseaudio_null_sink

    with pulseaudio_null_sink() as env:
        yield env


@pytest.fixture
def audio(pulse_env, monkeypatch):
    for key, value in pulse_env.items():
        monkeypatch.setenv(key, value)
    return pulse_env


@pytest.fixture(scope="session")
def slow_model(tmp_path_factory) -> Path:
    """A random-weight BLIP big enough that one caption takes a noticeable time (threading tests)."""
    from fixtures.random_models import build_random_blip

    return build_random_blip(tmp_path_factory.mktemp("slow-model"), hidden=384, layers=6, image_size=384)


# ---- Speech Dispatcher ------------------------------------------------------------------------------
# Here for every test folder: libspeechd keeps the socket path it first used for the life of the process,
# so the unit and GUI tests of one run must share one private Speech Dispatcher runtime folder.
@pytest.fixture(scope="session")
def speech_dispatcher():
    """One private Speech Dispatcher runtime folder for every test in this process: the client library
    keeps the socket path it first used for the life of the process, so a second folder is never reached."""
    from fixtures.speech_dispatcher import captured_speech

    with captured_speech() as capture:
        yield capture


def _use(capture, monkeypatch, broken=False):
    capture.use(broken=broken)
    for key, value in capture.env.items():
        monkeypatch.setenv(key, value)
    return capture


@pytest.fixture
def speechd(speech_dispatcher, monkeypatch):
    """A Speech Dispatcher that writes what it is asked to say to a file (started on first use)."""
    return _use(speech_dispatcher, monkeypatch)


@pytest.fixture
def no_speechd(speech_dispatcher, monkeypatch):
    """A Speech Dispatcher is installed but cannot start (as on a machine without sound)."""
    return _use(speech_dispatcher, monkeypatch, broken=True)
