"""Which record of a changed version each base record became, for the merge.

A record is itself by its tube and name together. A record that changed one of the two (moved
to another tube, or renamed) is followed only when the rest of it shows it is the same one;
when two base records could each have become it, or one base record either of two, nothing is
guessed: the merge reports that it cannot tell, naming the tubes and names.
"""

from __future__ import annotations

from typing import Any

import attr

from tui.catalog.edit import same_data
from tui.catalog.model import is_int, name_key

Record = dict[str, Any]
_IDENTITY = ("tube", "name")


@attr.frozen
class Identified:
    """`base_of`: side index -> base index; `side_of`: the reverse; `ambiguous`: base
    records that could be more than one record of the side (or share one with another base
    record), each with what is said about it."""

    base_of: dict[int, int]
    side_of: dict[int, int]
    ambiguous: dict[int, str]


def label(record: Record) -> str:
    tube, name = record.get("tube", "?"), record.get("name", "?")
    return f"tube {tube} {name!r}"


def ident(record: Record) -> tuple[int | None, str | None]:
    """A record's tube and name as compared (None where not a whole number or text)."""
    tube, name = record.get("tube"), record.get("name")
    return (tube if is_int(tube) else None, name_key(name) if isinstance(name, str) else None)


def _same_rest(a: Record, b: Record) -> bool:
    """Everything but the tube and the name the same, save at most one key (a move or a
    rename saved together with one other change)."""
    keys = (set(a) | set(b)) - set(_IDENTITY)
    differing = [k for k in keys if k not in a or k not in b or not same_data(a[k], b[k])]
    return len(differing) <= 1 and same_data(a.get("kind"), b.get("kind"))


def identify(base: list[Record], side: list[Record], which: str) -> Identified:
    base_of: dict[int, int] = {}
    exact: dict[tuple[int | None, str | None], int] = {}
    for j, record in enumerate(side):
        exact.setdefault(ident(record), j)
    for i, record in enumerate(base):
        same = exact.get(ident(record))
        if same is not None and same not in base_of and None not in ident(record):
            base_of[same] = i
    matched = set(base_of.values())
    # A move or a rename: one of tube and name the same, and the rest shows it is the same.
    candidates: dict[int, list[int]] = {}
    claimed: dict[int, list[int]] = {}
    for i, record in enumerate(base):
        if i in matched:
            continue
        tube, name = ident(record)
        for j, other in enumerate(side):
            if j in base_of:
                continue
            their_tube, their_name = ident(other)
            one_kept = (tube is not None and tube == their_tube) != (
                name is not None and name == their_name
            )
            if one_kept and _same_rest(record, other):
                candidates.setdefault(i, []).append(j)
                claimed.setdefault(j, []).append(i)
    ambiguous: dict[int, str] = {}
    for i, found in candidates.items():
        rivals = {k for j in found for k in claimed[j]}
        if len(found) == 1 and rivals == {i}:
            base_of[found[0]] = i
            continue
        said = ", ".join(label(side[j]) for j in found)
        others = ", ".join(label(base[k]) for k in sorted(rivals - {i}))
        ambiguous[i] = f"cannot tell which of {which}' records it became ({said}" + (
            f"; {others} could have become them too)" if others else ")"
        )
    return Identified(base_of, {i: j for j, i in base_of.items()}, ambiguous)
