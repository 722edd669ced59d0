"""Issue 15, part 4, in real git repositories: `tubeboard git-setup` and the merge driver
under `git merge`, against git's own line merge."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tui.catalog.validate import parse_bytes

TUBEBOARD = [sys.executable, "-m", "tui"]
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Curator",
    "GIT_AUTHOR_EMAIL": "curator@example.org",
    "GIT_COMMITTER_NAME": "Curator",
    "GIT_COMMITTER_EMAIL": "curator@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "",  # no user's git config
}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=ENV, capture_output=True, text=True, check=check
    )


def tubeboard(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TUBEBOARD, *args], cwd=repo, env=ENV, capture_output=True, text=True, check=False
    )


def new_repo(tmp_path: Path, name: str) -> Path:
    """An empty repository in `tmp_path`, git's HOME beside it (no user's config)."""
    ENV["HOME"] = str(tmp_path)
    folder = tmp_path / name
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = new_repo(tmp_path, "repo")
    (folder / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    git(folder, "add", "catalog.toml")
    git(folder, "commit", "-qm", "The shipped catalogue")
    return folder


def append(repo: Path, block: str) -> None:
    with (repo / "catalog.toml").open("a") as out:
        out.write(block)


OURS = '\n[[sample]]\ntube = 40\nname = "Ours new"   # added on main\nkind = "witness"\n'
THEIRS = '\n[[sample]]\ntube = 41\nname = "Theirs new"\nkind = "regolith"\n'


def set_up_driver(repo: Path) -> tuple[Path, str]:
    """git-setup committed; the catalogue's path and text."""
    tubeboard(repo, "git-setup", "catalog.toml")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "setup")
    path = repo / "catalog.toml"
    return path, path.read_text()


def two_branches(repo: Path, ours: str, theirs: str) -> None:
    """`theirs` appended on a branch, `ours` on main."""
    git(repo, "checkout", "-qb", "theirs")
    append(repo, theirs)
    git(repo, "commit", "-qam", "Their sample")
    git(repo, "checkout", "-q", "main")
    append(repo, ours)
    git(repo, "commit", "-qam", "Our sample")


def test_two_branches_that_each_add_a_sample_merge_cleanly(repo: Path) -> None:
    two_branches(repo, OURS, THEIRS)
    # git's own line merge fails on exactly this:
    plain = git(repo, "merge", "theirs", "-m", "merge", check=False)
    assert plain.returncode != 0 and "CONFLICT" in plain.stdout
    git(repo, "merge", "--abort")

    setup = tubeboard(repo, "git-setup", "catalog.toml")
    assert setup.returncode == 0, setup.stderr
    assert "added `/catalog.toml merge=tubeboard`" in setup.stdout
    assert (repo / ".gitattributes").read_text() == "/catalog.toml merge=tubeboard\n"
    assert (
        git(repo, "config", "merge.tubeboard.driver")
        .stdout.strip()
        .count("-I -m tui merge %O %A %B %P")
        == 1
    )
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "Merge catalogue records with tubeboard")

    merged = git(repo, "merge", "theirs", "-m", "Merge theirs", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / "catalog.toml").read_text()
    assert text == SHIPPED.read_text() + OURS + THEIRS  # ours first, each its own block
    assert tubeboard(repo, "check", "catalog.toml").returncode == 0
    assert git(repo, "status", "--porcelain").stdout == ""


def test_git_setup_is_idempotent_and_says_so(repo: Path, tmp_path: Path) -> None:
    (repo / ".gitattributes").write_text("*.png binary")  # no final newline
    tubeboard(repo, "git-setup", "catalog.toml")
    again = tubeboard(repo, "git-setup", "catalog.toml")
    assert again.returncode == 0
    assert "already has `/catalog.toml merge=tubeboard`" in again.stdout
    assert "git config merge.tubeboard.driver: already" in again.stdout
    attributes = (repo / ".gitattributes").read_text()
    assert attributes == "*.png binary\n/catalog.toml merge=tubeboard\n"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    refused = tubeboard(outside, "git-setup", "catalog.toml")
    assert refused.returncode == 2 and "is not in a git work tree" in refused.stderr


def test_a_key_changed_differently_is_a_conflict_on_that_record(repo: Path) -> None:
    path, original = set_up_driver(repo)
    git(repo, "checkout", "-qb", "theirs")
    path.write_text(
        original.replace(
            'name = "Roubion"\nkind = "atmosphere"\nstatus = "deposited"',
            'name = "Roubion"\nkind = "atmosphere"\nstatus = "unsealed"',
        )
    )
    append(repo, THEIRS)
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    path.write_text(
        original.replace(
            'name = "Roubion"\nkind = "atmosphere"\nstatus = "deposited"',
            'name = "Roubion"\nkind = "atmosphere"\nstatus = "sealed"',
        )
    )
    git(repo, "commit", "-qam", "ours")
    merged = git(repo, "merge", "theirs", "-m", "merge", check=False)
    assert merged.returncode != 0
    assert "tube 2 'Roubion': changed differently on both sides: status" in merged.stderr
    text = path.read_text()
    assert text.count("<<<<<<< ours") == 1 and text.count(">>>>>>> theirs") == 1
    inside = text[text.index("<<<<<<< ours") : text.index(">>>>>>> theirs")]
    assert 'status = "sealed"' in inside and 'status = "unsealed"' in inside
    assert "Montdenier" not in inside  # the conflict is that record alone
    assert "Theirs new" in text  # the clean change beside it is made
    assert "catalog.toml" in git(repo, "diff", "--name-only", "--diff-filter=U").stdout


def test_the_driver_on_files_and_its_fallback_to_a_line_merge(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    text = SHIPPED.read_text()
    base.write_text(text)
    ours.write_text(text + OURS)
    theirs.write_text(text + THEIRS)
    done = tubeboard(tmp_path, "merge", str(base), str(ours), str(theirs), "catalog.toml")
    assert done.returncode == 0 and ours.read_text() == text + OURS + THEIRS
    # Not TOML on one side: git's line merge, and a conflict, said as such.
    ours.write_text(text + "\n[[sample\n")
    done = tubeboard(tmp_path, "merge", str(base), str(ours), str(theirs), "catalog.toml")
    assert done.returncode == 1
    assert "merged by lines instead: ours is not valid TOML" in done.stderr
    assert "<<<<<<< ours" in ours.read_text()
    missing = tubeboard(tmp_path, "merge", str(base), str(tmp_path / "nope"), str(theirs))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert parse_bytes(base.read_bytes()).catalog is not None  # the base is never written


def test_a_clean_merge_keeps_their_tables_and_comments(repo: Path) -> None:
    """Issue 22, part 3, under `git merge`: theirs adds a table, a header comment and a
    comment inside a record; ours adds a sample. All of it is in the merged file."""
    path, original = set_up_driver(repo)
    git(repo, "checkout", "-qb", "theirs")
    theirs = "# Kept by the sample team\n" + original.replace(
        'name = "Roubion"\n', 'name = "Roubion"  # the first atmosphere\n', 1
    )
    path.write_text(theirs + '\n[meta]\nowner = "JPL"\n')
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    append(repo, OURS)
    git(repo, "commit", "-qam", "ours")
    merged = git(repo, "merge", "theirs", "-m", "merge", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = path.read_text()
    for line in ("# Kept by the sample team", "# the first atmosphere", "[meta]", "Ours new"):
        assert line in text
