"""The worker's in-tray: thread-safe, newest single request wins, batches keep their order.

Qt-free. The GUI thread submits and cancels; the worker thread takes. A single request
(paste, open, a hotkey) replaces any single request still waiting, because the user wants
the latest thing described, not a backlog. Files dropped together are kept in order.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Union

from seesay.core.requests import DescribeRequest, ReloadModel

Item = Union[DescribeRequest, ReloadModel]


class RequestQueue:
    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._waiting: deque[Item] = deque()
        self._running: DescribeRequest | None = None
        self._cancelled: set[int] = set()
        self._closed = False

    def submit(self, item: Item) -> list[DescribeRequest]:
        """Queue ``item``; returns the waiting requests it superseded."""
        with self._condition:
            superseded: list[DescribeRequest] = []
            if isinstance(item, DescribeRequest) and not item.batch:
                superseded = [w for w in self._waiting if isinstance(w, DescribeRequest) and not w.batch]
                self._waiting = deque(w for w in self._waiting if w not in superseded)
            if isinstance(item, ReloadModel):  # the model to use is the latest one asked for
                self._waiting = deque(w for w in self._waiting if not isinstance(w, ReloadModel))
                self._waiting.appendleft(item)
            else:
                self._waiting.append(item)
            self._condition.notify_all()
            return superseded

    def take(self, timeout: float | None = None) -> Item | None:
        """The next item (blocking), or None once the queue is closed or ``timeout`` passed."""
        with self._condition:
            self._running = None
            if not self._condition.wait_for(lambda: self._waiting or self._closed, timeout=timeout):
                return None
            if self._closed:
                return None
            item = self._waiting.popleft()
            if isinstance(item, DescribeRequest):
                self._running = item
            return item

    def cancel_running(self) -> DescribeRequest | None:
        with self._condition:
            if self._running is not None:
                self._cancelled.add(self._running.id)
            return self._running

    def cancel_all(self) -> list[DescribeRequest]:
        """Drop everything waiting and cancel what runs; returns the dropped requests."""
        with self._condition:
            dropped = [w for w in self._waiting if isinstance(w, DescribeRequest)]
            self._waiting = deque(w for w in self._waiting if not isinstance(w, DescribeRequest))
            if self._running is not None:
                self._cancelled.add(self._running.id)
            return dropped

    def is_cancelled(self, request: DescribeRequest) -> bool:
        with self._condition:
            return request.id in self._cancelled or self._closed

    def pending(self) -> int:
        with self._condition:
            return len(self._waiting)

    @property
    def closed(self) -> bool:
        with self._condition:
            return self._closed

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()
