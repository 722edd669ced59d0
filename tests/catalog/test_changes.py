"""Issue 15: what changed from one version of the file to the next (tui/catalog/changes.py),
as `tubeboard log` tells a history of hundreds of versions."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.catalog.test_merge import changed
from tests.strategies import catalog_files
from tui.catalog.changes import RecordChange, Version, diff
from tui.catalog.model import Catalog
from tui.catalog.validate import parse_text


def pairs(changes: list[RecordChange]) -> list[tuple[Any, Any]]:
    return sorted((repr(c.before), repr(c.after)) for c in changes)


@st.composite
def histories(draw: st.DrawFn) -> list[bytes | None]:
    """Versions of a file: random files, edits of the one before, the file gone."""
    text, catalog = draw(catalog_files())
    versions: list[bytes | None] = [text.encode()]
    for _ in range(draw(st.integers(1, 4))):
        step = draw(st.sampled_from(["new file", "edit", "gone", "broken"]))
        if step == "new file":
            text, catalog = draw(catalog_files())
        elif step == "edit" and catalog.samples:
            text = edit(draw, text, catalog)
            read = parse_text(text).catalog
            if read is None:  # an added tube past the board's end: valid TOML, no catalogue
                versions.append(text.encode())
                break
            catalog = read
        elif step == "broken":
            versions.append(text.encode() + b"\n[[sample]\n")
            continue
        versions.append(None if step == "gone" else text.encode())
    return versions


def edit(draw: st.DrawFn, text: str, catalog: Catalog) -> str:
    index = draw(st.integers(0, len(catalog.samples) - 1))
    sample = catalog.samples[index].to_toml()
    how = draw(st.sampled_from(["status", "delete", "add"]))
    if how == "delete":
        return changed(text, deleted=[index])
    if how == "add":
        free = max(s.tube for s in catalog.samples) + 1
        return changed(text, added=[{"tube": free, "name": "Added", "kind": "rock-core"}])
    return changed(
        text,
        {
            index: {
                **sample,
                "status": "sealed" if sample.get("status") != "sealed" else "deposited",
            }
        },
    )


@settings(max_examples=200, deadline=None)
@given(histories())
def test_each_step_says_what_a_whole_read_of_both_versions_says(
    versions: list[bytes | None],
) -> None:
    """Read block by block, each version's records and changes are those of reading both
    versions whole, however the file is written; a broken version is said and skipped."""
    before = whole = Version()
    for raw in versions:
        now, changes = before.then(raw)
        expected = Version.of(raw)
        assert now.problem == expected.problem
        if expected.problem is not None:
            assert changes == []
            continue
        assert now.records == expected.records
        assert pairs(changes) == pairs(diff(whole.records, expected.records))
        before, whole = now, expected


def test_a_step_reads_only_the_blocks_that_are_new() -> None:
    from tests.app.test_large import catalogue as generated

    text = generated(200)
    first, _ = Version().then(text.encode())
    assert first.blocks is not None and len(first.blocks) == 200
    edited = text.replace('tube = 7\nname = "Sample 00007"', 'tube = 7\nname = "Seven"')
    second, changes = first.then(edited.encode())
    assert [c.words() for c in changes] == [["renamed from Sample 00007"]]
    assert second.blocks is not None
    reused = [b for b in second.blocks if b in first.blocks]
    assert len(reused) == 199 and all(second.blocks[b] is first.blocks[b] for b in reused)


def test_blocks_that_read_alone_but_not_together_are_read_whole() -> None:
    """A `[board]` table after a record, when the file already has one, breaks the file
    though each block reads on its own."""
    good = '[board]\ntubes = 3\n\n[[sample]]\ntube = 1\nname = "A"\n'
    first, _ = Version().then(good.encode())
    assert first.problem is None and first.blocks is not None
    again, changes = first.then((good + '\n[board]\ntitle = "again"\n').encode())
    assert again.problem is not None and again.problem.startswith("the file did not parse: 8:")
    assert changes == []
