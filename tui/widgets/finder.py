"""What the board highlights: the tubes the search matches, and the filter's dimming.

Plain state and arithmetic, no widget: the board screen keeps one, asks it, and shows what it
says on the board and in the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.catalog.model import Catalog, Kind, Sample, Status
from tui.lazy import later

# The query language loads with the first search, not with the first screen (tui/lazy.py).
if TYPE_CHECKING:
    from tui.catalog import query
    from tui.catalog.query import QueryError
else:
    query = later("tui.catalog.query")


class Finder:
    """The search's query and matches and the filter: what the views mark and dim."""

    def __init__(self) -> None:
        self.query = ""
        self.filter: str | None = None  # "kind:<value>" or "status:<value>"
        self.matches: list[int] = []
        self.error: QueryError | None = None  # why the query cannot be understood

    def search(self, catalog: Catalog, text: str) -> None:
        """The tubes the query `text` (tui/catalog/query.py) matches; none, and the reason,
        for a query that cannot be understood."""
        self.query = text
        if not text.strip():  # no search: nothing to parse, nothing marked
            self.error, self.matches = None, []
            return
        parsed = query.parse(text)
        if isinstance(parsed, query.QueryError):
            self.error, self.matches = parsed, []
        else:
            self.error, self.matches = None, parsed.tubes(catalog)

    def why_none(self) -> str:
        """Why there is no match to go to or to mark, in words."""
        if self.error is not None:
            return f"The search cannot be read: {self.error}."
        if self.query.strip():
            return f"No tube matches the search {self.query.strip()!r}."
        return "No search: press / to search."

    def to_mark(self, catalog: Catalog) -> frozenset[int] | str:
        """What A marks: every match of the search; every filled tube when there is no
        search; and nothing, with the reason, for a search that matches nothing or cannot
        be read (never every tube)."""
        if not self.query.strip():
            return frozenset(s.tube for s in catalog.samples)
        if self.error is not None or not self.matches:
            return self.why_none() + " Nothing marked."
        return frozenset(self.matches)

    def clear(self) -> None:
        self.query, self.filter, self.matches, self.error = "", None, [], None

    def dim(self) -> Callable[[Sample | None], bool] | None:
        """Which tubes the filter dims, or None without a filter."""
        if not self.filter:
            return None
        field, _, value = self.filter.partition(":")
        wanted = Kind(value) if field == "kind" else Status(value)

        def dim(sample: Sample | None) -> bool:
            return sample is None or getattr(sample, field) is not wanted

        return dim

    def note(self) -> str:
        """What the summary says of the search and the filter."""
        parts = []
        if self.filter:
            parts.append(f"filter: {self.filter.partition(':')[2]}")
        if self.query:
            count = len(self.matches)
            parts.append(f"{count} match{'es' if count != 1 else ''} · n/N next/previous")
        return " · ".join(parts)
