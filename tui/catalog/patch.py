"""Byte-level differences between two versions of a file, found by comparing in place.

A save keeps the file it replaced so that undo can put it back byte for byte. Holding every
version whole would cost the file's size per save (2.3 MB at 10,000 tubes); a Patch keeps
only what the save took out, and a digest to recognise the bytes it wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import attr

BLOCK = 1 << 16  # compared in place a block at a time, then halved down to the byte


def common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes `a` and `b` share."""
    if b.startswith(a):
        return len(a)  # an append: the usual case
    view = memoryview(a)
    return _shared(min(len(a), len(b)), lambda lo, hi: b.startswith(view[lo:hi], lo))


def common_suffix(a: bytes, b: bytes, most: int) -> int:
    """How many trailing bytes `a` and `b` share, counting no more than `most`."""
    view, end_a, end_b = memoryview(a), len(a), len(b)
    return _shared(
        min(len(a), len(b), most),
        lambda lo, hi: b.endswith(view[end_a - hi : end_a - lo], 0, end_b - lo),
    )


def _shared(limit: int, same: Callable[[int, int], bool]) -> int:
    """The largest n <= limit such that the bytes from 0 to n match, where `same(lo, hi)`
    says whether those from lo to hi do, given that those before lo did."""
    size = 0
    while size + BLOCK <= limit and same(size, size + BLOCK):
        size += BLOCK
    # The first difference lies in the next block: halve it until found.
    high = min(size + BLOCK, limit)
    while size < high:
        middle = (size + high + 1) // 2
        if same(size, middle):
            size = middle
        else:
            high = middle - 1
    return size


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


@attr.frozen
class Patch:
    """How to get back the bytes a write replaced, from the bytes it wrote."""

    written: bytes  # the digest of the bytes written
    start: int  # where the two versions first differ
    removed: bytes  # what the write took out from `start`
    inserted: int  # how many bytes it put there instead

    @classmethod
    def between(cls, before: bytes, after: bytes) -> Patch:
        start = common_prefix(before, after)
        end = common_suffix(before, after, min(len(before), len(after)) - start)
        removed = before[start : len(before) - end]
        return cls(digest(after), start, removed, len(after) - end - start)

    def undo(self, now: bytes) -> bytes | None:
        """The bytes before the write, if `now` is exactly what it wrote; else None."""
        if len(now) < self.start + self.inserted or digest(now) != self.written:
            return None
        return b"".join((now[: self.start], self.removed, now[self.start + self.inserted :]))
