"""What each change does to the catalogue as it is on disk when the store holds the lock:
find the records it names (refused when they changed meanwhile), check the rules between
records, and make the text edit. The store (tui/catalog/store.py) runs one inside its
transaction: lock, re-read, this, check, write, verify."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attr

from tui.catalog import edit, rules
from tui.catalog.errors import ConflictError
from tui.catalog.model import Catalog, Sample, field_changes
from tui.catalog.validate import Parsed, sample_from_record

if TYPE_CHECKING:
    from tui.catalog.edit import Change, Cut

# Where a change lands: the index of the one record it makes, changes or removes, or (for a
# change of many) every sample of the catalogue after it, in file order.
Where = int | tuple[Sample, ...]

# A change, given the file as it is now (its parse and catalogue): the text edit, and where.
RecordChange = Callable[[Parsed, Catalog], tuple["Change", Where]]


@attr.frozen
class Place:
    """Where a deleted record stood, to put its own text back there: the text the delete
    took out, some text either side of it (`around`), and the records before and after it
    (tube and name) for when the text around it has changed."""

    removed: str
    around: tuple[str, str]
    previous: tuple[int, str] | None
    following: tuple[int, str] | None

    @classmethod
    def of(cls, cut: Cut, catalog: Catalog, gone: Sample) -> Place:
        samples = catalog.samples  # in file order
        index = next((i for i, s in enumerate(samples) if s == gone), None)
        previous = following = None
        if index is not None:
            if index > 0:
                previous = (samples[index - 1].tube, samples[index - 1].name)
            if index + 1 < len(samples):
                following = (samples[index + 1].tube, samples[index + 1].name)
        return cls(cut.removed, cut.around, previous, following)


def adding(sample: Sample) -> RecordChange:
    def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, Where]:
        _may_stand(catalog, sample)
        assert parsed.data is not None
        made = edit.add(parsed.text, parsed.data, sample.to_toml(), parsed)
        return made, len(catalog.samples)

    return change


def editing(old: Sample, new: Sample) -> RecordChange:
    def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, Where]:
        index = _find(catalog, old)
        _may_stand(catalog, new, leaving=old.tube)
        assert parsed.data is not None
        record = edit.merge_record(parsed.data["sample"][index], old, new)
        return edit.replace(parsed.document, parsed.data, index, record), index

    return change


def deleting(old: Sample) -> RecordChange:
    def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, Where]:
        index = _find(catalog, old)
        assert parsed.data is not None
        return edit.delete(parsed.document, parsed.data, index), index

    return change


def putting_back(gone: Sample, place: Place) -> RecordChange:
    """A deleted record's own text back: at its old place when the text around it is
    unchanged, else beside the records it stood between."""

    def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, Where]:
        _may_stand(catalog, gone)
        assert parsed.data is not None

        def index_of(who: tuple[int, str] | None) -> int | None:
            found = (i for i, s in enumerate(catalog.samples) if (s.tube, s.name) == who)
            return None if who is None else next(found, None)

        neighbours = (index_of(place.previous), index_of(place.following))
        made, index, _ = edit.reinsert(
            parsed.document, parsed.data, place.removed, place.around, neighbours
        )
        back = sample_from_record(made.data["sample"][index])
        return made, (*catalog.samples[:index], back, *catalog.samples[index:])

    return change


def of_many(
    pairs: Sequence[tuple[Sample | None, Sample | None]],
) -> Callable[[Parsed, Catalog], tuple[Change, Where]]:
    """Several samples in one change: (old, new) changes old, (old, None) deletes it,
    (None, new) adds new; refused as a whole when any rule between records breaks."""

    def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, Where]:
        assert parsed.data is not None
        replaced: dict[int, dict[str, Any]] = {}
        news: dict[int, Sample] = {}
        deleted: set[int] = set()
        added: list[Sample] = []
        # Each record found by its tube, not by a scan: a change of 10,000 stays linear.
        where = {sample.tube: i for i, sample in enumerate(catalog.samples)}
        for old, new in pairs:
            if old is None:
                assert new is not None
                added.append(new)
                continue
            index = _find(catalog, old, where.get(old.tube))
            if new is None:
                deleted.add(index)
            else:
                news[index] = new
                replaced[index] = edit.merge_record(parsed.data["sample"][index], old, new)
        samples = tuple(edit.replaced_in(catalog.samples, news, deleted)) + tuple(added)
        # A sample that keeps its tube and name keeps its claims: only the others are
        # checked (S on 10,000 sets a campaign and asks 10,000 lookups for nothing).
        moving = [(old, new) for old, new in pairs if not _keeps_place(old, new)]
        leaving = [old for old, _ in moving if old is not None]
        joining = [new for _, new in moving if new is not None]
        found = rules.Joining(catalog, leaving).first_clash(joining)
        if found is not None:
            raise ConflictError(found.message)
        made = edit.change_many(
            parsed.document, parsed.data, replaced, deleted, [s.to_toml() for s in added]
        )
        return made, samples

    return change


def _keeps_place(old: Sample | None, new: Sample | None) -> bool:
    return old is not None and new is not None and (old.tube, old.name) == (new.tube, new.name)


def _may_stand(catalog: Catalog, sample: Sample, leaving: int | None = None) -> None:
    """The rules between records (rules.clash), as a refusal: nothing is written."""
    found = rules.clash(catalog, sample.tube, sample.name, leaving)
    if found is not None:
        raise ConflictError(found.message)


def _find(catalog: Catalog, old: Sample, hint: int | None = None) -> int:
    """Where `old` is among the catalogue's samples (`hint`: where its tube is, if known),
    or a refusal that says what became of it."""
    if hint is not None:
        found = catalog.samples[hint]
        if found is old or found == old:  # most often the very sample (S on 10,000)
            return hint
    else:
        for index, sample in enumerate(catalog.samples):
            if sample == old:
                return index
    current = catalog.sample_at(old.tube)
    if current is None:
        raise ConflictError(
            f"tube {old.tube} ({old.name!r}) was emptied in the file meanwhile; nothing was written"
        )
    changes = "; ".join(field_changes(old, current)) or "its own keys changed"
    raise ConflictError(
        f"tube {old.tube} was changed in the file meanwhile ({changes}); nothing was written. "
        "Esc, then edit it again to start from the file as it is now"
    )
