"""Bytes the interpreter allocated while making something: the memory tests' one measure,
which does not depend on the machine's load."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def traced(make: Callable[[], T]) -> tuple[T, int, int]:
    """What `make` returns, the bytes it left allocated, and the most it had at once."""
    tracemalloc.start()
    try:
        made = make()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return made, kept, peak
