"""One change of a session, kept so that it can be taken back.

Imported after the first screen is up (the board's indexing worker loads it): attrs builds
each class from generated code, and the first screen has no change to keep.
"""

from __future__ import annotations

from typing import Literal

import attr

from tui.catalog.edit import Cut
from tui.catalog.model import Catalog, Sample
from tui.catalog.patch import Patch


@attr.frozen
class Step:
    """One change, enough to take it back.

    It holds the file before and after the change until the board's worker turns them into
    a Patch: a long session on a large file would otherwise keep a whole copy of the file for
    every save.
    """

    what: Literal["add", "edit", "delete", "change"]
    before: Sample | None
    after: Sample | None
    file_before: bytes | None  # the file as it was, put back exactly if nobody changed it since
    file_after: bytes | None
    patch: Patch | None = None
    # A change of many samples ("change"): each (before, after), None where there was none.
    pairs: tuple[tuple[Sample | None, Sample | None], ...] = ()
    # A delete: where the record stood, so that undo puts its own bytes back there.
    place: Place | None = None

    def compacted(self) -> Step:
        if self.file_before is None or self.file_after is None:
            return self
        patch = Patch.between(self.file_before, self.file_after)
        return attr.evolve(self, file_before=None, file_after=None, patch=patch)


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
