"""Captions for many pictures in shared batches, while the next pictures are being read.

A folder job runs ``pipeline.look`` for several pictures at once, one per worker thread: each
reads its file, its text (tesseract lets go of Python's lock) and its layout. When a picture
needs captions, ``look`` asks the captioner for a batch, and gets the ``ModelRoom``'s stand-in:
the request waits, and the room's one model thread puts together what every waiting picture
asked for, up to ``max_batch`` pictures, into one real ``describe_batch`` call (one image-encoder
pass and one decoding loop for all), and hands each its own captions. It starts a batch when it
is full or when no picture is still being read (waiting longer would gain nothing). So the
pictures are described exactly as ``seesay describe FILE`` describes each one (the same
``look``), only together; and reading the next files overlaps with decoding the present batch.

The models are used by the room's thread only, except by calls that do not batch (a prompt, beam
search, CapFilt), which take the same lock. Those are slow anyway; a folder job with them
runs one picture at a time (``can_batch``).
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("seesay.batches")


def can_batch(captioner_options, candidates: int) -> bool:
    return getattr(captioner_options, "num_beams", 1) == 1 and candidates <= 1


@dataclass(eq=False)
class _Request:
    kind: str  # "caption", "match" or "vector"
    items: list
    done: bool = False
    result: list = field(default_factory=list)
    error: BaseException | None = None


class ModelRoom:
    """One thread that runs the models in batches for many pictures being described at once."""

    def __init__(self, captioner, matcher, *, max_batch: int, cancelled: Callable[[], bool]) -> None:
        self._captioner = captioner
        self._matcher = matcher
        self.max_batch = max(1, max_batch)
        self._cancelled = cancelled
        self.lock = threading.RLock()  # the models: one user at a time
        self._changed = threading.Condition()
        self._waiting: list[_Request] = []
        self._reading = 0  # pictures being worked on that are not waiting for the model
        self._closed = False
        self.batches: list[int] = []  # pictures in each batch made (for the benchmark and tests)
        self._thread = threading.Thread(target=self._serve, name="seesay-batches", daemon=True)
        self._thread.start()
        self.captioner = _BatchedCaptioner(self, captioner)
        self.matcher = _BatchedMatcher(self, matcher) if matcher is not None else None

    @contextmanager
    def picture(self):
        """Around the work on one picture: while inside, the room may wait for its request."""
        with self._changed:
            self._reading += 1
        try:
            yield
        finally:
            with self._changed:
                self._reading -= 1
                self._changed.notify_all()

    def ask(self, kind: str, items: list) -> list:
        request = _Request(kind, list(items))
        if not request.items:
            return []
        with self._changed:
            self._waiting.append(request)
            self._reading -= 1
            self._changed.notify_all()
            while not request.done:
                self._changed.wait()
            self._reading += 1
        if request.error is not None:
            raise request.error
        return request.result

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join(timeout=30)

    def _ready(self) -> bool:
        waiting = sum(len(request.items) for request in self._waiting)
        return bool(self._waiting) and (self._reading <= 0 or waiting >= self.max_batch or self._closed)

    def _serve(self) -> None:
        while True:
            with self._changed:
                while not self._ready() and not (self._closed and not self._waiting):
                    self._changed.wait()
                if not self._waiting:
                    return
                kind = self._waiting[0].kind
                taken, count = [], 0
                for request in list(self._waiting):
                    if request.kind == kind and (not taken or count + len(request.items) <= self.max_batch):
                        taken.append(request)
                        count += len(request.items)
                        self._waiting.remove(request)
            try:
                items = [item for request in taken for item in request.items]
                with self.lock:
                    if kind == "caption":  # (picture, whether it is a part of another) each
                        pictures, parts = [item[0] for item in items], [item[1] for item in items]
                        results = (self._captioner.describe_batch(pictures, self._cancelled, parts=parts)
                                   if any(parts) else self._captioner.describe_batch(pictures, self._cancelled))
                    elif kind == "match":
                        results = self._matcher.match_pairs(items, self._cancelled)
                    else:  # "vector": embeddings for search by meaning
                        from seesay.vision.itm_search import picture_vectors

                        results = picture_vectors(self._matcher, items)
                self.batches.append(len(items))
                error = None
            except BaseException as failure:  # noqa: BLE001 - handed to every picture of the batch
                results, error = [], failure
            with self._changed:
                at = 0
                for request in taken:
                    request.result = results[at:at + len(request.items)] if error is None else []
                    request.error = error
                    request.done = True
                    at += len(request.items)
                self._changed.notify_all()


class _BatchedCaptioner:
    """What ``look`` sees as the captioner: batches go through the room, anything else takes its lock."""

    def __init__(self, room: ModelRoom, captioner) -> None:
        self._room = room
        self._real = captioner

    def describe_batch(self, images: list, cancelled: Callable[[], bool] | None = None,
                       parts: list[bool] | None = None) -> list:
        return self._room.ask("caption", list(zip(images, parts or [False] * len(images))))

    def describe(self, *args, **kwargs):
        with self._room.lock:
            return self._real.describe(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # name, options, device, precision
        return _locked(self._room, getattr(self._real, name))


def _locked(room: ModelRoom, value: Any) -> Any:
    """Any other method of a model, called from a worker thread, runs under the room's lock; data as it is."""
    if not inspect.ismethod(value):
        return value

    def call(*args, **kwargs):
        with room.lock:
            return value(*args, **kwargs)

    return call


class _BatchedMatcher:
    def __init__(self, room: ModelRoom, matcher) -> None:
        self._room = room
        self._real = matcher

    def match_pairs(self, pairs, cancelled: Callable[[], bool] | None = None) -> list:
        return self._room.ask("match", pairs)

    def match_many(self, *args, **kwargs):
        with self._room.lock:
            return self._real.match_many(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return _locked(self._room, getattr(self._real, name))
