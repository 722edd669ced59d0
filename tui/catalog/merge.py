"""A three-way merge of catalogues, for git's merge driver (`tubeboard merge`).

git merges lines: two people who each add a sample append a block at the end of the file,
and git calls that a conflict every time. Here the file is merged as git merge-file merges
it (tui/catalog/diff3.py: a side is taken only where the other did not change), with one
refinement: each `[[sample]]` record is one item of the merge, matched across the three
versions by what it was in the base (tui/catalog/identity.py), and merged within itself line by
line and then key by key. So two new samples at the end are both kept, a delete beside an
edit of the next record is both made, and two edits of one record's different keys are both
made; every comment, key and format either side wrote outside or inside the records goes
through the same line merge, and anything both sides changed differently is a conflict,
between markers. A clean result must read as the records and tables merged key by key.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import Any

import attr

from tui.catalog.diff3 import Chunk, merge3
from tui.catalog.document import Document, newline_of
from tui.catalog.edit import record_span, same_data
from tui.catalog.identity import Identified, ident, identify, label
from tui.catalog.validate import parse_text

MISSING: Any = object()  # a key a table does not have
OURS, SPLIT, THEIRS = "<<<<<<< ours", "=======", ">>>>>>> theirs"
# A unit that is a `key = value` statement (a unit is a whole statement): merged by its key.
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
_KEY_LINE = re.compile(rf"[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*=")


@attr.frozen
class Merged:
    """The merge: `text` is what OURS becomes, `conflicts` say what could not be merged (the
    text then holds conflict markers around those places). `text` is None when the files
    cannot be merged as catalogues at all (`conflicts` says why): a line merge must do."""

    text: str | None
    conflicts: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return self.text is not None and not self.conflicts


def units(doc: Document, spans: dict[int, int], start: int, end: int) -> list[str]:
    """The text from `start` to `end` as the merge's units: each line, except that a `key =
    value` statement whose value runs over several lines (a multi-line string or array) is
    one unit, so that it is merged whole and by its key (`spans`: statement_spans)."""
    text = doc.text
    found: list[str] = []
    position = start
    while position < end:
        stop = spans.get(position) or doc.line_end(position)
        stop = min(max(stop, position + 1), end)
        found.append(text[position:stop])
        position = stop
    return found


def statement_spans(doc: Document) -> dict[int, int]:
    """Where each statement over several lines starts (its line) and ends (past its last)."""
    spans: dict[int, int] = {}
    text = doc.text
    for entry in doc.entries:
        if text.find("\n", entry.value_start, entry.value_end) < 0:
            continue
        first = doc.line_start(entry.start)
        last = doc.line_end(entry.value_end - 1)
        if spans.get(first, 0) < last:
            spans[first] = last
    return spans


@attr.frozen
class _Record:
    """A record as one item of the merge: the blank lines just above it, and its own lines
    (header through its last statement, sub-tables included)."""

    index: int
    lead: str
    units: tuple[str, ...]
    data: dict[str, Any]

    @property
    def core(self) -> str:
        return "".join(self.units)


@attr.frozen
class _Side:
    """One version of the file: its text, its data, its records and its items."""

    which: str
    text: str
    bom: bool
    valid: bool  # a catalogue that passes check
    data: dict[str, Any]
    records: list[_Record]
    items: list[Hashable]  # lines (str) and record tokens (tuples), in file order


def _side(text: str, which: str) -> _Side | str:
    parsed = parse_text(text)
    if parsed.data is None:
        return f"{which} is not valid TOML"
    data = parsed.data
    found = data.get("sample", [])
    if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
        return f"{which}'s samples are not an array of tables"
    document = parsed.document
    if document.is_inline() or len(document.records()) != len(found):
        return f"{which} writes its samples inline"
    records, pieces = _split(document, found)
    valid = parsed.catalog is not None
    return _Side(which, parsed.text, parsed.bom, valid, data, records, pieces)


def _split(doc: Document, found: list[dict[str, Any]]) -> tuple[list[_Record], list[Hashable]]:
    """The file as lines and records, each record taking the blank lines just above it (so
    that a record deleted or appended with its blank line is one item)."""
    records: list[_Record] = []
    items: list[Hashable] = []
    position = 0
    spans = statement_spans(doc)
    for index, data in enumerate(found):
        start, end = record_span(doc, index)
        gap = units(doc, spans, position, start)
        lead = len(gap)
        while lead and not gap[lead - 1].strip():
            lead -= 1
        items += gap[:lead]
        own = tuple(units(doc, spans, start, end))
        records.append(_Record(index, "".join(gap[lead:]), own, data))
        items.append(("record", index))  # a placeholder: the merge names records itself
        position = end
    items += units(doc, spans, position, len(doc.text))
    return records, items


def merge(base: str, ours: str, theirs: str) -> Merged:
    # Each is merged as if it ended in a newline (a save that appends to a file without one
    # would otherwise change its last line); the result ends as ours does.
    # (The line end added is the files' own: a one-line file has none to tell it by.)
    nl = next((newline_of(t) for t in (ours, base, theirs) if "\n" in t), "\n")
    texts = [t if not t or t.endswith("\n") else t + nl for t in (base, ours, theirs)]
    sides = [
        _side(text, which) for text, which in zip(texts, ("base", "ours", "theirs"), strict=True)
    ]
    problems = [s for s in sides if isinstance(s, str)]
    if problems:
        return Merged(None, tuple(problems))
    b, o, t = (s for s in sides if isinstance(s, _Side))
    merged = _Merge(b, o, t).run()
    if merged.text is None or texts[1] == ours:
        return merged
    return Merged(merged.text.removesuffix("\n").removesuffix("\r"), merged.conflicts)


def _same(a: Any, b: Any) -> bool:
    return a is b or (a is not MISSING and b is not MISSING and same_data(a, b))


def three_way(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, ...]]]:
    """Key by key: a key changed on one side takes that change, changed the same way on both
    takes it once; changed differently, it is a clash (ours is kept for it). Tables that both
    sides changed are merged within, so two keys of [board] merge."""
    keys = [*ours, *(k for k in theirs if k not in ours), *(k for k in base if k not in ours)]
    merged: dict[str, Any] = {}
    clashes: list[tuple[str, ...]] = []
    for key in dict.fromkeys(keys):
        was, mine, other = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
        if _same(mine, other) or _same(other, was):
            value = mine
        elif _same(mine, was):
            value = other
        elif all(isinstance(v, dict) for v in (was, mine, other)):
            value, inner = three_way(was, mine, other)
            clashes += [(key, *k) for k in inner]
        else:
            clashes.append((key,))
            value = mine
        if value is not MISSING:
            merged[key] = value
    return merged, clashes


class _Records:
    """The records' side of the merge: each record's version on either side (matched by
    identity), merged within itself, dropped only where the other side left it as it was,
    and the conflicts they make; what the result must read as (`expected`)."""

    def __init__(self, base: _Side, ours: _Side, theirs: _Side) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.nl = newline_of(ours.text)
        self.conflicts: list[str] = []
        self.to_ours = identify(
            [r.data for r in base.records], [r.data for r in ours.records], "ours"
        )
        self.to_theirs = identify(
            [r.data for r in base.records], [r.data for r in theirs.records], "theirs"
        )
        self.expected: list[dict[str, Any]] = []  # the records the result must read as
        self.ours_new: dict[Hashable, int] = {}  # a new record's token -> its index there
        self.theirs_new: dict[Hashable, int] = {}

    def text_of(self, item: Hashable, side: str) -> str:
        """An item as `side` wrote it."""
        if not _is_record(item):
            return str(item)
        version = self.version(item, side)
        return "" if version is None else version.lead + version.core

    def version(self, item: Hashable, side: str) -> _Record | None:
        assert isinstance(item, tuple)
        which = self.ours if side == "ours" else self.theirs
        if item[0] == "N":
            index = (self.ours_new if side == "ours" else self.theirs_new).get(item)
            return None if index is None else which.records[index]
        identified = self.to_ours if side == "ours" else self.to_theirs
        index = identified.side_of.get(item[1])
        return None if index is None else which.records[index]

    def emit(self, item: Hashable, side: str) -> str:
        if not _is_record(item):
            return str(item)
        assert isinstance(item, tuple)
        if item[0] == "N":
            own = self.version(item, "ours" if side == "both" else side)
            if own is None:
                own = self.version(item, "theirs")
            assert own is not None
            self.expected.append(own.data)
            return own.lead + own.core
        return self.merge_record(item[1])

    def gone(self, item: Hashable) -> str:
        """A base record that a side dropped: nothing, when the other side left it as it
        was; else a conflict, between markers, where it was."""
        assert isinstance(item, tuple)
        if item[0] != "R":
            return ""
        was = self.base.records[item[1]]
        mine, other = self.version(item, "ours"), self.version(item, "theirs")
        kept = mine or other
        if (mine and other) or kept is None or _same_lines(kept.core, was.core):
            return ""  # (kept by both, elsewhere in the file: merged there)
        gone_in, kept_in = ("ours", "theirs") if mine is None else ("theirs", "ours")
        why = self.to_ours if gone_in == "ours" else self.to_theirs
        said = f"{label(was.data)}: deleted in {gone_in}, changed in {kept_in}"
        if gone_in == "theirs":
            said = f"{label(was.data)}: changed in ours, deleted in theirs"
        if item[1] in why.ambiguous:
            said = f"{label(was.data)}: {why.ambiguous[item[1]]}; changed in {kept_in}"
        self.conflicts.append(said)
        block = self.block(kept)
        mine_text, other_text = ("", block) if gone_in == "ours" else (block, "")
        return kept.lead + self.markers(mine_text, other_text)

    def merge_record(self, index: int) -> str:
        was = self.base.records[index]
        mine, other = self.version(("R", index), "ours"), self.version(("R", index), "theirs")
        assert mine is not None and other is not None
        data, clashes = three_way(was.data, mine.data, other.data)
        lead = other.lead if mine.lead == was.lead else mine.lead
        if _same_lines(mine.core, was.core) or _same_lines(mine.core, other.core):
            core = other.core
        elif _same_lines(other.core, was.core):
            core = mine.core
        else:
            merged = None if clashes else _merge_lines(was.units, mine.units, other.units)
            if merged is None:
                said = _clashes(clashes, mine.data, other.data)
                if not said:
                    said = "the same lines (comments or the way values are written)"
                said = f"{label(was.data)}: changed differently on both sides: {said}"
                self.conflicts.append(said)
                return mine.lead + self.markers(self.block(mine), self.block(other))
            core = merged
        self.expected.append(data)
        return lead + core

    def block(self, record: _Record) -> str:
        core = record.core
        return core if core.endswith("\n") else core + self.nl

    def markers(self, mine: str, other: str) -> str:
        nl = self.nl
        mine = mine if not mine or mine.endswith("\n") else mine + nl
        other = other if not other or other.endswith("\n") else other + nl
        return f"{OURS}{nl}{mine}{SPLIT}{nl}{other}{THEIRS}{nl}"

    def claims(self, pieces: list[str]) -> None:
        """Two new samples, one from each side, claiming one tube or name: a conflict."""
        ours_new = [self.ours.records[j] for j in self.ours_new.values()]
        for j in self.theirs_new.values():
            theirs = self.theirs.records[j]
            tube, name = ident(theirs.data)
            claim = next(
                (
                    r
                    for r in ours_new
                    if (tube is not None and ident(r.data)[0] == tube)
                    or (name is not None and ident(r.data)[1] == name)
                ),
                None,
            )
            if claim is None or same_data(claim.data, theirs.data):
                continue
            what = f"the name {theirs.data.get('name')!r}"
            if ident(claim.data)[0] == tube:
                what = f"tube {tube}"
            mine_said, theirs_said = label(claim.data), label(theirs.data)
            self.conflicts.append(
                f"two new samples claim {what}: ours {mine_said}, theirs {theirs_said}"
            )
            mine, other = claim.lead + claim.core, theirs.lead + theirs.core
            for k, piece in enumerate(pieces):
                if piece == other:
                    pieces[k] = ""
            for k, piece in enumerate(pieces):
                if piece == mine:
                    pieces[k] = claim.lead + self.markers(self.block(claim), self.block(theirs))
                    break


class _Merge:
    """The file's merge: its items (lines and records) through git merge-file's rules, each
    stretch both sides changed decided here; the records themselves are `_Records`'."""

    def __init__(self, base: _Side, ours: _Side, theirs: _Side) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.records = _Records(base, ours, theirs)

    def _tokens(self, side: _Side, known: Identified | None) -> list[Hashable]:
        """The side's items with each record named: ("R", base index) for a record the base
        had, ("N", its text) for a new one (two sides adding the same text agree)."""
        named: list[Hashable] = []
        for item in side.items:
            if isinstance(item, tuple):
                index = item[1]
                was = index if known is None else known.base_of.get(index)
                if was is None:
                    named.append(("N", side.records[index].core.replace("\r\n", "\n")))
                else:
                    named.append(("R", was))
            else:
                named.append(item)
        return named

    def _top(self, side: _Side) -> dict[str, Any]:
        return {k: v for k, v in side.data.items() if k != "sample"}

    def run(self) -> Merged:
        self.tables, self.table_clashes = three_way(
            self._top(self.base), self._top(self.ours), self._top(self.theirs)
        )
        base_items = self._tokens(self.base, None)
        ours_items = self._tokens(self.ours, self.records.to_ours)
        theirs_items = self._tokens(self.theirs, self.records.to_theirs)
        self.records.ours_new = _positions(ours_items, self.ours, self.records.to_ours)
        self.records.theirs_new = _positions(theirs_items, self.theirs, self.records.to_theirs)
        pieces: list[str] = []
        for chunk in merge3(base_items, ours_items, theirs_items):
            pieces += self._chunk(chunk)
        self.records.claims(pieces)
        text = "".join(pieces)
        if self.ours.bom:
            text = "\ufeff" + text
        if self.records.conflicts:
            return Merged(text, tuple(self.records.conflicts))
        return self._checked(text)

    def _chunk(self, chunk: Chunk) -> list[str]:
        base, ours, theirs = chunk.base, chunk.ours, chunk.theirs
        taken = chunk.one_side()
        if taken is not None:
            return self._take(taken[0], base, taken[1])
        if not base and (_has_record(ours) or _has_record(theirs)):
            # Both added at one place, and new samples among it: both kept, ours first.
            return self._take(ours, (), "ours") + self._take(theirs, (), "theirs")
        if all(_is_record(i) or not str(i).strip() for i in (*base, *ours, *theirs)):
            return self._records_only(base, ours, theirs)
        keyed = _by_keys(base, ours, theirs)
        if keyed is not None:
            return keyed
        return self._line_conflict(ours, theirs)

    def _take(self, items: Sequence[Hashable], base: Sequence[Hashable], side: str) -> list[str]:
        """One side's version of a stretch; a record it drops must be unchanged on the other
        side, or the drop is a conflict."""
        kept = {i for i in items if _is_record(i)}
        pieces = [self.records.gone(i) for i in base if _is_record(i) and i not in kept]
        return [p for p in pieces if p] + [self.records.emit(i, side) for i in items]

    def _records_only(
        self, base: Sequence[Hashable], ours: Sequence[Hashable], theirs: Sequence[Hashable]
    ) -> list[str]:
        """A stretch of records (and blank lines) that both sides changed: records either
        side dropped are dropped (unless changed on the other), ours' order, then theirs'
        new records."""
        dropped = {i for i in base if _is_record(i) and (i not in ours or i not in theirs)}
        pieces = [p for p in (self.records.gone(i) for i in dropped) if p]
        pieces += [self.records.emit(i, "ours") for i in ours if i not in dropped]
        added = [i for i in theirs if _is_record(i) and i not in ours and i not in base]
        return pieces + [self.records.emit(i, "theirs") for i in added]

    def _line_conflict(self, ours: Sequence[Hashable], theirs: Sequence[Hashable]) -> list[str]:
        """Both changed these lines differently: between markers, said with the keys that
        clash when there are (once), else with the first line."""
        mine = "".join(self.records.text_of(i, "ours") for i in ours)
        other = "".join(self.records.text_of(i, "theirs") for i in theirs)
        clashes, self.table_clashes = self.table_clashes, []
        by_table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for path in clashes:
            by_table.setdefault(path[:-1], []).append(path)
        for table, paths in by_table.items():
            where = f"[{'.'.join(table)}]" if table else "the top of the file"
            said = _clashes([p[len(table) :] for p in paths], *self._tables(table))
            self.records.conflicts.append(f"{where}: changed differently on both sides: {said}")
        if not clashes:
            first = next((str(i).strip() for i in (*ours, *theirs) if not _is_record(i)), "")
            self.records.conflicts.append(
                f"lines outside the samples changed differently on both sides (near {first!r})"
            )
        return [self.records.markers(mine, other)]

    def _tables(self, path: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
        found = []
        for side in (self.ours, self.theirs):
            table: Any = side.data
            for key in path:
                table = table.get(key, {}) if isinstance(table, dict) else {}
            found.append(table if isinstance(table, dict) else {})
        return found[0], found[1]

    def _checked(self, text: str) -> Merged:
        """A clean merge must be valid where both sides were, and read as the records and
        tables merged key by key; anything else goes to git's line merge."""
        checked = parse_text(text)
        if checked.data is None:
            return Merged(None, ("the merged file would not be valid TOML",))
        if checked.catalog is None and self.ours.valid and self.theirs.valid:
            first = checked.problems[0]
            reason = f"the merged file would not pass check: {first.line}:{first.col}: "
            return Merged(None, (reason + first.message,))
        got = {k: v for k, v in checked.data.items() if k != "sample"}
        records = checked.data.get("sample", [])
        if (
            self.table_clashes
            or not same_data(got, self.tables)
            or not same_data(records, self.records.expected)
        ):
            return Merged(None, ("the merged lines do not read as the merged samples",))
        return Merged(text)


def _positions(items: list[Hashable], side: _Side, known: Identified) -> dict[Hashable, int]:
    """Each new record's token on a side, with the record's index there."""
    new = [j for j in range(len(side.records)) if j not in known.base_of]
    tokens = [i for i in items if isinstance(i, tuple) and i[0] == "N"]
    return dict(zip(tokens, new, strict=True))


def _is_record(item: Hashable) -> bool:
    return isinstance(item, tuple)


def _has_record(items: Sequence[Hashable]) -> bool:
    return any(_is_record(i) for i in items)


def _same_lines(a: str, b: str) -> bool:
    return a == b or a.replace("\r\n", "\n").rstrip("\n") == b.replace("\r\n", "\n").rstrip("\n")


def _merge_lines(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> str | None:
    """One record's lines merged as git merge-file would, a stretch both changed merged key
    by key where it is whole `key = value` statements; None where that still clashes."""
    merged: list[str] = []
    for chunk in merge3(base, ours, theirs):
        taken = chunk.one_side()
        if taken is not None:
            merged += [str(i) for i in taken[0]]
        else:
            keyed = _by_keys(chunk.base, chunk.ours, chunk.theirs)
            if keyed is None:
                return None
            merged += keyed
    return "".join(merged)


def _keyed(items: Sequence[Hashable]) -> dict[str, str] | None:
    """Units as {key: text}, each `key = value` statement with the comment and blank lines
    just above it (lines after the last statement under the key ""); None when a unit is
    neither, or a key repeats."""
    found: dict[str, str] = {}
    above = ""
    for item in items:
        if not isinstance(item, str):
            return None
        stripped = item.strip()
        if not stripped or stripped.startswith("#"):
            above += item
            continue
        matched = _KEY_LINE.match(item)
        if matched is None or matched.group(1) in found:
            return None
        found[matched.group(1)] = above + item
        above = ""
    if above:
        found[""] = above
    return found


def _bare(units: dict[str, str]) -> dict[str, str]:
    return {k: v.rstrip("\r\n") for k, v in units.items()}


def _by_keys(
    base: Sequence[Hashable], ours: Sequence[Hashable], theirs: Sequence[Hashable]
) -> list[str] | None:
    """A stretch both sides changed, merged key by key when it is `key = value` statements
    (with comment lines): a statement one side changed takes that side's text, comments and
    all; a key both changed differently is a clash (None)."""
    was, mine, other = _keyed(base), _keyed(ours), _keyed(theirs)
    if was is None or mine is None or other is None:
        return None
    merged, clashes = three_way(_bare(was), _bare(mine), _bare(other))
    if clashes:
        return None
    ends = {**was, **other, **mine}  # each unit's line end, as a side wrote it
    last = merged.pop("", None)
    pieces = [text + ends[key][len(ends[key].rstrip("\r\n")) :] for key, text in merged.items()]
    if last is not None:
        pieces.append(last + ends[""][len(ends[""].rstrip("\r\n")) :])
    return pieces


def _clashes(clashes: list[tuple[str, ...]], ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    return ", ".join(
        f"{'.'.join(k)} (ours {_value(ours, k)}, theirs {_value(theirs, k)})" for k in clashes
    )


def _value(table: Any, path: tuple[str, ...]) -> str:
    for key in path:
        if not isinstance(table, dict) or key not in table:
            return "unset"
        table = table[key]
    return repr(table)
