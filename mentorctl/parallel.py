"""Chunks of numpy work on every core: numpy releases the GIL inside its array operations, so
threads run a plan's independent chunks (candidate scoring, pricing) side by side."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Chunks in flight at once per worker: enough to keep the workers busy, few enough that the
# results waiting to be consumed stay small.
AHEAD = 2


def workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def in_threads(work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """work(item) for every item, on worker threads, yielded in the items' order (so callers
    that combine the results stay deterministic)."""
    count = workers()
    if count == 1:
        yield from map(work, items)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="mentorctl") as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= count * AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def alongside(background: Callable[[], R], foreground: Callable[[], T]) -> tuple[R, T]:
    """(background(), foreground()), the first on a worker thread while this one runs the
    second: for work that releases the GIL (a flow solve, numpy) beside other work."""
    if workers() == 1:
        return background(), foreground()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mentorctl") as pool:
        future = pool.submit(background)
        ahead = foreground()
        return future.result(), ahead
