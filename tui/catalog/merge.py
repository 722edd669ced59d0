"""A three-way merge of catalogues by record, for git's merge driver (`tubeboard merge`).

git merges lines: two people who each add a sample append a block at the end of the file,
and git calls that a conflict every time. Here records are matched by name, else by tube,
and merged key by key; OURS keeps its text everywhere the merge has nothing to change, and
each change is made as a save makes it (only the lines of the keys that change).
"""

from __future__ import annotations

from typing import Any

import attr

from tui.catalog.document import Document
from tui.catalog.edit import (
    append_block,
    apply_edits,
    record_edits,
    record_span,
    same_data,
    table_edits,
)
from tui.catalog.model import is_int, name_key
from tui.catalog.validate import parse_text

MISSING: Any = object()  # a key a table does not have
OURS, SPLIT, THEIRS = "<<<<<<< ours", "=======", ">>>>>>> theirs"


@attr.frozen
class Merged:
    """The merge: `text` is what OURS becomes, `conflicts` say what could not be merged (the
    text then holds conflict markers around those records). `text` is None when the records
    cannot be merged as records at all (`conflicts` says why): a line merge must do."""

    text: str | None
    conflicts: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return self.text is not None and not self.conflicts


@attr.frozen
class _Side:
    text: str
    bom: bool
    data: dict[str, Any]
    records: list[dict[str, Any]]
    document: Document

    def block(self, index: int, newline: str) -> str:
        """Record `index` as written on this side, its line ends made `newline`."""
        start, end = record_span(self.document, index)
        lines = self.text[start:end].replace("\r\n", "\n")
        return (lines if lines.endswith("\n") else lines + "\n").replace("\n", newline)


def _side(text: str, which: str) -> _Side | str:
    parsed = parse_text(text)
    if parsed.data is None:
        return f"{which} is not valid TOML"
    records = parsed.data.get("sample", [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return f"{which}'s samples are not an array of tables"
    document = parsed.document
    if document.is_inline() or len(document.records()) != len(records):
        return f"{which} writes its samples inline"
    return _Side(parsed.text, parsed.bom, parsed.data, records, document)


def merge(base: str, ours: str, theirs: str) -> Merged:
    sides = [
        _side(text, which) for text, which in ((base, "base"), (ours, "ours"), (theirs, "theirs"))
    ]
    problems = [s for s in sides if isinstance(s, str)]
    if problems:
        return Merged(None, tuple(problems))
    b, o, t = (s for s in sides if isinstance(s, _Side))
    return _Merge(b, o, t).run()


def _ident(record: dict[str, Any]) -> tuple[int | None, str | None]:
    tube, name = record.get("tube"), record.get("name")
    return (tube if is_int(tube) else None, name_key(name) if isinstance(name, str) else None)


def label(record: dict[str, Any]) -> str:
    tube, name = record.get("tube", "?"), record.get("name", "?")
    return f"tube {tube} {name!r}"


def match(base: list[dict[str, Any]], side: list[dict[str, Any]]) -> dict[int, int]:
    """Which record of `side` each record of `base` became: the one of the same name, else
    (renamed) the one in the same tube that no base record has the name of."""
    pairs: dict[int, int] = {}
    by_name: dict[str, int] = {}
    for j, record in enumerate(side):
        name = _ident(record)[1]
        if name is not None:
            by_name.setdefault(name, j)
    taken: set[int] = set()
    for i, record in enumerate(base):
        named = by_name.get(_ident(record)[1] or "")
        if named is not None and named not in taken:
            pairs[i] = named
            taken.add(named)
    by_tube: dict[int, int] = {}
    for j, record in enumerate(side):
        tube = _ident(record)[0]
        if j not in taken and tube is not None:
            by_tube.setdefault(tube, j)
    for i, record in enumerate(base):
        tube = _ident(record)[0]
        same_tube = by_tube.get(tube) if tube is not None else None
        if i not in pairs and same_tube is not None and same_tube not in taken:
            pairs[i] = same_tube
            taken.add(same_tube)
    return pairs


def _same(a: Any, b: Any) -> bool:
    return a is b or (a is not MISSING and b is not MISSING and same_data(a, b))


def three_way(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Key by key: a key changed on one side takes that change, changed the same way on both
    takes it once; changed differently, it is a clash (ours is kept for it)."""
    keys = [*ours, *(k for k in theirs if k not in ours), *(k for k in base if k not in ours)]
    merged: dict[str, Any] = {}
    clashes: list[str] = []
    for key in dict.fromkeys(keys):
        was, mine, other = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
        if _same(mine, other) or _same(other, was):
            value = mine
        elif _same(mine, was):
            value = other
        else:
            clashes.append(key)
            value = mine
        if value is not MISSING:
            merged[key] = value
    return merged, clashes


class _Merge:
    def __init__(self, base: _Side, ours: _Side, theirs: _Side) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.nl = ours.document.newline
        self.replaced: dict[int, dict[str, Any]] = {}
        self.deleted: set[int] = set()
        self.wrapped: dict[int, str] = {}  # ours record -> theirs' text, in conflict markers
        self.appended: list[str] = []  # blocks to add at the end
        self.conflicts: list[str] = []

    def run(self) -> Merged:
        to_ours = match(self.base.records, self.ours.records)
        to_theirs = match(self.base.records, self.theirs.records)
        for i, record in enumerate(self.base.records):
            self._record(record, to_ours.get(i), to_theirs.get(i))
        self._new(set(to_ours.values()), set(to_theirs.values()))
        edits = record_edits(self.ours.document, self.ours.data, self.replaced, self.deleted)
        edits += self._board()
        text = self.ours.text
        for index, other in self.wrapped.items():
            start, end = record_span(self.ours.document, index)
            edits.append((start, end, self._markers(self.ours.block(index, self.nl), other)))
        text = apply_edits(text, edits)
        for block in self.appended:
            text = append_block(text, block.removesuffix(self.nl), self.nl)
        if self.ours.bom:
            text = "\ufeff" + text
        if self.conflicts:
            return Merged(text, tuple(self.conflicts))
        checked = parse_text(text)
        if checked.catalog is None:
            first = checked.problems[0]
            reason = f"the merged file would not pass check: {first.line}:{first.col}: "
            return Merged(None, (reason + first.message,))
        return Merged(text)

    def _markers(self, mine: str, other: str) -> str:
        nl = self.nl
        return f"{OURS}{nl}{mine}{SPLIT}{nl}{other}{THEIRS}{nl}"

    def _record(self, base: dict[str, Any], mine: int | None, other: int | None) -> None:
        ours = self.ours.records[mine] if mine is not None else None
        theirs = self.theirs.records[other] if other is not None else None
        if ours is None or theirs is None:
            changed = theirs if ours is None else ours
            if changed is None or same_data(changed, base):
                if ours is not None and mine is not None:
                    self.deleted.add(mine)  # deleted in theirs, unchanged in ours
                return
            if mine is None and other is not None:
                self.conflicts.append(f"{label(base)}: deleted in ours, changed in theirs")
                self.appended.append(self._markers("", self.theirs.block(other, self.nl)))
            elif mine is not None:
                self.conflicts.append(f"{label(base)}: changed in ours, deleted in theirs")
                self.wrapped[mine] = ""
            return
        assert mine is not None and other is not None
        merged, clashes = three_way(base, ours, theirs)
        if clashes:
            said = ", ".join(
                f"{k} (ours {_value(ours, k)}, theirs {_value(theirs, k)})" for k in clashes
            )
            self.conflicts.append(f"{label(base)}: changed differently on both sides: {said}")
            self.wrapped[mine] = self.theirs.block(other, self.nl)
        elif not same_data(merged, ours):
            self.replaced[mine] = merged

    def _new(self, matched_ours: set[int], matched_theirs: set[int]) -> None:
        """Samples new on each side: both kept, ours first; one claimed by both (a tube, a
        name) is kept once when the same, else a conflict."""
        ours_new = [j for j in range(len(self.ours.records)) if j not in matched_ours]
        for j in range(len(self.theirs.records)):
            if j in matched_theirs:
                continue
            theirs = self.theirs.records[j]
            tube, name = _ident(theirs)
            claim = next(
                (
                    k
                    for k in ours_new
                    if (tube is not None and _ident(self.ours.records[k])[0] == tube)
                    or (name is not None and _ident(self.ours.records[k])[1] == name)
                ),
                None,
            )
            if claim is None:
                self.appended.append(self.theirs.block(j, self.nl))
                continue
            ours = self.ours.records[claim]
            if same_data(ours, theirs):
                continue  # the same sample added on both sides: once
            what = f"tube {tube}" if _ident(ours)[0] == tube else f"the name {theirs.get('name')!r}"
            self.conflicts.append(
                f"two new samples claim {what}: ours {label(ours)}, theirs {label(theirs)}"
            )
            self.wrapped[claim] = self.theirs.block(j, self.nl)

    def _board(self) -> list[tuple[int, int, str]]:
        """[board] merged key by key, like a record."""
        tables = [side.data.get("board", {}) for side in (self.base, self.ours, self.theirs)]
        if not all(isinstance(table, dict) for table in tables):
            return []
        base, ours, theirs = tables
        merged, clashes = three_way(base, ours, theirs)
        if clashes:
            said = ", ".join(
                f"{k} (ours {_value(ours, k)}, theirs {_value(theirs, k)})" for k in clashes
            )
            self.conflicts.append(f"[board]: changed differently on both sides: {said}")
            return []
        if same_data(merged, ours):
            return []
        doc = self.ours.document
        header = next((h for h in doc.headers if h.path == ("board",) and not h.is_array), None)
        if header is None:
            self.conflicts.append("[board]: changed in theirs, and ours has no [board] table")
            return []
        entries = [e for e in doc.entries if e.table == ("board",)]
        return table_edits(doc, entries, header.start, ours, merged)


def _value(table: dict[str, Any], key: str) -> str:
    return repr(table[key]) if key in table else "unset"
