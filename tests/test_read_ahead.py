"""The thread that reads a worksheet ahead of its measuring."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from etl.read_ahead import read_ahead


def test_items_arrive_in_order_and_all_of_them() -> None:
    assert list(read_ahead(iter(range(1000)), depth=3)) == list(range(1000))


def test_the_producers_exception_is_raised_to_the_consumer_after_its_items() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("damaged")

    received = []
    with pytest.raises(ValueError, match="damaged"):
        for item in read_ahead(failing()):
            received.append(item)
    assert received == [1, 2]


def test_closing_early_stops_the_producer_before_returning() -> None:
    produced = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    before = threading.active_count()
    items = read_ahead(endless(), depth=2)
    assert next(items) == 0
    items.close()
    assert threading.active_count() == before  # the producer has ended
    count = len(produced)
    assert count <= 1 + 2 + 1  # the one taken, the queue, the one waiting to be put
    assert len(produced) == count  # and it reads nothing more
