"""The macOS Screen Recording check (see packaging/macos/README.md), with CoreGraphics faked:
the real one runs only on a Mac."""

from __future__ import annotations

import sys

import pytest

from seesay.capture import macos_permissions, screen


class FakeFunction:
    def __init__(self, answer: bool, calls: list[str], name: str):
        self.answer, self.calls, self.name = answer, calls, name

    def __call__(self):
        self.calls.append(self.name)
        return self.answer


class FakeCoreGraphics:
    def __init__(self, preflight: bool, request: bool | None = None):
        self.calls: list[str] = []
        self.CGPreflightScreenCaptureAccess = FakeFunction(preflight, self.calls, "preflight")
        if request is not None:
            self.CGRequestScreenCaptureAccess = FakeFunction(request, self.calls, "request")


@pytest.fixture
def on_macos(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")

    def use(library):
        monkeypatch.setattr(macos_permissions, "_coregraphics", lambda: library)
        return library

    return use


def test_elsewhere_nothing_is_asked():
    assert macos_permissions.screen_recording_allowed(ask=True) is None


def test_allowed_capture_has_no_reason(on_macos):
    library = on_macos(FakeCoreGraphics(preflight=True, request=False))
    assert screen.unavailable_reason() is None
    assert library.calls == ["preflight"]  # no prompt when it is already allowed


def test_refused_capture_says_where_to_allow_it(on_macos):
    library = on_macos(FakeCoreGraphics(preflight=False, request=False))
    reason = screen.unavailable_reason()
    assert "Screen Recording" in reason.split(". ")[0]  # the part seesay doctor shows
    assert library.calls == ["preflight", "request"]  # the system prompt, shown by macOS once


@pytest.mark.parametrize("library", [None, FakeCoreGraphics.__new__(FakeCoreGraphics)])
def test_old_macos_or_no_coregraphics_is_not_a_refusal(on_macos, library):
    on_macos(library)  # no library, or one without the 10.15 functions
    assert macos_permissions.screen_recording_allowed(ask=True) is None
    assert screen.unavailable_reason() is None
