"""One change of a session, kept so that it can be taken back.

Imported after the first screen is up (the board's indexing worker loads it): attrs builds
each class from generated code, and the first screen has no change to keep.
"""

from __future__ import annotations

from typing import Literal

import attr

from tui.catalog.model import Sample
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

    def compacted(self) -> Step:
        if self.file_before is None or self.file_after is None:
            return self
        patch = Patch.between(self.file_before, self.file_after)
        return attr.evolve(self, file_before=None, file_after=None, patch=patch)
