"""Issue 23, part 5: the rules between records are decided by one function (rules.clash), for
check, the form, the store (one sample or many), a move and the merge: one answer each."""

from __future__ import annotations

import ast
from pathlib import Path

import attrs

from tests.conftest import REPO, workspace_on
from tui.catalog.fields import read_field
from tui.catalog.merge import merge
from tui.catalog.model import Kind, Sample, Status
from tui.catalog.validate import parse_text
from tui.catalog.workspace import Refused, Saved, tube_to_fill

GROWING = (
    '[board]\ntitle = "No tubes set"\n\n[[sample]]\ntube = 1\nname = "One"\nkind = "witness"\n'
)
FIXED = GROWING.replace('title = "No tubes set"', "tubes = 2")


def test_without_tubes_in_board_the_form_and_the_store_agree_the_board_grows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(GROWING)
    ws = workspace_on(path)
    # The form: tube 2 is fine (it said "the board has tubes 1..1").
    assert read_field("tube", "2", ws.catalog, None) == (2, None)
    # Add: the next tube, not "the board is full" on every add.
    assert tube_to_fill(ws.catalog, 1) == 2
    done = ws.add(Sample(tube=2, name="Two", kind=Kind.WITNESS))
    assert isinstance(done, Saved), done
    assert tube_to_fill(ws.catalog, 1) == 3
    moved = ws.move(ws.catalog.sample_at(2), 7)  # type: ignore[arg-type]
    assert isinstance(moved, Saved), moved


def test_with_tubes_in_board_every_path_refuses_in_the_same_words(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(FIXED)
    ws = workspace_on(path)
    said = "tube 3 is out of range: the board has tubes 1..2"
    assert read_field("tube", "3", ws.catalog, None) == (None, said)
    refused = ws.add(Sample(tube=3, name="Three", kind=Kind.WITNESS))
    assert isinstance(refused, Refused) and refused.reason == said
    one = ws.catalog.sample_at(1)
    assert one is not None
    moved = ws.move(one, 3)
    assert isinstance(moved, Refused) and moved.reason == f"Cannot move: {said}."
    many = ws.change_many(((None, Sample(tube=3, name="Three", kind=Kind.WITNESS)),), "add", 3)
    assert isinstance(many, Refused) and many.reason == said
    checked = parse_text(FIXED + '\n[[sample]]\ntube = 3\nname = "Three"\nkind = "witness"\n')
    assert [p.message for p in checked.problems] == [said]
    # The same for a name, ignoring case: form, store and check.
    taken = "the name 'ONE' is already used by tube 1 (names ignore case)"
    assert read_field("name", "ONE", ws.catalog, None) == (None, taken)
    refused = ws.add(Sample(tube=2, name="ONE", kind=Kind.WITNESS))
    assert isinstance(refused, Refused) and refused.reason == taken
    checked = parse_text(FIXED + '\n[[sample]]\ntube = 2\nname = "ONE"\nkind = "witness"\n')
    assert [p.message for p in checked.problems] == [
        "the name 'ONE' is already used on line 6 by tube 1 (names ignore case)"
    ]
    # And a merge whose result would break it is not written.
    ours = FIXED + '\n[[sample]]\ntube = 2\nname = "Ours"\nkind = "witness"\n'
    theirs = FIXED + '\n[[sample]]\ntube = 2\nname = "Theirs"\nkind = "witness"\n'
    assert merge(FIXED, ours, theirs).conflicts


def test_the_words_of_the_rules_are_formed_in_rules_py_alone() -> None:
    """No second implementation: tube_taken, name_taken and check_tube's board range are
    called only from rules.py (and check_tube from the field rule that defines it)."""
    callers = []
    for path in sorted((REPO / "tui").rglob("*.py")):
        if path.name == "rules.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("tube_taken", "name_taken"):
                callers.append(f"{path.relative_to(REPO)}:{node.lineno} {node.attr}")
            if isinstance(node, ast.Name) and node.id in ("tube_taken", "name_taken"):
                callers.append(f"{path.relative_to(REPO)}:{node.lineno} {node.id}")
    assert callers == []


def test_undo_says_a_move_and_counts_one_tube_as_one(tmp_path: Path) -> None:
    """Issue 23, part 13: "Undid the change of 1 tubes"; a move undone said "the edit"."""
    path = tmp_path / "catalog.toml"
    path.write_text(FIXED.replace("tubes = 2", "tubes = 4"))
    ws = workspace_on(path)
    one = ws.catalog.sample_at(1)
    assert one is not None
    assert isinstance(ws.move(one, 3), Saved)
    undone = ws.undo()
    assert isinstance(undone, Saved) and undone.message == "Undid the move of tube 1 to tube 3"
    one = ws.catalog.sample_at(1)
    assert one is not None
    done = ws.change_many(((one, attrs.evolve(one, status=Status.DEPOSITED)),), "Set", 1)
    assert isinstance(done, Saved), done
    undone = ws.undo()
    assert isinstance(undone, Saved) and undone.message == "Undid the change of 1 tube"


def test_a_day_the_calendar_lacks_is_said_not_answered_with_the_format() -> None:
    catalog = parse_text(FIXED).catalog
    assert catalog is not None
    assert read_field("date", "2025-02-30", catalog, None) == (
        None,
        "no such day in the calendar",
    )
    assert read_field("date", "30/02/2025", catalog, None) == (None, "YYYY-MM-DD, like 2021-08-06")
