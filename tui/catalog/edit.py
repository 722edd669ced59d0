"""Surgical edits: add, change or delete one `[[sample]]` record, touching only its lines.

Each function takes the scanned text and its TOML data and returns the new text together
with the data that text must parse to. `verify` then proves it did; the store writes
nothing unless it does.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import tomllib
from typing import Any

import tomli_w

from tui.catalog.document import Document, Record

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_LITERAL_SAFE = re.compile(r"[^'\x00-\x08\x0a-\x1f\x7f]*")


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
    text: str = tomli_w.dumps({"v": value})
    return text[4:-1]


def render_record(record: dict[str, Any], newline: str) -> str:
    """A new `[[sample]]` block, without a trailing newline."""
    lines = ["[[sample]]"]
    lines += [f"{render_key(k)} = {render_value(v, newline)}" for k, v in record.items()]
    return newline.join(lines)


# The three edits --------------------------------------------------------------------------


def add(doc: Document, data: dict[str, Any], record: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Append `record` as a new block at the end, after one blank line."""
    _refuse_inline(doc)
    text, nl = doc.text, doc.newline
    block = render_record(record, nl)
    if not text.strip():
        new_text = text + block + nl
    elif text.endswith("\n"):
        # One blank line between records; a file already ending in one needs no other.
        tail = text.rstrip("\r\n")
        separator = "" if text[len(tail) :].count("\n") >= 2 else nl
        new_text = text + separator + block + nl
    else:
        # Keep the missing final newline the user chose.
        new_text = text + nl + nl + block
    expected = copy.deepcopy(data)
    expected.setdefault("sample", []).append(record)
    return new_text, expected


def replace(
    doc: Document, data: dict[str, Any], index: int, record: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Change record `index` into `record`, rewriting only the lines of keys that changed."""
    target = _record(doc, index)
    old = data["sample"][index]
    edits: list[tuple[int, int, str]] = []
    own = {entry.key: entry for entry in target.entries}
    for key, value in old.items():
        if key in record and same_data(record[key], value):
            continue
        entry = own.get((key,))
        if entry is None:
            raise EditError(
                f"cannot change {key!r}: it is written as dotted keys or a sub-table; "
                "edit it by hand"
            )
        if key in record:
            like = doc.text[entry.value_start : entry.value_end]
            rendered = render_value(record[key], doc.newline, like)
            edits.append((entry.value_start, entry.value_end, rendered))
        else:
            start = doc.line_start(entry.start)
            edits.append((start, doc.line_end(entry.value_end), ""))
    added = [key for key in record if key not in old]
    if added:
        nl = doc.newline
        lines = "".join(f"{nl}{render_key(k)} = {render_value(record[k], nl)}" for k in added)
        # New keys go right after the record's last key line (or its header).
        last = max((entry.value_end for entry in target.entries), default=target.header.start)
        anchor = _end_of_statement_line(doc, last)
        edits.append((anchor, anchor, lines))
    new_text = _keep_final_newline(doc.text, _apply(doc.text, edits))
    expected = copy.deepcopy(data)
    expected["sample"][index] = record
    return new_text, expected


def delete(doc: Document, data: dict[str, Any], index: int) -> tuple[str, dict[str, Any]]:
    """Remove record `index`: its header, its lines and what lies between them."""
    target = _record(doc, index)
    text = doc.text
    start = doc.line_start(target.header.start)
    end = doc.line_end(target.end)
    if end >= len(text) and not text.endswith("\n"):
        # The record ended a file that has no final newline: the file now ends, as before,
        # on the last line of content before it, with no newline and no blank lines.
        new_text = text[:start].rstrip("\r\n")
    else:
        # Take one of the blank lines around the record as well, so that two never meet and
        # the file does not start or end with one it did not have.
        before_blank = start > 0 and _is_blank_line_before(text, start)
        after_blank = end < len(text) and not text[end : doc.line_end(end)].strip()
        if after_blank and (start == 0 or before_blank):
            end = doc.line_end(end)
        elif before_blank and end >= len(text):
            start = doc.line_start(start - 1)
        new_text = text[:start] + text[end:]
    expected = copy.deepcopy(data)
    del expected["sample"][index]
    if not expected["sample"]:
        # An emptied array of tables is simply absent when read back.
        del expected["sample"]
    return new_text, expected


def verify(text: str, expected: dict[str, Any]) -> None:
    """Raise EditError unless `text` parses to exactly `expected`."""
    try:
        actual = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = f"the edited text would not be valid TOML ({error}); nothing was written"
        raise EditError(message) from None
    if not same_data(actual, expected):
        raise EditError("the edited text would not read back as intended; nothing was written")


# Helpers ----------------------------------------------------------------------------------


def _refuse_inline(doc: Document) -> None:
    if doc.is_inline():
        raise EditError(
            "samples are written as one inline array (sample = [...]); "
            "write them as [[sample]] blocks to edit them here"
        )


def _record(doc: Document, index: int) -> Record:
    _refuse_inline(doc)
    records = doc.records()
    if not 0 <= index < len(records):
        raise EditError(f"there is no sample record number {index + 1} in the file")
    return records[index]


def same_data(a: Any, b: Any) -> bool:
    """Equality of TOML data, where NaN equals NaN and a date never equals a datetime."""
    if type(a) is not type(b):
        # tomllib's datetime is a subclass of date; keep them apart.
        if isinstance(a, dt.date) or isinstance(b, dt.date):
            return False
        if isinstance(a, bool) or isinstance(b, bool):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        # Key order is not meaning: a key added to a record lands after its last key line.
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


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
