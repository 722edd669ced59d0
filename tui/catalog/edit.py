"""Surgical edits: add, change or delete one `[[sample]]` record, touching only its lines.

Each function takes the scanned text and its TOML data and returns the new text together
with the data that text must parse to. `verify` then proves it did; the store writes
nothing unless it does.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attr

from tui.catalog import toml_read
from tui.catalog.document import Document, Record, newline_of
from tui.catalog.model import SAMPLE_KEYS, Sample, toml_value
from tui.lazy import later

# Only a write renders TOML (tui/lazy.py).
if TYPE_CHECKING:
    import tomli_w
else:
    tomli_w = later("tomli_w")

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_LITERAL_SAFE = re.compile(r"[^'\x00-\x08\x0a-\x1f\x7f]*")


T = TypeVar("T")


class EditError(Exception):
    """The edit cannot be made on this text; the message is for a person."""


def render_key(key: str) -> str:
    if _BARE_KEY.fullmatch(key):
        return key
    return _scalar(key)


def render_value(value: Any, newline: str = "\n", like: str | None = None) -> str:
    """TOML for `value`; `like` is the old value's text, whose literal quoting is kept if it can."""
    literal_before = like is not None and like.startswith("'") and not like.startswith("'''")
    if isinstance(value, str) and literal_before and _LITERAL_SAFE.fullmatch(value):
        return f"'{value}'"
    if isinstance(value, str) and "\n" in value and "\r" not in value:
        # Notes read better as a multi-line string than as one line full of \n escapes.
        text: str = tomli_w.dumps({"v": value}, multiline_strings=True)[4:-1]
        return text.replace("\n", newline)
    return _inline(value)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{render_key(k)} = {_inline(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, str | int | dt.date) and not isinstance(value, bool):
        return _scalar_of(type(value).__name__, value)  # `S` on 10,000: one value 10,000 times
    return _rendered(value)


@functools.lru_cache(maxsize=1024)
def _scalar_of(kind: str, value: Any) -> str:  # the type's name: 1 and True are equal keys
    return _rendered(value)


def _rendered(value: Any) -> str:
    text: str = tomli_w.dumps({"v": value})
    return text[4:-1]


def render_record(record: dict[str, Any], newline: str) -> str:
    """A new `[[sample]]` block, without a trailing newline."""
    lines = ["[[sample]]"]
    lines += [f"{render_key(k)} = {render_value(v, newline)}" for k, v in record.items()]
    return newline.join(lines)


# The three edits --------------------------------------------------------------------------


@attr.frozen
class Change:
    """A composed edit: the new text and the data it must parse to.

    `window` is (start, old_end, new_end): outside old[start:old_end] and new[start:new_end]
    the two texts are the same, and the new window alone must parse to `window_data`. It is
    set only where that proves the whole (the window starts at a record header or the end,
    ends before the next header or the end, and holds one record's lines and nothing else);
    elsewhere it is None and the whole text is checked instead.
    """

    text: str
    data: dict[str, Any]
    window: tuple[int, int, int] | None = None
    window_data: dict[str, Any] | None = None
    appended: bool = False  # the old text, unchanged, followed by new lines
    cut: Cut | None = None  # a delete: the text it took out, for undo to put back
    said: str = ""  # where a record was put, when that is worth saying


CONTEXT = 256  # characters kept either side of a deleted record, to find its place again


@attr.frozen
class Cut:
    """The text a delete took out, and some text either side of it."""

    removed: str
    around: tuple[str, str]

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Cut:
        return cls(
            text[start:end], (text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])
        )


class Source(Protocol):
    """What `add` needs of the parsed text: a cheap hint first, the full scan if need be."""

    @property
    def may_be_inline(self) -> bool: ...

    @property
    def document(self) -> Document: ...


def add(text: str, data: dict[str, Any], record: dict[str, Any], source: Source) -> Change:
    """Append `record` as a new block at the end, after one blank line."""
    if source.may_be_inline and source.document.is_inline():
        raise EditError(INLINE_MESSAGE)
    nl = newline_of(text)
    new_text = _appended(text, render_record(record, nl), nl)
    expected = _with_samples(data, [*data.get("sample", []), record])
    window = (len(text), len(text), len(new_text))
    return Change(new_text, expected, window, {"sample": [record]}, appended=True)


def _appended(text: str, block: str, nl: str) -> str:
    """`text` with a record's `block` at the end, after one blank line."""
    # Each branch copies the (possibly large) text once.
    if not text or text.isspace():  # no copy of a large text, unlike strip()
        return "".join((text, block, nl))
    if text.endswith("\n"):
        # One blank line between records; a file already ending in one needs no other.
        ends_blank = text.endswith(("\n\n", "\n\r\n"))
        return "".join((text, "" if ends_blank else nl, block, nl))
    # Keep the missing final newline the user chose.
    return "".join((text, nl, nl, block))


def replace(doc: Document, data: dict[str, Any], index: int, record: dict[str, Any]) -> Change:
    """Change record `index` into `record`, rewriting only the lines of keys that changed."""
    target = _record(doc, index)
    text = doc.text
    new_text = apply_edits(text, table_edits(doc, target, data["sample"][index], record))
    expected = _with_samples(data, replaced_in(data["sample"], {index: record}, set()))
    start, end = doc.line_start(target.header.start), doc.line_end(target.end)
    if target.nested or not text.endswith("\n"):
        return Change(new_text, expected)
    window = (start, end, end + len(new_text) - len(text))
    return Change(new_text, expected, window, {"sample": [record]})


def change_many(
    doc: Document,
    data: dict[str, Any],
    replaced: dict[int, dict[str, Any]],
    deleted: set[int],
    added: list[dict[str, Any]],
) -> Change:
    """Several records at once, as one text: each replaced record rewritten only where its
    keys changed, each deleted one removed as `delete` removes it, each new one appended as
    `add` appends it. The spans of different records never overlap, but two deletions may
    share the blank line between them: such spans are merged."""
    edits = record_edits(doc, data, replaced, deleted)
    new_text = apply_edits(doc.text, edits)
    records = replaced_in(data["sample"], replaced, deleted)
    for record in added:
        new_text = _appended(new_text, render_record(record, doc.newline), doc.newline)
        records.append(record)
    found = _many_window(doc, data, replaced, deleted, added, edits, len(new_text))
    window, window_data = found if found is not None else (None, None)
    return Change(new_text, _with_samples(data, records), window, window_data)


def replaced_in(items: Sequence[T], news: dict[int, T], deleted: set[int]) -> list[T]:
    """`items` with `news` put in at their places and `deleted` taken out. Without deletions
    the list is copied in C and changed at those places alone: S on one of 10,000 stepped
    through all of them."""
    if deleted:
        return [news.get(i, item) for i, item in enumerate(items) if i not in deleted]
    made = list(items)
    for index, item in news.items():
        made[index] = item
    return made


def _many_window(
    doc: Document,
    data: dict[str, Any],
    replaced: dict[int, dict[str, Any]],
    deleted: set[int],
    added: list[dict[str, Any]],
    edits: list[tuple[int, int, str]],
    new_length: int,
) -> tuple[tuple[int, int, int], dict[str, Any]] | None:
    """The window of a change of many (see Change): from the first record it touches to the
    last (to the end, with records added), when that stretch holds those records' lines and
    nothing else; None where the whole text must be checked instead. One marked tube is then
    checked as an edit of one record is, not by parsing the whole file again."""
    text = doc.text
    if not text.endswith("\n"):
        return None
    records = doc.records()
    touched = sorted(set(replaced) | deleted)
    if not touched:
        kept: list[dict[str, Any]] = []
        start = old_end = len(text)
    else:
        low, high = touched[0], touched[-1]
        if records.any_nested(low, high):
            return None
        first, last = records[low].header.start, records[high].header.start
        starts = doc.header_starts  # in file order
        after = bisect.bisect_right(starts, last)
        inside = after - bisect.bisect_left(starts, first)
        if inside != high - low + 1:  # another table stands among them
            return None
        if added and after != len(starts):
            return None  # the window would run to the end, over a table after them
        start = min([doc.line_start(first), *(edit[0] for edit in edits)])
        old_end = max([doc.line_end(records[high].end), *(edit[1] for edit in edits)])
        samples = data["sample"]
        kept = [replaced.get(i, samples[i]) for i in range(low, high + 1) if i not in deleted]
    if added:
        old_end = len(text)
        kept += added
    window = (start, old_end, old_end + new_length - len(text))
    return window, ({"sample": kept} if kept else {})


def record_edits(
    doc: Document, data: dict[str, Any], replaced: dict[int, dict[str, Any]], deleted: set[int]
) -> list[tuple[int, int, str]]:
    """The text edits for records replaced and deleted at once (see change_many)."""
    olds = data["sample"]
    if replaced:  # refused as a whole, once: S on 10,000 asked 10,000 times
        _record(doc, min(replaced))
        _record(doc, max(replaced))
    records = doc.records()
    edits = [
        e
        for index, record in replaced.items()
        for e in table_edits(doc, records[index], olds[index], record)
    ]
    spans = sorted(_delete_span(doc, index) for index in deleted)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return edits + [(start, end, "") for start, end in merged]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with non-overlapping `edits` made, keeping whether it ended in a newline."""
    return _keep_final_newline(text, _apply(text, edits))


def append_block(text: str, block: str, nl: str) -> str:
    """`text` with a record's `block` at the end, after one blank line (as `add` does)."""
    return _appended(text, block, nl)


def record_span(doc: Document, index: int) -> tuple[int, int]:
    """Record `index`'s whole lines: from its header's line to the end of its last line."""
    target = _record(doc, index)
    return doc.line_start(target.header.start), doc.line_end(target.end)


def table_edits(
    doc: Document, table: Record, old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[int, int, str]]:
    """The text edits that turn record `table` from `old` into `new`: a changed value
    rewritten in place, in the style it had, a removed key's line taken out, new keys after
    its last key line (or its header)."""
    edits: list[tuple[int, int, str]] = []
    # Keys whose value is the very object it was (a merged record shares them) are passed
    # over by identity: S on 10,000 compared 110,000 values through same_data.
    looked = [key for key, value in old.items() if new.get(key, _ABSENT) is not value]
    for key in looked:
        value = old[key]
        if key in new and same_data(new[key], value):
            continue
        line = table.line_of((key,))
        if line is None:
            raise EditError(
                f"cannot change {key!r}: it is written as dotted keys or a sub-table; "
                "edit it by hand"
            )
        key_start, value_start, value_end = doc.offsets_of(line)
        if key in new:
            like = doc.text[value_start:value_end]
            rendered = render_value(new[key], doc.newline, like)
            edits.append((value_start, value_end, rendered))
        else:
            start = doc.line_start(key_start)
            edits.append((start, doc.line_end(value_end), ""))
    added = [] if new.keys() == old.keys() else [key for key in new if key not in old]
    if added:
        nl = doc.newline
        lines = "".join(f"{nl}{render_key(k)} = {render_value(new[k], nl)}" for k in added)
        # New keys go right after the table's last key line (or its header).
        last = table.last_value_end(table.header.start)
        end_of_line = _end_of_statement_line(doc, last)
        edits.append((end_of_line, end_of_line, lines))
    return edits


def delete(doc: Document, data: dict[str, Any], index: int) -> Change:
    """Remove record `index`: its header, its lines and what lies between them."""
    target = _record(doc, index)
    text = doc.text
    start, end = _delete_span(doc, index)
    new_text = text[:start] + text[end:]
    expected = _with_samples(data, data["sample"][:index] + data["sample"][index + 1 :])
    cut = Cut.of(text, start, end)
    if target.nested or (end >= len(text) and not text.endswith("\n")):
        return Change(new_text, expected, cut=cut)
    return Change(new_text, expected, (start, end, start), {}, cut=cut)


def _delete_span(doc: Document, index: int) -> tuple[int, int]:
    """What deleting record `index` takes out of the text: its lines, and one blank line
    around it so that two never meet and the file does not start or end with one it did not
    have. A record that ends a file without a final newline takes the line ends before it,
    so the file ends, as before, on the last line of content with no newline."""
    target = _record(doc, index)
    text = doc.text
    start = doc.line_start(target.header.start)
    end = doc.line_end(target.end)
    if end >= len(text) and not text.endswith("\n"):
        return len(text[:start].rstrip("\r\n")), len(text)
    before_blank = start > 0 and _is_blank_line_before(text, start)
    after_blank = end < len(text) and not text[end : doc.line_end(end)].strip()
    if after_blank and (start == 0 or before_blank):
        end = doc.line_end(end)
    elif before_blank and end >= len(text):
        start = doc.line_start(start - 1)
    return start, end


def merge_record(raw: dict[str, Any], old: Sample, new: Sample) -> dict[str, Any]:
    """The record as it should read after the edit: what changed, and nothing else."""
    record = dict(raw)
    for key in SAMPLE_KEYS:
        value = getattr(new, key)
        if value == getattr(old, key):
            continue
        if key == "status":
            record[key] = new.status.value  # an explicit value reads better than a gone line
        elif value is None:
            record.pop(key, None)
        else:  # not the whole record through to_toml: S on 10,000 changes one key
            record[key] = toml_value(value)
    if new.extra is old.extra:  # S and the form keep them: nothing of theirs changed
        return record
    for key in old.extra.keys() - new.extra.keys():
        record.pop(key, None)
    for key, value in new.extra.items():
        if key not in old.extra or not same_data(old.extra[key], value):
            record[key] = value
    return record


def _with_samples(data: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """`data` with another list of records. A shallow copy: no record is changed in place,
    and copying ten thousand of them deeply was most of the cost of a save."""
    expected = dict(data)
    if records:
        expected["sample"] = records
    else:
        expected.pop("sample", None)  # an emptied array of tables is simply absent when read
    return expected


def verify_window(old_text: str, change: Change) -> bool:
    """Check `change` by its window alone; False when it has none and needs `verify`."""
    if change.window is None or change.window_data is None:
        return False
    start, old_end, new_end = change.window
    new_text = change.text
    # startswith/endswith compare in place; for an append, old_text[:start] is old_text itself.
    same_outside = (
        len(new_text) - new_end == len(old_text) - old_end
        and new_text.startswith(old_text[:start])
        and new_text.endswith(old_text[old_end:])
    )
    if not same_outside:
        raise EditError("the edit reached outside its record; nothing was written")
    try:
        got = toml_read.loads(new_text[start:new_end])
    except toml_read.TOMLDecodeError as error:
        raise EditError(f"the edited record would not be valid TOML ({error})") from None
    if not same_data(got, change.window_data):
        raise EditError("the edited record would not read back as intended; nothing was written")
    return True


def verify(text: str, expected: dict[str, Any]) -> None:
    """Raise EditError unless `text` parses to exactly `expected`."""
    try:
        actual = toml_read.loads(text)
    except toml_read.TOMLDecodeError as error:
        message = f"the edited text would not be valid TOML ({error}); nothing was written"
        raise EditError(message) from None
    if not same_data(actual, expected):
        raise EditError("the edited text would not read back as intended; nothing was written")


# Helpers ----------------------------------------------------------------------------------


INLINE_MESSAGE = (
    "the samples are written as one inline array (sample = [...]); "
    "write them as [[sample]] blocks to edit them here"
)
INLINE_HINT = re.compile(r"^[ \t]*[\"']?sample[\"']?[ \t]*=", re.M)


def _record(doc: Document, index: int) -> Record:
    if doc.is_inline():
        raise EditError(INLINE_MESSAGE)
    records = doc.records()
    if not 0 <= index < len(records):
        raise EditError(f"there is no sample record number {index + 1} in the file")
    return records[index]


_ABSENT = object()  # a key a record does not have

# The types same_data compares by rules of its own; two values of any other one type are
# equal when == says so.
_OWN_RULES = frozenset({dict, list, float})


def same_data(a: Any, b: Any) -> bool:
    """Equality of TOML data, where NaN equals NaN and a date never equals a datetime."""
    if a is b:  # the reader shares strings: most values of an unchanged key are one object
        return True
    kind = type(a)
    if kind is type(b) and kind not in _OWN_RULES:
        return bool(a == b)  # no case below applies (S on 10,000 compares 110,000 values)
    if kind is not type(b):
        # tomllib's datetime is a subclass of date; keep them apart.
        if isinstance(a, dt.date) or isinstance(b, dt.date):
            return False
        if isinstance(a, bool) or isinstance(b, bool):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        # Key order is not meaning: a key added to a record lands after its last key line.
        if a.keys() != b.keys():
            return False
        for key, x in a.items():
            y = b[key]
            if x is y:
                continue
            if type(x) is type(y) and type(x) not in _OWN_RULES:  # no call for a scalar
                if x != y:
                    return False
            elif not same_data(x, y):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with non-overlapping `edits` made, in one pass: a change of 10,000 records
    copies the text once, not once per edit."""
    pieces: list[str] = []
    at = 0
    for start, end, replacement in sorted(edits):
        pieces += (text[at:start], replacement)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _keep_final_newline(old: str, new: str) -> str:
    """A file the user left without a final newline stays without one, even when its last
    lines were removed and the line before them now ends the file."""
    if old and not old.endswith("\n") and new.endswith("\n"):
        return new.removesuffix("\n").removesuffix("\r")
    return new


def _line_ending(doc: Document, offset: int) -> str:
    line = doc.text[doc.line_start(offset) : doc.line_end(offset)]
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n" if line.endswith("\n") else ""


def _end_of_statement_line(doc: Document, offset: int) -> int:
    # After the value there may be a comment; new lines go after it, before the newline.
    return doc.line_end(offset) - len(_line_ending(doc, offset))


def _is_blank_line_before(text: str, start: int) -> bool:
    prev_end = start - 1  # the "\n" that ends the previous line
    prev_start = text.rfind("\n", 0, prev_end) + 1
    return not text[prev_start:prev_end].strip()


def reinsert(
    doc: Document,
    data: dict[str, Any],
    removed: str,
    around: tuple[str, str],
    neighbours: tuple[int | None, int | None],
) -> tuple[Change, int, str]:
    """Put a deleted record's own text back: where it stood when the text either side of
    it (`around`) is still there, once; else after the record that preceded it, before the
    one that followed it (their indexes now, in `neighbours`), or at the end. Answers the
    change, the record's index, and where it went when that is not its old place."""
    text, nl = doc.text, doc.newline
    joined = around[0] + around[1]
    at = text.find(joined) if joined else -1
    record = toml_read.loads(removed)["sample"][0]
    if at >= 0 and text.find(joined, at + 1) < 0:
        position = at + len(around[0])
        index = sum(1 for r in doc.records() if r.header.start < position)
        new_text, said = text[:position] + removed + text[position:], ""
    else:
        block = _own_lines(removed)
        previous, following = neighbours
        samples = data.get("sample", [])
        if previous is not None:
            _, end = record_span(doc, previous)
            index, said = previous + 1, f"after {_named(samples[previous])}"
            if end >= len(text) and not text.endswith("\n"):
                new_text = _appended(text, block, nl)
            else:
                new_text = text[:end] + nl + block + nl + text[end:]
        elif following is not None:
            start, _ = record_span(doc, following)
            index, said = following, f"before {_named(samples[following])}"
            new_text = text[:start] + block + nl + nl + text[start:]
        else:
            index, said = len(samples), "at the end of the file"
            new_text = _appended(text, block, nl)
        said = f"put back {said}, as the text around it has changed"
    samples = list(data.get("sample", []))
    expected = _with_samples(data, [*samples[:index], record, *samples[index:]])
    return Change(new_text, expected, said=said), index, said


def _own_lines(removed: str) -> str:
    """A deleted record's text without the blank lines the delete took with it."""
    lines = removed.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(lines).rstrip("\r\n")


def _named(record: dict[str, Any]) -> str:
    return f"tube {record.get('tube')} {record.get('name')!r}"
