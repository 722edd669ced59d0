"""A long read in a worker thread, and the index of its text built after it, give way to
the keys and to a save: the one place that decides how.

CPython runs one thread at a time. A worker that never waits keeps the interpreter until the
event loop has asked for it for a whole switch interval (5 ms), so every key during a large
read waited that long, several times over (bench (m)). A worker that pauses for a moment
every EVERY records lets a waiting key in within a couple of milliseconds. A pause costs
about a tenth of a millisecond whether anyone waits or not: more often would slow the read
(bench (l)) more than it speeds the keys. Only threads other than the main one pause:
`tubeboard check` and a first read on the main thread have no keys to let in.

A save on the event loop makes a score of system calls (read, lock, write, fsync, rename),
and after each it waits for its turn again: behind a worker, each wait is up to a pause's
distance, and a save made the moment 10,000 tubes were read took 70 ms instead of 20 (bench
(d)). So the main thread may ask to run `alone()`: a worker that reaches its next pause then
waits until it is done, at most HOLD_SECONDS (a worker may hold something the main thread
asks for, such as a property being computed; it then goes on rather than waits for good).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

EVERY = 100  # records between pauses: about 2 ms of checking
PAUSE = 50e-6  # seconds: long enough for the waiting thread to wake and take the turn
HOLD_SECONDS = 0.5  # the longest a worker waits for the main thread's `alone`

_free = threading.Event()  # clear while the main thread runs alone
_free.set()


@contextlib.contextmanager
def alone() -> Iterator[None]:
    """On the main thread: workers wait at their next pause until this ends. Elsewhere, and
    nested, nothing."""
    if threading.current_thread() is not threading.main_thread() or not _free.is_set():
        yield
        return
    _free.clear()
    try:
        yield
    finally:
        _free.set()


def held() -> bool:
    """Whether workers wait now for the main thread (see `alone`)."""
    return not _free.is_set()


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
            if not _free.is_set() and not _free.wait(HOLD_SECONDS):
                _free.set()  # held too long: this hold is over for every worker

    return step


def _nothing() -> None:
    return None
