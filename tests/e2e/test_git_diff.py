"""Issue 26, part 4: `tubeboard diff REV [REV2] [PATH]`, on a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_git_log import history
from tests.e2e.test_git_merge import git, new_repo, tubeboard


@pytest.fixture
def rack(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path, "rack")
    history(repo)  # five commits: the file, a status, a move, a broken save, a rename
    return repo


def test_two_commits_compared_follow_a_move_and_a_status(rack: Path) -> None:
    done = tubeboard(rack, "diff", "HEAD~4", "HEAD~2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "tube 7 'Salette': moved from tube 5, notes: changed, status: deposited"
    ]


def test_a_commit_against_the_working_file_and_a_rename(rack: Path) -> None:
    path = rack / "catalog.toml"
    path.write_text(path.read_text().replace('name = "Alpha"', 'name = "Alpha"\nsite = "Ridge"'))
    done = tubeboard(rack, "diff", "HEAD~2", "catalog.toml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "tube 1 'Alpha': site: Ridge",
        "tube 7 'Salette A': renamed from Salette",
    ]
    # The same with no PATH (./catalog.toml), and as JSON for a script.
    as_json = tubeboard(rack, "diff", "HEAD~2", "--format", "json")
    found = json.loads(as_json.stdout)
    assert [(c["tube"], c["change"]) for c in found] == [(1, "changed"), (7, "changed")]
    assert found[1]["before"]["name"] == "Salette" and found[1]["after"]["name"] == "Salette A"


def test_a_day_a_broken_side_and_a_wrong_revision_say_so(rack: Path) -> None:
    first = git(rack, "log", "--reverse", "--format=%ad", "--date=short").stdout.split()[0]
    assert tubeboard(rack, "diff", first, "HEAD").returncode == 0
    broken = tubeboard(rack, "diff", "HEAD~1", "HEAD")  # HEAD~1 is the broken save
    assert broken.returncode == 1 and "the file did not parse" in broken.stderr
    nothing = tubeboard(rack, "diff", "no-such-tag")
    assert nothing.returncode == 2
    assert "no commit 'no-such-tag' in this repository" in nothing.stderr
    # A revision that looks like an option never reaches git as one.
    target = rack.parent / "written-by-git"
    option = tubeboard(rack, "diff", "--", f"--output={target}")
    assert option.returncode == 2 and not target.exists()


def test_a_sample_renamed_and_moved_in_one_step_is_one_change() -> None:
    # Issue 27, part 5: it showed as "added" and "deleted".
    from tui.catalog.changes import diff

    salette = {"tube": 5, "name": "Salette", "kind": "rock-core", "sol": 262, "site": "Brac"}
    alpha = {"tube": 1, "name": "Alpha", "kind": "rock-core"}
    moved = {**salette, "tube": 7, "name": "Salette A"}
    assert [c.words() for c in diff([alpha, salette], [alpha, moved])] == [
        ["moved from tube 5", "renamed from Salette"]
    ]
    # Two left-over records with the same facts: no guess, an add and a delete each.
    twin = {**salette, "tube": 6, "name": "Twin"}
    twin_moved = {**twin, "tube": 8, "name": "Twin B"}
    words = [c.words() for c in diff([salette, twin], [moved, twin_moved])]
    assert words == [["added"], ["added"], ["deleted"], ["deleted"]]
    # A designation says it alone.
    tagged = {"tube": 2, "name": "Roubion", "kind": "atmosphere", "designation": "M2020-1"}
    renamed = {**tagged, "tube": 9, "name": "Roubion (atmo)"}
    assert [c.words() for c in diff([tagged], [renamed])] == [
        ["moved from tube 2", "renamed from Roubion"]
    ]
