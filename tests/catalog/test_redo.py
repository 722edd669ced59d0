"""Issue 14, redo: ctrl+r makes the last undone change again, byte for byte when the file
still holds what the undo wrote, else as the change itself on the file as it is now."""

from __future__ import annotations

from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHIPPED, workspace_on
from tui.catalog.model import Kind, Sample
from tui.catalog.workspace import Refused, Saved, Workspace


def workspace(path: Path) -> Workspace:
    ws: Workspace = workspace_on(path)
    return ws


def saved(outcome: object) -> Saved:
    assert isinstance(outcome, Saved), outcome
    return outcome


def test_undo_then_redo_puts_back_the_same_bytes(shipped_copy: Path) -> None:
    ws = workspace(shipped_copy)
    original = shipped_copy.read_bytes()
    saved(ws.add(Sample(tube=40, name="Redo me", kind=Kind.WITNESS)))
    roubion = ws.catalog.sample_at(2)
    assert roubion is not None
    saved(ws.edit(roubion, attrs.evolve(roubion, site="Elsewhere")))
    after = shipped_copy.read_bytes()
    saved(ws.undo())
    saved(ws.undo())
    assert shipped_copy.read_bytes() == original
    assert saved(ws.redo()).message == "Redid the add of tube 40"
    assert saved(ws.redo()).message == "Redid the edit of tube 2"
    assert shipped_copy.read_bytes() == after
    outcome = ws.redo()
    assert isinstance(outcome, Refused) and "Nothing to redo" in outcome.reason


def test_redo_after_someone_else_wrote_makes_the_change_on_their_file(
    shipped_copy: Path,
) -> None:
    ws = workspace(shipped_copy)
    saved(ws.add(Sample(tube=40, name="Mine", kind=Kind.WITNESS)))
    saved(ws.undo())
    theirs = shipped_copy.read_text().replace("sol = 164", "sol = 165  # by hand")
    shipped_copy.write_text(theirs)
    saved(ws.redo())
    text = shipped_copy.read_text()
    assert "sol = 165  # by hand" in text and 'name = "Mine"' in text


def test_a_new_change_clears_what_could_be_redone(shipped_copy: Path) -> None:
    ws = workspace(shipped_copy)
    saved(ws.add(Sample(tube=40, name="One", kind=Kind.WITNESS)))
    saved(ws.undo())
    saved(ws.add(Sample(tube=41, name="Two", kind=Kind.WITNESS)))
    assert isinstance(ws.redo(), Refused)


CHANGES = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(1, 43), st.text(max_size=5)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None)
@given(changes=CHANGES)
def test_any_changes_undone_then_redone_give_the_same_bytes(
    tmp_path_factory: object, changes: list[tuple[str, int, str]]
) -> None:
    folder = tmp_path_factory.mktemp("redo")  # type: ignore[attr-defined]
    path = folder / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    ws = workspace(path)
    made = 0
    for number, (what, tube, text) in enumerate(changes):
        sample = ws.catalog.sample_at(tube)
        if what == "add" and sample is None:
            outcome = ws.add(Sample(tube=tube, name=f"new {number} {text}!", kind=Kind.REGOLITH))
        elif what == "edit" and sample is not None:
            outcome = ws.edit(sample, attrs.evolve(sample, notes=f"{text}\nedited {number}"))
        elif what == "delete" and sample is not None:
            outcome = ws.delete(sample)
        else:
            continue
        saved(outcome)
        made += 1
    after = path.read_bytes()
    for _ in range(made):
        saved(ws.undo())
    assert path.read_bytes() == SHIPPED.read_bytes()
    for _ in range(made):
        saved(ws.redo())
    assert path.read_bytes() == after
