"""One sample's record in one version of the file, found without reading the whole file.

`tubeboard log --tube N` asks this of hundreds of versions of a file of thousands of
records: a whole read costs a parse of every record, a search here costs a scan of the
bytes and a parse of one block (bench (j)). What the scan finds is always checked by
parsing its block; when the scan cannot tell, the whole file is read, so an odd but valid
file (an indented header, a tube written `0x5`) is found all the same, only slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attr

from tui.catalog import toml_read
from tui.catalog.changes import Record, block_record
from tui.catalog.document import Document
from tui.catalog.edit import record_span
from tui.catalog.model import name_key

# A table header that ends a record: anything but the record's own sub-tables.
_NEXT_TABLE = re.compile(rb"(?m)^\[(?!\[?[ \t]*sample[ \t]*\.)")
_SAMPLE_HEADER = re.compile(rb"\[\[[ \t]*sample[ \t]*\]\]")
_SUB_TABLE = re.compile(rb"\[\[?[ \t]*sample[ \t]*\.")


@attr.frozen
class Found:
    """A record's block of text, and the record (None: the block does not parse; with no
    block, the file does not)."""

    block: bytes
    record: Record | None

    def tube(self) -> object:
        return None if self.record is None else self.record.get("tube")

    def name(self) -> str | None:
        value = None if self.record is None else self.record.get("name")
        return value if isinstance(value, str) else None


def find(raw: bytes, tube: object, name: str | None) -> Found | None:
    """The record named `name` (compared as names are) or, failing that, the one in
    `tube`; None when the file reads and neither is there."""
    for candidate in _by_name(raw, name):
        if name_key(candidate.name() or "") == name_key(name or ""):
            return candidate
    if isinstance(tube, int) and not isinstance(tube, bool):
        for candidate in _by_tube(raw, tube):
            if candidate.record is None or candidate.tube() == tube:
                return candidate
    return _whole(raw, tube, name)


def _by_name(raw: bytes, name: str | None) -> Iterator[Found]:
    plain = (name or "").encode()
    if not plain or b'"' in plain or b"\\" in plain:
        return iter(())  # written with escapes: the whole read finds it
    line = re.compile(rb"[ \t]*name[ \t]*=[ \t]*[\"']" + re.escape(plain) + rb"[\"']")
    return _blocks(raw, plain, line)


def _by_tube(raw: bytes, tube: int) -> Iterator[Found]:
    line = re.compile(rb"[ \t]*tube[ \t]*=[ \t]*%d[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)" % tube)
    return _blocks(raw, b"tube = %d" % tube, line)


def _blocks(raw: bytes, needle: bytes, line: re.Pattern[bytes]) -> Iterator[Found]:
    """The blocks holding a line that holds `needle` and matches `line` from its start
    (bytes.find, then one match: a regex over every line costs ten times more), keeping
    only those that parse on their own, or one that does not when the whole file does not
    parse either."""
    at = raw.find(needle)
    while at >= 0:
        start = raw.rfind(b"\n", 0, at) + 1
        block = _block_around(raw, start) if line.match(raw, start) else None
        at = raw.find(needle, at + len(needle))
        if block is None:
            continue
        record = block_record(block)
        if record is None and _parses(raw):
            continue  # the scan cut the block wrong (a `[` opening a line of a long string)
        yield Found(block, record)


def _block_around(raw: bytes, at: int) -> bytes | None:
    """From the `[[sample]]` header before `at` to the next table's header."""
    start = raw.rfind(b"\n[", 0, at) + 1
    while start > 0 and _SUB_TABLE.match(raw, start):
        start = raw.rfind(b"\n[", 0, start - 1) + 1
    if not _SAMPLE_HEADER.match(raw, start):
        return None
    end = _NEXT_TABLE.search(raw, at)
    return raw[start : end.start() if end else len(raw)]


def _parses(raw: bytes) -> bool:
    try:
        toml_read.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, toml_read.TOMLDecodeError, RecursionError):
        return False
    return True


def _whole(raw: bytes, tube: object, name: str | None) -> Found | None:
    """The slow way: read the whole file. A file that does not read is no block that does
    not parse: whether the record is in it, nobody can say, so it is not said to be gone."""
    try:
        text = raw.decode("utf-8")
        records = toml_read.loads(text).get("sample")
    except (UnicodeDecodeError, toml_read.TOMLDecodeError, RecursionError):
        return Found(b"", None)
    if not isinstance(records, list):
        return None
    index = next(
        (
            i
            for i, r in enumerate(records)
            if name and isinstance(r, dict) and name_key(str(r.get("name", ""))) == name_key(name)
        ),
        None,
    )
    if index is None and isinstance(tube, int):
        index = next(
            (i for i, r in enumerate(records) if isinstance(r, dict) and r.get("tube") == tube),
            None,
        )
    if index is None:
        return None
    start, end = record_span(Document(text), index)
    return Found(text[start:end].encode(), records[index])
