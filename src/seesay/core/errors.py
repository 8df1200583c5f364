"""Errors that reach the user.

Every failure seesay expects is a ``SeesayError`` carrying a message a person can act on
and, where there is one, a hint saying what to do next. Anything else is a bug.
"""

from __future__ import annotations


class SeesayError(Exception):
    """A failure with a human message (already translated) and an optional hint. ``spoken``: what
    is said aloud instead of both, where they hold a command line or a file path: what to do, in
    words (the command lines and paths stay shown)."""

    def __init__(self, message: str, hint: str | None = None, *, spoken: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.spoken = spoken

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class ImageError(SeesayError):
    """The input could not be turned into a picture to describe."""


class ModelNotAvailableError(SeesayError):
    """The description model is not on this machine and could not be fetched."""


class ModelLoadError(SeesayError):
    """The model files are there but could not be loaded."""


class DeviceError(SeesayError):
    """The requested compute device or precision cannot be used here."""


class Cancelled(Exception):
    """A request was cancelled while it ran; not an error, nothing to tell the user."""
