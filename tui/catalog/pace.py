"""A long read in a worker thread, and the index of its text built after it, give way to
the keys and to a save: the one place that decides how.

CPython runs one thread at a time. A worker that never waits keeps the interpreter until the
event loop has asked for it for a whole switch interval (5 ms), so every key during a large
read waited that long, several times over (bench (m)). A worker that pauses for a moment
every EVERY records lets a waiting key in within a couple of milliseconds. A pause costs
about a tenth of a millisecond whether anyone waits or not: more often would slow the read
(bench (l)) more than it speeds the keys. Only threads other than the main one pause:
`tubeboard check` and a first read on the main thread have no keys to let in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

EVERY = 100  # records between pauses: about 2 ms of checking
PAUSE = 50e-6  # seconds: long enough for the waiting thread to wake and take the turn


def pacer(every: int | None = None) -> Callable[[], None]:
    """A step to call once per record (or per `every` such): every EVERY calls, off the main
    thread, it pauses."""
    if threading.current_thread() is threading.main_thread():
        return _nothing
    count = 0
    due = EVERY if every is None else every

    def step() -> None:
        nonlocal count
        count += 1
        if count >= due:
            count = 0
            time.sleep(PAUSE)

    return step


def _nothing() -> None:
    return None
