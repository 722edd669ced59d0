"""Issue 15, part 2: `tubeboard log`, on real git repositories with real commits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_git_merge import git, new_repo, tubeboard

CATALOGUE = """\
# A rack, kept by hand.
[board]
tubes = 9

[[sample]]
tube = 1
name = "Alpha"
kind = "rock-core"

[[sample]]
tube = 5
name = "Salette"
kind = "rock-core"
notes = "Cored on sol 262."
"""


@pytest.fixture
def rack(tmp_path: Path) -> Path:
    """An empty repository."""
    return new_repo(tmp_path, "rack")


def commit(repo: Path, text: str, subject: str) -> None:
    (repo / "catalog.toml").write_text(text)
    git(repo, "add", "catalog.toml")
    git(repo, "commit", "-qm", subject)


def history(repo: Path) -> Path:
    """Five commits: the file, a status, a move with a note, a broken save, its fix."""
    commit(repo, CATALOGUE, "A small rack")
    text = CATALOGUE.replace('notes = "Cored', 'status = "deposited"\nnotes = "Cored')
    commit(repo, text, "Salette goes to the depot")
    text = text.replace("tube = 5", "tube = 7").replace("sol 262.", "sol 262; moved.")
    commit(repo, text, "Move Salette to 7")
    commit(repo, text.replace('kind = "rock-core"\nstatus', 'kind = "rock-core\nstatus'), "Oops")
    commit(repo, text.replace('name = "Salette"', 'name = "Salette A"'), "Rename")
    return repo / "catalog.toml"


def test_log_of_one_tube_follows_it_across_a_move_and_a_rename(rack: Path) -> None:
    path = history(rack)
    path.write_text(path.read_text().replace("sol 262; moved.", "sol 262; moved; checked."))
    done = tubeboard(rack, "log", "catalog.toml", "--tube", "7")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "uncommitted"
    assert lines[1] == "    notes: changed"
    subjects = [line.split("  ", 1)[1] for line in lines[2:] if not line.startswith(" ")]
    assert subjects == [
        "Rename",
        "Oops",
        "Move Salette to 7",
        "Salette goes to the depot",
        "A small rack",
    ]
    assert lines[3:] == [
        "    renamed from Salette",  # told against the last version that parsed
        lines[4],
        "    the record did not parse here",
        lines[6],
        "    moved from tube 5, notes: changed",
        lines[8],
        "    status: deposited",
        lines[10],
        "    added",
    ]
    first = next(line for line in lines if "Rename" in line)
    short, day, author = first.split()[:3]
    assert len(short) >= 7 and day.count("-") == 2 and author == "Curator"
    by_name = tubeboard(rack, "log", "catalog.toml", "--name", "salette a")
    assert by_name.stdout == done.stdout


def test_a_record_that_did_not_parse_is_said_never_a_traceback(rack: Path) -> None:
    history(rack)
    every = tubeboard(rack, "log", "catalog.toml")
    assert every.returncode == 0, every.stderr
    assert "Traceback" not in every.stdout + every.stderr
    oops = every.stdout[every.stdout.index("Oops") :].splitlines()[1]
    assert oops.startswith("    the file did not parse: ")
    assert "tube 7 'Salette A': renamed from Salette" in every.stdout
    assert "tube 5 'Salette': status: deposited" in every.stdout
    assert "tube 1 'Alpha': added" in every.stdout


def test_log_outside_a_work_tree_and_for_an_empty_tube(rack: Path, tmp_path: Path) -> None:
    history(rack)
    empty = tubeboard(rack, "log", "catalog.toml", "--tube", "3")
    assert empty.returncode == 1 and "no sample in tube 3" in empty.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "catalog.toml").write_text(CATALOGUE)
    refused = tubeboard(outside, "log", "catalog.toml")
    assert refused.returncode == 2 and "is not in a git work tree" in refused.stderr


def test_log_of_a_tube_names_the_commit_on_the_branch_that_made_the_change(rack: Path) -> None:
    """Whom to ask is the author of the change, not whoever merged it; a merge that
    resolved a conflict on the record is a change of its own."""
    commit(rack, CATALOGUE, "A small rack")
    git(rack, "checkout", "-qb", "side")
    side = CATALOGUE.replace('notes = "Cored', 'status = "deposited"\nnotes = "Cored')
    (rack / "catalog.toml").write_text(side)
    git(rack, "-c", "user.name=Other", "commit", "-qam", "Deposit on side", "--author=Other <o@x>")
    git(rack, "checkout", "-q", "main")
    commit(rack, CATALOGUE.replace("sol 262.", "sol 262 (main)."), "Note on main")
    assert git(rack, "merge", "-q", "side", check=False).returncode != 0  # both near the notes
    resolved = side.replace("sol 262.", "sol 262 (both).")
    commit(rack, resolved, "Merge side")
    done = tubeboard(rack, "log", "catalog.toml", "--tube", "5")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    said = [
        (head.split(None, 3)[2:], words.strip())
        for head, words in zip(lines[::2], lines[1::2], strict=True)
    ]
    assert said[0] == (["Curator", "Merge side"], "notes: changed, status: deposited")
    assert sorted(said[1:3]) == [  # made in the same second: git orders them either way
        (["Curator", "Note on main"], "notes: changed"),
        (["Other", "Deposit on side"], "status: deposited"),
    ]
    assert said[3:] == [(["Curator", "A small rack"], "added")]
    alpha = tubeboard(rack, "log", "catalog.toml", "--tube", "1")
    assert [line.strip() for line in alpha.stdout.splitlines()][1::2] == ["added"]


def test_an_uncommitted_record_that_does_not_parse_is_said_as_such(rack: Path) -> None:
    path = history(rack)
    path.write_text(path.read_text().replace('name = "Salette A"', 'name = "Salette A'))
    done = tubeboard(rack, "log", "catalog.toml", "--tube", "7")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["uncommitted", "    the record does not parse"]
    assert "Rename" in done.stdout.splitlines()[2]


def test_a_version_that_is_not_a_catalogue_at_all_does_not_end_a_tube_s_history(
    rack: Path,
) -> None:
    commit(rack, CATALOGUE, "A small rack")
    (rack / "catalog.toml").write_bytes(b"\xff\xfe not text \x00")
    git(rack, "commit", "-qam", "Binary by mistake")
    commit(
        rack, CATALOGUE.replace('notes = "Cored', 'status = "deposited"\nnotes = "Cored'), "Back"
    )
    done = tubeboard(rack, "log", "catalog.toml", "--tube", "5")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("  ", 1)[1] for line in lines[::2]] == [
        "Back",
        "Binary by mistake",
        "A small rack",
    ]
    assert lines[1::2] == [
        "    status: deposited",  # told against the last version that read
        "    the record did not parse here",
        "    added",
    ]


def test_log_of_one_sample_follows_a_rename_and_a_move_in_one_commit(rack: Path) -> None:
    """Issue 27, part 5: a sample renamed and moved at once was "added" there, and its older
    history was lost; tube 5 of the old version holds another sample by then, not it."""
    text = CATALOGUE.replace('notes = "Cored', 'designation = "M2020-262-5"\nnotes = "Cored')
    commit(rack, text, "A small rack")
    text = text.replace(
        'kind = "rock-core"\ndesignation', 'kind = "rock-core"\nstatus = "sealed"\ndesignation'
    )
    commit(rack, text, "Sealed")
    moved = text.replace('tube = 5\nname = "Salette"', 'tube = 8\nname = "Salette B"')
    moved += '\n[[sample]]\ntube = 5\nname = "Newcomer"\nkind = "regolith"\n'
    commit(rack, moved, "Salette to 8 as Salette B; a newcomer in 5")
    done = tubeboard(rack, "log", "catalog.toml", "--name", "Salette B")
    assert done.returncode == 0, done.stderr
    subjects = [line.split("  ", 1)[1] for line in done.stdout.splitlines() if line[:1] != " "]
    assert subjects == ["Salette to 8 as Salette B; a newcomer in 5", "Sealed", "A small rack"]
    assert "    moved from tube 5, renamed from Salette" in done.stdout
    assert "    status: sealed" in done.stdout
    assert tubeboard(rack, "log", "catalog.toml", "--tube", "8").stdout == done.stdout
    every = tubeboard(rack, "log", "catalog.toml").stdout  # the newcomer is not Salette renamed
    assert "tube 8 'Salette B': moved from tube 5, renamed from Salette" in every
    assert "tube 5 'Newcomer': added" in every
