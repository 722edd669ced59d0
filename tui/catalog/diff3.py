"""A three-way merge of sequences by git merge-file's rules, for the merge driver.

Each side is compared with the base; where only one side changed a stretch, that side's
stretch is taken; where both changed it (the same stretch, or stretches that touch), the
stretch is a conflict unless both made the very same change. The items are anything hashable:
lines, or the merge's record tokens (tui/catalog/merge.py).

The comparison is a patience diff (items found once on each side anchor the match, as
`git diff --patience` does), with difflib's matcher for stretches that hold no such item.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TypeVar

import attr

T = TypeVar("T", bound=Hashable)

# Above this many item pairs, a stretch with no unique item is not searched for matches (it
# would cost quadratic time): it is taken as changed whole, so at worst a conflict.
_SEARCH_LIMIT = 4_000_000


@attr.frozen
class Chunk:
    """A stretch of the merge: `stable` when all three agree; else the three versions."""

    base: tuple[Hashable, ...]
    ours: tuple[Hashable, ...]
    theirs: tuple[Hashable, ...]
    stable: bool = False

    def one_side(self) -> tuple[tuple[Hashable, ...], str] | None:
        """git merge-file's rule: the version this stretch takes when at most one side
        changed it (or both made the same change), and whose it is ("both", "ours" or
        "theirs"); None when both changed it differently, for the caller to decide."""
        if self.stable:
            return self.base, "both"
        if self.ours in (self.base, self.theirs):
            return self.theirs, "theirs"
        if self.theirs == self.base:
            return self.ours, "ours"
        return None


def matches(a: Sequence[T], b: Sequence[T]) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, of equal items a[i] == b[j]."""
    found: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            found.append((ahi, bhi))
        if alo >= ahi or blo >= bhi:
            continue
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
        if anchors:
            i0, j0 = alo, blo
            for i, j in anchors:
                found.append((i, j))
                stack.append((i0, i, j0, j))
                i0, j0 = i + 1, j + 1
            stack.append((i0, ahi, j0, bhi))
        elif (ahi - alo) * (bhi - blo) <= _SEARCH_LIMIT:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            for i, j, n in matcher.get_matching_blocks():
                found.extend((alo + i + k, blo + j + k) for k in range(n))
    found.sort()
    return found


def _unique_anchors(
    a: Sequence[T], b: Sequence[T], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The longest increasing run of items found exactly once in each stretch."""
    in_a = Counter(a[alo:ahi])
    in_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1 and in_a[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if a[i] in where_b]
    # Patience sorting: the longest run of pairs increasing in j too.
    tops: list[int] = []
    tails: list[int] = []  # the index in `pairs` ending each run length
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            tails.append(index)
        else:
            tops[length] = j
            tails[length] = index
        back.append(tails[length - 1] if length else -1)
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def merge3(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> list[Chunk]:
    """The merge as chunks, in order: stable ones, and unstable ones with the three versions
    (a caller takes a side where only one changed, and decides the rest)."""
    to_ours = dict(matches(base, ours))
    to_theirs = dict(matches(base, theirs))
    chunks: list[Chunk] = []
    o = a = b = 0
    while True:
        run = 0
        while (
            o + run < len(base)
            and to_ours.get(o + run) == a + run
            and to_theirs.get(o + run) == b + run
        ):
            run += 1
        if run:
            chunks.append(Chunk(tuple(base[o : o + run]), (), (), stable=True))
            o, a, b = o + run, a + run, b + run
            continue
        q = next(
            (
                q
                for q in range(o, len(base))
                if to_ours.get(q, -1) >= a and to_theirs.get(q, -1) >= b
            ),
            None,
        )
        if q is None:
            if o < len(base) or a < len(ours) or b < len(theirs):
                chunks.append(Chunk(tuple(base[o:]), tuple(ours[a:]), tuple(theirs[b:])))
            return chunks
        chunks.append(
            Chunk(tuple(base[o:q]), tuple(ours[a : to_ours[q]]), tuple(theirs[b : to_theirs[q]]))
        )
        o, a, b = q, to_ours[q], to_theirs[q]
