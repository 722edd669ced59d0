"""The rules between records, and their wording, said once: one sample per tube, one per
name (ignoring case and Unicode form), every tube on the board. The form says them as you
type, the store when it saves, `check` when it reads; all three in these words, `check`
adding the line where the first holder stands.
"""

from __future__ import annotations

from tui.catalog.model import Catalog, Sample, check_tube


def tube_taken(tube: int, holder: str | None, line: int | None = None) -> str:
    where = f" on line {line}" if line is not None else ""
    by = repr(holder) if holder is not None else "another sample"
    return f"tube {tube} is already used{where} by {by}"


def name_taken(name: str, tube: object, line: int | None = None) -> str:
    where = f" on line {line}" if line is not None else ""
    return f"the name {name!r} is already used{where} by tube {tube} (names ignore case)"


def tube_problem(catalog: Catalog, tube: int, editing: Sample | None = None) -> str | None:
    """Why `tube` cannot hold the sample being added (or `editing`, which may keep its own
    tube even if its record changed on disk meanwhile: the save then says so)."""
    out_of_range = check_tube(tube, catalog.board.tubes)
    if out_of_range:
        return out_of_range
    holder = catalog.sample_at(tube)
    if holder is not None and (editing is None or holder.tube != editing.tube):
        return tube_taken(tube, holder.name)
    return None


def name_problem(catalog: Catalog, name: str, editing: Sample | None = None) -> str | None:
    """Why `name` cannot be given to the sample being added (or to `editing`)."""
    tube = catalog.tube_named(name)
    if tube is not None and (editing is None or editing.tube != tube):
        return name_taken(name, tube)
    return None
