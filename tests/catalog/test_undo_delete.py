"""Issue 23, part 1: undo of a delete after someone else wrote puts back the record's own
bytes, where it stood when the text around it is unchanged, else says where."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import workspace_on
from tui.catalog.workspace import Saved

RACK = """\
[board]
tubes = 6

[[sample]]
tube = 1
name = 'Lit'
kind = "rock-core"

[[sample]]  # the second core
tube = 2
name = 'Kept'   # a literal string
kind = "rock-core"
sol = 0x10
# checked on sol 16

[[sample]]
tube = 3
name = "After"
kind = "witness"
"""
# The record's own lines (a comment after its last key stays in the file when it is deleted).
RECORD = RACK[RACK.index("[[sample]]  # the second") : RACK.index("# checked")]


def saved(outcome: object) -> Saved:
    assert isinstance(outcome, Saved), outcome
    return outcome


def delete_tube_2(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    ws = workspace_on(path)
    kept = ws.catalog.sample_at(2)
    assert kept is not None
    saved(ws.delete(kept))
    assert "Kept" not in path.read_text()
    return ws, path


def test_undo_after_a_line_appended_elsewhere_puts_the_record_back_in_place(
    tmp_path: Path,
) -> None:
    ws, path = delete_tube_2(tmp_path)
    path.write_text(path.read_text() + "# a note someone added\n")
    done = saved(ws.undo())
    assert done.message == "Undid the delete of tube 2"
    assert path.read_text() == RACK + "# a note someone added\n"  # byte for byte


def test_undo_when_the_text_around_it_changed_says_where_it_went(tmp_path: Path) -> None:
    ws, path = delete_tube_2(tmp_path)
    # Someone rewrote the record before it and the one after it.
    text = path.read_text().replace("name = 'Lit'", 'name = "Lit"  # renamed quotes')
    path.write_text(text.replace('kind = "witness"', 'kind = "witness"\nsite = "Jezero"'))
    done = saved(ws.undo())
    assert done.message == (
        "Undid the delete of tube 2; put back after tube 1 'Lit', as the text around it has changed"
    )
    after = path.read_text()
    assert RECORD in after  # its own bytes: the comments, 0x10 and 'Kept' as written
    assert after.index("'Kept'") < after.index('name = "After"')
    assert 'site = "Jezero"' in after and "# renamed quotes" in after


def test_undo_when_its_neighbours_are_gone_puts_it_at_the_end_and_says_so(
    tmp_path: Path,
) -> None:
    ws, path = delete_tube_2(tmp_path)
    path.write_text(
        "[board]\ntubes = 6\n\n[[sample]]\ntube = 5\nname = 'Other'\nkind = 'witness'\n"
    )
    done = saved(ws.undo())
    assert done.message.endswith(
        "put back at the end of the file, as the text around it has changed"
    )
    assert path.read_text().endswith("\n\n" + RECORD)
