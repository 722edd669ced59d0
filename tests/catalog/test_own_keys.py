"""A sample's own keys: a mapping like the dict it replaces, in a third of the memory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.catalog.traced import traced
from tui.catalog.model import Kind, OwnKeys, Sample, own_columns, own_items
from tui.catalog.validate import parse_text

KEYS = st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=20)


@given(KEYS)
def test_own_keys_read_as_the_dict_they_were_made_from(own: dict[str, Any]) -> None:
    sample = Sample(tube=1, name="A", kind=Kind.WITNESS, extra=own)
    extra = sample.extra
    assert extra == own and own == extra
    assert list(extra.items()) == list(own.items())  # file order kept
    assert dict(extra) == own and len(extra) == len(own)
    assert all(extra[key] is value for key, value in own.items())
    assert "\0absent" not in extra and extra.get("\0absent") is None
    with pytest.raises(KeyError):
        extra["\0absent"]
    assert extra.keys() | {"x"} == own.keys() | {"x"}
    assert list(extra.values()) == list(own.values())
    backwards = OwnKeys(dict(reversed(own.items())))
    assert backwards == extra and (backwards != {**own, "\0more": 1})
    assert sample == Sample(tube=1, name="A", kind=Kind.WITNESS, extra=dict(own))


@given(st.lists(KEYS, max_size=8))
def test_own_columns_and_items_say_what_the_dicts_say(owns: list[dict[str, Any]]) -> None:
    """The table's columns and the exports read own keys a column at a time (`own_columns`)
    or a pair at a time (`own_items`) without a dict made for each sample; samples with the
    same names share them, and more than OWN_KEYS_FEW keys stay a dict."""
    owns += [owns[0]] if owns else []  # the same names again: one shared tuple
    samples = [Sample(tube=1, name="A", kind=Kind.WITNESS, extra=own) for own in owns]
    expected: dict[str, list[Any]] = {}
    for own in owns:
        for key, value in own.items():
            expected.setdefault(key, []).append(value)
    found = own_columns(samples)
    assert list(found) == list(expected)  # in the order the keys first appear
    assert {key: sorted(map(repr, values)) for key, values in found.items()} == {
        key: sorted(map(repr, values)) for key, values in expected.items()
    }
    for sample, own in zip(samples, owns, strict=True):
        assert list(own_items(sample.extra)) == list(own.items())


def test_own_keys_take_little_memory() -> None:
    record = '[[sample]]\ntube = {n}\nname = "S{n}"\nkind = "witness"\ndesignation = "D{n}"\n\n'
    count = 2000
    text = "[board]\ntubes = 3000\n\n" + "".join(record.format(n=n) for n in range(1, count + 1))
    parse_text(text)
    parsed, kept, _ = traced(lambda: parse_text(text))
    assert parsed.catalog is not None
    first, last = parsed.catalog.samples[0].extra, parsed.catalog.samples[-1].extra
    assert first == {"designation": "D1"} and last == {"designation": f"D{count}"}
    # A dict of one key a sample was 184 bytes: 672 kept a record, 536 now.
    assert kept / count < 590


def test_a_sample_without_own_keys_and_one_with_many() -> None:
    plain = Sample(tube=1, name="A", kind=Kind.WITNESS)
    assert plain.extra == {} and not plain.extra
    many = {f"k{i}": dt.date(2024, 1, 1 + i % 28) for i in range(100)}
    sample = Sample(tube=1, name="A", kind=Kind.WITNESS, extra=many)
    assert sample.extra == many and sample.extra["k99"] == many["k99"]
    assert isinstance(OwnKeys({"a": 1}), OwnKeys)
