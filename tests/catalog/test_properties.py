"""Random catalogues in random styles, random edit sequences: the file stays the user's."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import catalog_files, edited, samples
from tui.catalog.document import Document, iter_lines
from tui.catalog.model import Catalog, Sample, name_key
from tui.catalog.store import Store
from tui.catalog.validate import parse_text

SETTINGS = settings(
    max_examples=max(150, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def split(text: str) -> list[str]:
    return list(iter_lines(text))  # only "\n" ends a line in TOML, not U+0085 and kin


def outside_unchanged(old: str, new: str, keep_head: int, keep_tail: int) -> bool:
    """The first `keep_head` and the lines after `keep_tail` of `old` open and close `new`.

    A missing final newline is put back on both sides first: keeping it missing after the
    last record is deleted takes the newline off the line before, which is not a change to
    that line's text. Whether it is kept is checked on its own."""
    a, b = split(_closed(old)), split(_closed(new))
    head, tail = a[: max(keep_head, 0)], a[keep_tail:]
    return (
        len(b) >= len(head) + len(tail)
        and b[: len(head)] == head
        and (not tail or b[-len(tail) :] == tail)
    )


def _closed(text: str) -> str:
    if not text or text.endswith("\n"):
        return text
    return text + ("\r\n" if "\r\n" in text else "\n")


def record_lines(text: str, index: int) -> tuple[int, int]:
    """0-based first and last line of record `index`, checked to hold exactly that record."""
    doc = Document(text)
    record = doc.records()[index]
    first = doc.line_col(record.header.start)[0] - 1
    last = doc.line_col(record.end)[0] - 1
    span = "".join(split(text)[first : last + 1])
    assert tomllib.loads(span)["sample"] == [tomllib.loads(text)["sample"][index]]
    return first, last


def expected_catalog(board_explicit: bool, base: Catalog, records: list[Sample]) -> Catalog:
    board = base.board
    if not board_explicit:
        board = attrs.evolve(board, tubes=max((s.tube for s in records), default=1))
    return Catalog(board, tuple(records))


@SETTINGS
@given(file=catalog_files(), data=st.data())
def test_edits_change_only_their_record(file: tuple[str, Catalog], data: st.DataObject) -> None:
    text, catalog = file
    parsed = parse_text(text)
    assert parsed.catalog == catalog, parsed.problems
    explicit = any(e.path == ("board", "tubes") for e in parsed.document.entries)
    records = list(catalog.samples)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.toml"
        path.write_bytes(text.encode())
        store = Store(path)
        # As the app does after each read and write: index, and make a spare copy to write into.
        warm = data.draw(st.booleans(), label="warm")
        for _ in range(data.draw(st.integers(1, 5), label="steps")):
            if warm:
                store.read()
                store.warm()
            before = path.read_bytes().decode()
            limit = catalog.board.tubes if explicit else 40
            used = {s.tube for s in records}
            free = [t for t in range(1, limit + 1) if t not in used]
            names = {name_key(s.name) for s in records}
            ops = (["add"] if free else []) + (["edit", "delete"] if records else [])
            op = data.draw(st.sampled_from(ops), label="op")
            if op == "add":
                new = data.draw(samples(data.draw(st.sampled_from(free)), names), label="new")
                store.add(new)
                records.append(new)
                lines = len(split(before))
                assert outside_unchanged(before, path.read_bytes().decode(), lines, lines)
            else:
                index = data.draw(st.integers(0, len(records) - 1), label="index")
                old = records[index]
                lo, hi = record_lines(before, index)
                if op == "edit":
                    others = names - {name_key(old.name)}
                    new = data.draw(edited(old, free, others), label="edited")
                    store.edit(old, new)
                    records[index] = new
                    assert outside_unchanged(before, path.read_bytes().decode(), lo, hi + 1)
                else:
                    store.delete(old)
                    del records[index]
                    now = path.read_bytes().decode()
                    if hi == len(split(before)) - 1 and not before.endswith("\n"):
                        # The last record of a file with no final newline: the file ends on
                        # the content before it, still with no final newline.
                        assert now == "".join(split(before)[:lo]).rstrip("\r\n")
                    else:
                        # The record's lines and at most one blank line beside them.
                        assert outside_unchanged(before, now, lo - 1, hi + 2)
            now = path.read_bytes().decode()
            if before.strip() and now.strip():
                assert now.endswith("\n") == before.endswith("\n")
                assert ("\r\n" in now) == ("\r\n" in before) or "\n" not in now
            after = store.read()
            assert after.catalog == expected_catalog(explicit, catalog, records), after.problems
            assert not [p for p in Path(folder).iterdir() if p.name != "catalog.toml"]
        store.close()
