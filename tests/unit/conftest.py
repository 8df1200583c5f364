"""Fixtures for the unit tests that reach a real Speech Dispatcher from this process."""

from __future__ import annotations

import pytest

from fixtures.speech_dispatcher import captured_speech


@pytest.fixture(scope="session")
def speech_dispatcher():
    """One private Speech Dispatcher runtime folder for every test in this process: the client library
    keeps the socket path it first used for the life of the process, so a second folder is never reached."""
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
