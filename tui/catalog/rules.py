"""The rules between records, and their wording, decided once: one sample per tube, one per
name (ignoring case and Unicode form), every tube on the board when `[board]` sets `tubes`
(without it the board grows to the highest tube). `clash` is the one function that decides:
`check` asks it record by record as it reads, the form as you type, the store for every
save (one sample or many, a move, an undo), and so the merge, whose result must pass check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal, Protocol

import attr

from tui.catalog.model import Board, Catalog, Sample, check_tube, name_key


def tube_taken(tube: int, holder: str | None, line: int | None = None) -> str:
    where = f" on line {line}" if line is not None else ""
    by = repr(holder) if holder is not None else "another sample"
    return f"tube {tube} is already used{where} by {by}"


def name_taken(name: str, tube: object, line: int | None = None) -> str:
    where = f" on line {line}" if line is not None else ""
    return f"the name {name!r} is already used{where} by tube {tube} (names ignore case)"


class Holder(Protocol):
    """A sample in the way: its tube and name (a record being read may have no good name)."""

    @property
    def tube(self) -> int: ...

    @property
    def name(self) -> str | None: ...


class Standing(Protocol):
    """What stands already: a Catalog, or Claims while a read or a change of many builds
    one up."""

    @property
    def board(self) -> Board: ...

    def sample_at(self, tube: int) -> Holder | None: ...

    def tube_named(self, name: str) -> object | None: ...


@attr.frozen
class _Held:
    tube: int
    name: str | None


@attr.frozen
class Clash:
    """Why a sample cannot stand: which field, and the words (the holder's tube, if any)."""

    field: Literal["tube", "name"]
    message: str
    holder: int | None = None


def clash(
    standing: Standing,
    tube: int | None,
    name: str | None,
    leaving: int | None = None,
    line_of: Callable[[str, object], int | None] | None = None,
) -> Clash | None:
    """Why a sample in `tube` named `name` cannot join what stands (either may be None: not
    asked); `leaving` is the tube of the record it replaces, which no longer stands. With
    `line_of` (field, the tube or name asked -> the line of the one that holds it), the
    words say where the holder is, as `check` does."""

    def line(field: str, holder: object) -> int | None:
        return line_of(field, holder) if line_of is not None else None

    if tube is not None:
        board = standing.board
        out_of_range = check_tube(tube, board.tubes if board.fixed else None)
        if out_of_range:
            return Clash("tube", out_of_range)
        held = standing.sample_at(tube)
        if held is not None and held.tube != leaving:
            return Clash("tube", tube_taken(tube, held.name, line("tube", tube)), tube)
    if name is not None:
        named = standing.tube_named(name)
        if named is not None and named != leaving:
            holder = named if isinstance(named, int) else None
            return Clash("name", name_taken(name, named, line("name", name)), holder)
    return None


class Claims:
    """The tubes and names taken, as a change of many or a read builds them up sample by
    sample: each asked of `clash` before it is added."""

    def __init__(self, board: Board, samples: tuple[Sample, ...] = ()) -> None:
        self.board = board
        # A tube's holder as its name alone: an object a record was 6 MB at 100,000 (the
        # read's peak, bench (g)); the Holder is made when a clash asks for it.
        self._tubes: dict[int, str | None] = {}
        self._names: dict[str, object] = {}
        for sample in samples:
            self.add(sample)

    def sample_at(self, tube: int) -> Holder | None:
        return _Held(tube, self._tubes[tube]) if tube in self._tubes else None

    def tube_named(self, name: str) -> object | None:
        return self._names.get(name_key(name))

    def add(self, sample: Sample) -> None:
        self.claim(sample.tube, sample.name)

    def claim(self, tube: object, name: object) -> None:
        """A record's tube and name taken, as far as each is one (a record being read may
        be broken in either)."""
        if isinstance(tube, int) and not isinstance(tube, bool):
            self._tubes.setdefault(tube, name if isinstance(name, str) else None)
        if isinstance(name, str) and name.strip():
            self._names.setdefault(name_key(name), "?" if tube is None else tube)

    def first_clash(self, samples: tuple[Sample, ...]) -> Clash | None:
        """The first of `samples` that cannot join (each joining as it passes)."""
        for sample in samples:
            found = clash(self, sample.tube, sample.name)
            if found is not None:
                return found
            self.add(sample)
        return None


class Joining:
    """What stands while a change of many is checked: the catalogue, less the samples the
    change takes away, plus each new one as it joins. Asked through the catalogue's own
    indexes, so a change of k samples costs k lookups, not a pass over all of them."""

    def __init__(self, catalog: Catalog, leaving: Iterable[Sample]) -> None:
        self.catalog, self.board = catalog, catalog.board
        gone = list(leaving)
        self._gone_tubes = {sample.tube for sample in gone}
        self._gone_names = {name_key(sample.name) for sample in gone}
        self._joined = Claims(catalog.board)

    def sample_at(self, tube: int) -> Holder | None:
        held = self._joined.sample_at(tube)
        if held is not None or tube in self._gone_tubes:
            return held
        return self.catalog.sample_at(tube)

    def tube_named(self, name: str) -> object | None:
        named = self._joined.tube_named(name)
        if named is not None or name_key(name) in self._gone_names:
            return named
        return self.catalog.tube_named(name)

    def first_clash(self, samples: Iterable[Sample]) -> Clash | None:
        """The first of `samples` that cannot join (each joining as it passes)."""
        for sample in samples:
            found = clash(self, sample.tube, sample.name)
            if found is not None:
                return found
            self._joined.add(sample)
        return None
