"""The worker's in-tray: the latest single request wins, dropped batches keep their order."""

from __future__ import annotations

import threading

from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest, ReloadModel


def request(label: str, batch: bool = False) -> DescribeRequest:
    return DescribeRequest(source=b"", label=label, origin="test", batch=batch)


def test_a_new_single_request_supersedes_the_waiting_one():
    queue = RequestQueue()
    first, second = request("first"), request("second")
    assert queue.submit(first) == []
    assert queue.submit(second) == [first]
    assert queue.take(0) is second
    assert queue.take(0) is None


def test_a_batch_keeps_its_order_and_is_not_superseded():
    queue = RequestQueue()
    batch = [request(f"file {n}", batch=True) for n in range(3)]
    for item in batch:
        queue.submit(item)
    single = request("paste")
    assert queue.submit(single) == []
    assert [queue.take(0) for _ in range(4)] == [*batch, single]


def test_cancel_marks_the_running_request_and_drops_the_waiting():
    queue = RequestQueue()
    running, waiting = request("running"), request("waiting", batch=True)
    queue.submit(running)
    assert queue.take(0) is running
    queue.submit(waiting)
    assert queue.cancel_all() == [waiting]
    assert queue.is_cancelled(running)
    assert queue.pending() == 0


def test_reload_goes_first_and_only_the_latest_counts():
    queue = RequestQueue()
    queue.submit(request("picture"))
    queue.submit(ReloadModel({"model": "a"}))
    latest = ReloadModel({"model": "b"})
    queue.submit(latest)
    assert queue.take(0) is latest
    assert queue.take(0).label == "picture"


def test_take_blocks_until_something_arrives_or_the_queue_closes():
    queue = RequestQueue()
    got = []
    taker = threading.Thread(target=lambda: got.append(queue.take()))
    taker.start()
    item = request("late")
    queue.submit(item)
    taker.join(5)
    assert got == [item]
    closer = threading.Thread(target=lambda: got.append(queue.take()))
    closer.start()
    queue.close()
    closer.join(5)
    assert got[-1] is None
