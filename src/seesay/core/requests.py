"""What flows from a trigger to the worker and back: requests, descriptions, failures."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from seesay.core.errors import SeesayError

_ids = itertools.count(1)


@dataclass(frozen=True)
class DescribeRequest:
    """One picture to describe. ``source`` is a path, encoded bytes or a PIL image."""

    source: Any
    #: What the user knows the picture as: a file name, "pasted image", "dropped image".
    label: str
    #: How it arrived: "file", "paste", "drop" (later: "screen", "window", "mouse", "clipboard").
    origin: str
    #: Part of a multi-file drop: kept in order, never superseded by a later request.
    batch: bool = False
    #: Said before the description: why the capture is not quite what was asked for.
    note: str | None = None
    #: The window it came from ("notes.txt - Mousepad"), said first.
    context: str | None = None
    #: Also describe the picture's regions with their place ("top left: ...").
    detail: bool = False
    #: A question about the picture: answered instead of describing it.
    question: str | None = None
    #: The request whose picture this is again: a question about it, or detail asked for by a
    #: double press. What was made for that request (encoding, caption, text) may be reused.
    about: int | None = None
    #: The scale of the desktop the picture was captured on (1.5 at 150%), where the capture knows it:
    #: its programs are read as drawn that much bigger than usual.
    drawn_at: float | None = None
    id: int = field(default_factory=lambda: next(_ids))


@dataclass(frozen=True)
class ReloadModel:
    """Ask the worker to (re)load the model with these settings."""

    values: Mapping[str, Any]


@dataclass(frozen=True)
class Description:
    request: DescribeRequest
    text: str
    seconds: float
    created: datetime = field(default_factory=datetime.now)
    #: The captioner's full result (token probabilities and all), when there is one.
    caption: Any = None
    #: Shown under the description: the caption's confidence and every line of text read.
    details: str = ""
    #: "text" or "picture": what the capture was mostly; "screen" for a screen with pictures inside
    #: (or none); "blank" for a capture with nothing to see; "answer" for an answered question
    mode: str = "picture"
    #: "plain", "hedged" or "unsure": how the caption (or answer) was spoken
    certainty: str = "plain"
    #: The text read on the picture (an OCR ``ReadText``), when there is one.
    read_text: Any = None
    #: Everything seen on the picture (``describe.pipeline.Seen``): layout, picture regions, captions.
    seen: Any = None
    #: None: nothing of it was said before it was ready (it is said whole, after the request's
    #: note). Else its first parts were said as soon as they were known (``DescriptionPart``) and
    #: this is the rest, to say after them ("" when nothing is left).
    unsaid: str | None = None
    #: Translation models (hub names) missing here, which the window offers to download: the
    #: description is in English until they are there.
    offer_download: tuple[str, ...] = ()


@dataclass(frozen=True)
class DescriptionPart:
    """The first part of a description, known before the rest is made: the window's name (at
    once), a text screen's text (before any caption). Said at once; the rest follows."""

    request: DescribeRequest
    text: str
    #: "window" or "text"
    what: str


@dataclass(frozen=True)
class Failure:
    """Something the user must hear about. ``request`` is None for failures of the app itself."""

    error: SeesayError
    request: DescribeRequest | None = None
