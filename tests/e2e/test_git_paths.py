"""Issue 22, part 7: git reads on unusual paths and versions, in real repositories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_git_boundary import NAMES
from tests.e2e.test_git_log import CATALOGUE
from tests.e2e.test_git_merge import git, new_repo, tubeboard


@pytest.mark.parametrize("name", NAMES)
def test_log_reads_the_history_of_a_file_of_any_name(tmp_path: Path, name: str) -> None:
    repo = new_repo(tmp_path, "repo")
    path = repo / name
    path.write_text(CATALOGUE)
    # A file a glob or pathspec magic would also match, changed in its own commits.
    decoy = repo / ("cat1.toml" if "cat" in name else "colon.toml")
    decoy.write_text(CATALOGUE)
    git(repo, "--literal-pathspecs", "add", "--", name, decoy.name)
    git(repo, "commit", "-qm", "The rack")
    path.write_text(CATALOGUE.replace('name = "Alpha"', 'name = "Alpha B"'))
    git(repo, "commit", "-qam", "Rename Alpha")
    decoy.write_text(CATALOGUE.replace("tube = 1", "tube = 2"))
    git(repo, "commit", "-qam", "Move the decoy's Alpha")
    path.write_text(CATALOGUE.replace('name = "Alpha"', 'name = "Alpha C"'))  # uncommitted

    done = tubeboard(repo, "log", name)
    assert done.returncode == 0, done.stderr
    commits = [line for line in done.stdout.splitlines()[1:] if not line.startswith(" ")]
    subjects = [line.split("  ", 1)[1] for line in commits]
    assert subjects == ["Rename Alpha", "The rack"], done.stdout
    assert done.stdout.startswith("uncommitted\n    tube 1 'Alpha C': renamed from Alpha B")
    one = tubeboard(repo, "log", name, "--tube", "1")
    assert one.returncode == 0, one.stderr
    assert "Rename Alpha" in one.stdout and "The rack" in one.stdout
    assert "decoy" not in one.stdout


def test_log_refuses_a_fifo_as_check_does(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, "repo")
    os.mkfifo(repo / "catalog.toml")
    done = tubeboard(repo, "log", "catalog.toml")  # (hung before, reading the pipe)
    assert done.returncode == 2
    assert "it is a named pipe (FIFO), not a regular file" in done.stderr


def test_a_version_nested_too_deep_is_said_and_the_log_goes_on(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, "repo")
    path = repo / "catalog.toml"
    path.write_text(CATALOGUE)
    git(repo, "add", "catalog.toml")
    git(repo, "commit", "-qm", "The rack")
    path.write_text(CATALOGUE + "deep = " + "[" * 3000 + "]" * 3000 + "\n")
    git(repo, "commit", "-qam", "Deep")
    path.write_text(CATALOGUE.replace('name = "Alpha"', 'name = "Alpha B"'))
    git(repo, "commit", "-qam", "Fixed")
    done = tubeboard(repo, "log", "catalog.toml")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "nested too deeply" in done.stdout and "The rack" in done.stdout
    one = tubeboard(repo, "log", "catalog.toml", "--tube", "5")
    assert one.returncode == 0 and "Traceback" not in one.stderr, one.stderr
    assert "did not parse here" in one.stdout and "The rack" in one.stdout


@pytest.mark.parametrize("how", ["untracked", "ignored"])
def test_the_html_page_does_not_claim_a_commit_for_a_file_git_does_not_track(
    tmp_path: Path, how: str
) -> None:
    repo = new_repo(tmp_path, "repo")
    (repo / "README").write_text("rack\n")
    if how == "ignored":
        (repo / ".gitignore").write_text("catalog.toml\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "First")
    (repo / "catalog.toml").write_text(CATALOGUE)
    done = tubeboard(repo, "export", "catalog.toml", "--format", "html")
    assert done.returncode == 0, done.stderr
    said = "git ignores this file" if how == "ignored" else "git does not track this file"
    assert said in done.stdout
    assert "First" not in done.stdout
