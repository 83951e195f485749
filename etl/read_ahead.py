"""Produce an iterator's items in a thread while the caller consumes them.

Inflating a worksheet (zlib lets go of the GIL) then overlaps with measuring it (numpy
does too): about 0.1 s of 0.3 s on a million cells, on two cores.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

Item = TypeVar("Item")

_DONE = object()
_WAIT_SECONDS = 0.05  # how often a blocked producer checks whether it was stopped


def read_ahead(items: Iterator[Item], depth: int = 4) -> Generator[Item]:
    """``items``, produced up to ``depth`` ahead in a thread; its exception is raised here.

    Closing the returned generator early (``break``, an exception) stops the producer and
    waits for it, so that whatever it reads (a file handle) is free again afterwards.
    """
    ready: queue.Queue[object] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    producer = threading.Thread(target=produce, name="read-ahead", daemon=True)
    producer.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield cast(Item, item)
    finally:
        stop.set()
        producer.join()
