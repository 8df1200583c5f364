"""The one long-lived worker thread that owns the models, seen from Qt.

``DescribeService`` (Qt-free) runs on a ``QThread``; what it reports arrives here on the
worker thread and leaves as signals, which Qt queues to the GUI thread. Requests go in
through the thread-safe ``RequestQueue``, so the GUI thread never waits on the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from seesay.app.priority import lower_this_thread
from seesay.describe.service import CaptionerLoader, DescribeService
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest, Description, DescriptionPart, Failure, ReloadModel


class WorkerSignals(QObject):
    """Emitted from the worker thread; connect GUI slots to them (they arrive queued)."""

    loading = Signal(str)
    ready = Signal(str)
    started = Signal(object)  # DescribeRequest
    #: the first part of a description, known before the rest is made (the window's name, a text
    #: screen's text): say it at once
    part = Signal(object)  # DescriptionPart
    described = Signal(object)  # Description
    cancelled = Signal(object)  # DescribeRequest
    failed = Signal(object)  # Failure


class _Events:
    """Adapts ``ServiceEvents`` calls to ``WorkerSignals``."""

    def __init__(self, signals: WorkerSignals) -> None:
        self._signals = signals

    def loading(self, message: str) -> None:
        self._signals.loading.emit(message)

    def ready(self, model_name: str) -> None:
        self._signals.ready.emit(model_name)

    def started(self, request: DescribeRequest) -> None:
        self._signals.started.emit(request)

    def part(self, part: DescriptionPart) -> None:
        self._signals.part.emit(part)

    def described(self, description: Description) -> None:
        self._signals.described.emit(description)

    def cancelled(self, request: DescribeRequest) -> None:
        self._signals.cancelled.emit(request)

    def failed(self, failure: Failure) -> None:
        self._signals.failed.emit(failure)


class DescribeWorker(QThread):
    """Start with ``start()``; submit requests from the GUI thread; ``shutdown()`` on quit."""

    def __init__(self, load: CaptionerLoader, values: Mapping[str, Any], parent: QObject | None = None,
                 load_answerer: CaptionerLoader | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seesay-worker")
        self.signals = WorkerSignals()
        self.queue = RequestQueue()
        language = values.get("language", "auto")  # which language's text the reader reads, with English
        self._service = DescribeService(self.queue, load, values, _Events(self.signals),
                                        make_reader=lambda: _text_reader(language), load_answerer=load_answerer)

    def run(self) -> None:  # on the worker thread
        lower_this_thread()  # before any model runs: threads it starts inherit the priority (Linux, macOS)
        self._service.run()

    def submit(self, request: DescribeRequest) -> list[DescribeRequest]:
        return self.queue.submit(request)

    def reload(self, values: Mapping[str, Any]) -> None:
        self.queue.submit(ReloadModel(dict(values)))

    def cancel(self) -> list[DescribeRequest]:
        return self.queue.cancel_all()

    def shutdown(self, wait_ms: int = 5000) -> None:
        self.queue.cancel_all()
        self.queue.close()
        self.wait(wait_ms)


def _text_reader(language: str):
    from seesay.vision.ocr import create_text_reader

    return create_text_reader(language)
