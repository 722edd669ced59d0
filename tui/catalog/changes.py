"""What changed between two versions of a catalogue, record by record and in words: the
board's marks for what changed since the last commit, and `tubeboard log`.

Records are matched by name, else by tube, so a sample moved or renamed is still itself in
the history. (The merge is stricter: tui/catalog/identity.py.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attr

from tui.catalog import toml_read
from tui.catalog.edit import same_data
from tui.catalog.identity import ident
from tui.catalog.model import SAMPLE_FIELDS
from tui.catalog.validate import parse_bytes

ADDED, CHANGED, DELETED = "added", "changed", "deleted"
LONG = frozenset(key for key, info in SAMPLE_FIELDS.items() if info.row == "notes")
Record = dict[str, Any]


@attr.frozen
class Version:
    """One version of the file: its records, or why it could not be read; and, when it was
    read block by block, each record's block of text (so the next version reads only the
    blocks that are new)."""

    records: tuple[Record, ...] = ()
    problem: str | None = None
    blocks: dict[bytes, Record] | None = None
    preamble: bytes = b""

    @classmethod
    def of(cls, raw: bytes | None) -> Version:
        if raw is None:
            return cls()  # not there (before it was added): no records
        parsed = parse_bytes(raw)
        records = (parsed.data or {}).get("sample", [])
        if parsed.data is None or not isinstance(records, list):
            first = parsed.problems[0] if parsed.problems else None
            where = f"{first.line}:{first.col}: {first.message}" if first else "not readable"
            return cls(problem=f"the file did not parse: {where}")
        return cls(tuple(r for r in records if isinstance(r, dict)))

    def then(self, raw: bytes | None) -> tuple[Version, list[RecordChange]]:
        """The next version, and its records that differ from this one's. A file's history
        is hundreds of versions that differ in a record or two: only blocks this version did
        not have are parsed, and only those are compared (`tubeboard log`, bench (j)). A file
        the blocks cannot tell about (a long string holding a `[[sample]]` line, a header
        written `[[ sample ]]`, a broken version) is read whole."""
        now = self._by_blocks(raw) if raw is not None else Version(blocks={})
        if now is None:
            now = Version.of(raw)
            if now.problem is not None:
                return now, []
        if self.blocks is None or now.blocks is None:
            return now, diff(self.records, now.records)
        gone = [record for block, record in self.blocks.items() if block not in now.blocks]
        new = [record for block, record in now.blocks.items() if block not in self.blocks]
        return now, diff(gone, new)

    def _by_blocks(self, raw: bytes) -> Version | None:
        """The version read a `[[sample]]` block at a time, reusing this one's, or None
        when that would not be what a whole read gives."""
        preamble, *chunks = (b"\n" + raw.removeprefix(b"\xef\xbb\xbf")).split(_HEADER)
        if preamble != self.preamble and not _only_settings(preamble):
            return None
        known = self.blocks or {}
        blocks: dict[bytes, Record] = {}
        for chunk in chunks:
            block = _HEADER[1:] + chunk
            record = known.get(block) or block_record(block)
            if record is None:
                return None
            blocks[block] = record
        if len(blocks) != len(chunks):
            return None  # a block written twice: let the whole read say what it makes of it
        return Version(tuple(blocks.values()), None, blocks, preamble)


_HEADER = b"\n[[sample]]"


def _only_settings(preamble: bytes) -> bool:
    """Whether the text before the first `[[sample]]` reads on its own, without samples."""
    try:
        return "sample" not in toml_read.loads(preamble.decode("utf-8"))
    except (UnicodeDecodeError, toml_read.TOMLDecodeError, RecursionError):
        return False


@attr.frozen
class RecordChange:
    before: Record | None
    after: Record | None

    @property
    def tube(self) -> Any:
        return (self.after or self.before or {}).get("tube")

    @property
    def name(self) -> Any:
        return (self.after or self.before or {}).get("name")

    @property
    def kind(self) -> str:
        """ADDED, DELETED or CHANGED."""
        if self.before is None:
            return ADDED
        return DELETED if self.after is None else CHANGED

    def words(self) -> list[str]:
        return record_words(self.before, self.after)


def match(base: list[Record], side: list[Record]) -> dict[int, int]:
    """Which record of `side` each record of `base` became: the one of the same name, else
    (renamed) the one in the same tube that no base record has the name of, else (renamed
    and moved at once) the one left over with the same designation or facts."""
    pairs: dict[int, int] = {}
    by_name: dict[str, int] = {}
    for j, record in enumerate(side):
        name = ident(record)[1]
        if name is not None:
            by_name.setdefault(name, j)
    taken: set[int] = set()
    for i, record in enumerate(base):
        named = by_name.get(ident(record)[1] or "")
        if named is not None and named not in taken:
            pairs[i] = named
            taken.add(named)
    # A designation names one sample for good: it outranks the tube (renamed and moved, and
    # another sample put in its old tube, is not that other sample renamed).
    _by_key(base, side, pairs, taken, _designation)
    by_tube: dict[int, int] = {}
    for j, record in enumerate(side):
        tube = ident(record)[0]
        if j not in taken and tube is not None:
            by_tube.setdefault(tube, j)
    for i, record in enumerate(base):
        tube = ident(record)[0]
        same_tube = by_tube.get(tube) if tube is not None else None
        if i not in pairs and same_tube is not None and same_tube not in taken:
            pairs[i] = same_tube
            taken.add(same_tube)
    _by_key(base, side, pairs, taken, _facts)
    return pairs


# What a sample keeps when it is both renamed and moved: its other short facts (kind, status,
# sol, date, campaign, site). Two records are one sample if their key is the same and no
# other left-over record has it.
_KEPT = tuple(k for k, info in SAMPLE_FIELDS.items() if not info.per_sample and k not in LONG)


def _designation(record: Record) -> tuple[Any, ...] | None:
    designation = record.get("designation")
    if isinstance(designation, str) and designation.strip():
        return ("designation", designation.strip())
    return None


def _facts(record: Record) -> tuple[Any, ...] | None:
    facts = tuple(record.get(key) for key in _KEPT)
    return facts if sum(fact is not None for fact in facts) >= 3 else None


def _by_key(
    base: list[Record],
    side: list[Record],
    pairs: dict[int, int],
    taken: set[int],
    key_of: Callable[[Record], tuple[Any, ...] | None],
) -> None:
    """Pair the records left over that were renamed (and perhaps moved) in one step (issue
    27): by what `key_of` says of them (a designation, or the other short facts), only where
    one record on each side has that key, never a guess between two."""
    left = [i for i in range(len(base)) if i not in pairs]
    right = [j for j in range(len(side)) if j not in taken]
    if not left or not right:
        return
    keys: dict[Any, list[list[int]]] = {}
    for index, record in ((i, base[i]) for i in left):
        if (key := key_of(record)) is not None:
            keys.setdefault(key, [[], []])[0].append(index)
    for index, record in ((j, side[j]) for j in right):
        if (key := key_of(record)) is not None:
            keys.setdefault(key, [[], []])[1].append(index)
    for olds, news in keys.values():
        if len(olds) == 1 and len(news) == 1:
            pairs[olds[0]] = news[0]
            taken.add(news[0])


def diff(old: Sequence[Record], new: Sequence[Record]) -> list[RecordChange]:
    """Every record that differs, in the order of `new` (deleted ones after)."""
    pairs = match(list(old), list(new))
    became = {j: i for i, j in pairs.items()}
    changes = []
    for j, record in enumerate(new):
        i = became.get(j)
        if i is None:
            changes.append(RecordChange(None, record))
        elif not same_data(old[i], record):
            changes.append(RecordChange(old[i], record))
    changes += [RecordChange(record, None) for i, record in enumerate(old) if i not in pairs]
    return changes


def changed_tubes(committed: Sequence[Record], now: Sequence[Record]) -> dict[int, str]:
    """Each tube whose record differs from the committed one: added, changed, or deleted
    (a tube now empty that held a sample)."""
    states: dict[int, str] = {}
    filled = {r.get("tube") for r in now}
    for change in diff(committed, now):
        tube = change.tube
        if not isinstance(tube, int):
            continue
        if change.after is None:
            if tube not in filled:
                states[tube] = DELETED
        else:
            states[tube] = change.kind
    return states


def record_words(before: Record | None, after: Record | None) -> list[str]:
    """A record's change in words: `added`, `deleted`, `moved from tube 5`, `status: sealed
    → deposited`, `notes: changed` (long text is not repeated)."""
    if before is None:
        return [ADDED]
    if after is None:
        return [DELETED]
    words = []
    if before.get("tube") != after.get("tube"):
        words.append(f"moved from tube {before.get('tube')}")
    if before.get("name") != after.get("name"):
        words.append(f"renamed from {_word(before.get('name'))}")
    for key in dict.fromkeys([*before, *after]):
        if key in ("tube", "name"):
            continue
        if key not in after:
            words.append(f"{key}: removed")
        elif key not in before:
            shown = key not in LONG and _short(after[key])
            words.append(f"{key}: {_word(after[key])}" if shown else f"{key}: set")
        elif not same_data(before[key], after[key]):
            if key not in LONG and _short(before[key]) and _short(after[key]):
                words.append(f"{key}: {_word(before[key])} → {_word(after[key])}")
            else:
                words.append(f"{key}: changed")
    return words


def _short(value: Any) -> bool:
    return not isinstance(value, str | list | dict) or (
        isinstance(value, str) and len(value) <= 40 and "\n" not in value
    )


def _word(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def block_record(block: bytes) -> Record | None:
    """The one record of a block of text that starts with its `[[sample]]` header and holds
    nothing else, or None when it does not parse on its own."""
    try:
        data = toml_read.loads(block.decode("utf-8"))
    except (UnicodeDecodeError, toml_read.TOMLDecodeError, RecursionError):
        return None
    records = data.get("sample")
    if data.keys() == {"sample"} and isinstance(records, list) and len(records) == 1:
        return records[0] if isinstance(records[0], dict) else None
    return None
