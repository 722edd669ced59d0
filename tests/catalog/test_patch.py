"""Byte-level patches, which let undo put a file back byte for byte without a copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import stored_sample
from tui.catalog.model import Sample
from tui.catalog.patch import Patch, common_prefix, common_suffix
from tui.catalog.store import ConflictError, Store

# Long runs of equal bytes around a change, so the block-wise comparisons are crossed.
filler = st.integers(0, 140_000).map(bytes)
chunk = st.binary(max_size=300)


def naive_prefix(a: bytes, b: bytes) -> int:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return size


@given(head=chunk, a_tail=st.binary(max_size=70_000), b_tail=chunk, fill=filler)
def test_common_prefix_is_the_length_of_the_shared_start(
    head: bytes, a_tail: bytes, b_tail: bytes, fill: bytes
) -> None:
    a, b = fill + head + a_tail, fill + head + b_tail
    assert common_prefix(a, b) == naive_prefix(a, b)


@given(a_head=chunk, b_head=chunk, tail=chunk, fill=filler, most=st.integers(0, 200_000))
def test_common_suffix_is_the_length_of_the_shared_end(
    a_head: bytes, b_head: bytes, tail: bytes, fill: bytes, most: int
) -> None:
    a, b = a_head + tail + fill, b_head + tail + fill
    expected = min(naive_prefix(a[::-1], b[::-1]), most)
    assert common_suffix(a, b, most) == expected


@given(
    fill=filler,
    before_mid=chunk,
    after_mid=chunk,
    end=chunk,
    other=st.binary(min_size=1, max_size=50),
)
def test_a_patch_gives_back_the_bytes_before_and_only_from_the_bytes_after(
    fill: bytes, before_mid: bytes, after_mid: bytes, end: bytes, other: bytes
) -> None:
    before, after = fill + before_mid + end, fill + after_mid + end
    patch = Patch.between(before, after)
    assert patch.undo(after) == before
    assert len(patch.removed) <= len(before_mid)  # it keeps the change, not the file
    if after + other != after:
        assert patch.undo(after + other) is None
    assert patch.undo(other + after) is None


NEW = Sample(tube=40, name="Bell Island 2", kind="rock-core")


def test_revert_puts_the_file_back_only_if_nobody_wrote_since(shipped_copy: Path) -> None:
    original = shipped_copy.read_bytes()
    store = Store(shipped_copy)
    written = store.add(NEW)
    patch = Patch.between(written.before, written.after)
    store.revert(patch)
    assert shipped_copy.read_bytes() == original

    written = store.add(NEW)
    patch = Patch.between(written.before, written.after)
    shipped_copy.write_bytes(shipped_copy.read_bytes().replace(b"sol = 164", b"sol = 165"))
    changed = shipped_copy.read_bytes()
    with pytest.raises(ConflictError, match="has changed since"):
        store.revert(patch)
    assert shipped_copy.read_bytes() == changed
    assert stored_sample(store, 40).name == "Bell Island 2"
