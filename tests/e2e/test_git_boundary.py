"""Issue 22, parts 1, 5 and 6, in real git repositories: code committed to a repository never
runs as tubeboard, a driver that cannot start still leaves the other side in the file, and
git-setup says the truth for every file name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tests.e2e.test_git_merge import OURS, THEIRS, git, new_repo, two_branches

PLANTED = Path(__file__).parent.parent / "corpus" / "planted"
# Isolated, as tubeboard starts itself: the tests' own runs must not import a planted tui/.
TUBEBOARD = [sys.executable, "-I", "-m", "tui"]


def tubeboard(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    from tests.e2e.test_git_merge import ENV

    return subprocess.run(
        [*TUBEBOARD, *args], cwd=folder, env=ENV, capture_output=True, text=True, check=False
    )


def plant(folder: Path) -> None:
    shutil.copytree(PLANTED / "tui", folder / "tui")
    shutil.copy(PLANTED / "tui.py", folder / "tui.py")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = new_repo(tmp_path, "repo")
    (folder / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    assert tubeboard(folder, "git-setup", "catalog.toml").returncode == 0
    git(folder, "add", "catalog.toml", ".gitattributes")
    git(folder, "commit", "-qm", "The shipped catalogue, merged by tubeboard")
    return folder


def test_a_planted_tui_package_never_runs_as_the_merge_driver(repo: Path) -> None:
    plant(repo)
    git(repo, "add", "tui", "tui.py")
    git(repo, "commit", "-qm", "Someone's tui/ and tui.py")
    two_branches(repo, OURS, THEIRS)
    merged = git(repo, "merge", "theirs", "-m", "Merge theirs", check=False)
    assert not (repo / "PLANTED-RAN").exists(), "code from the repository ran"
    assert merged.returncode == 0, merged.stdout + merged.stderr
    # The real driver ran: both new samples are there, which git's line merge cannot do.
    text = (repo / "catalog.toml").read_text()
    assert text == SHIPPED.read_text() + OURS + THEIRS


def test_git_setup_registers_an_isolated_driver_with_a_line_merge_fallback(repo: Path) -> None:
    driver = git(repo, "config", "merge.tubeboard.driver").stdout
    assert f"{sys.executable} -I -m tui merge %O %A %B %P" in driver
    assert "git merge-file" in driver


def test_a_driver_whose_venv_is_gone_still_leaves_theirs_in_the_file(
    repo: Path, tmp_path: Path
) -> None:
    # As git-setup would write it from a venv that has since been deleted.
    from tui.git_commands import driver_command

    gone = str(tmp_path / "deleted-venv" / "bin" / "python")
    git(repo, "config", "merge.tubeboard.driver", driver_command(gone))
    two_branches(repo, OURS, THEIRS)
    merged = git(repo, "merge", "theirs", "-m", "Merge theirs", check=False)
    assert merged.returncode != 0  # both appended at the end: a conflict by lines
    assert "cannot start tubeboard; merged by lines" in merged.stderr + merged.stdout
    text = (repo / "catalog.toml").read_text()
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    assert "Theirs new" in text and "Ours new" in text  # theirs is not lost
    assert "catalog.toml" in git(repo, "diff", "--name-only", "--diff-filter=U").stdout
    git(repo, "merge", "--abort")
    # check says so, before anyone merges.
    checked = tubeboard(repo, "check", "catalog.toml")
    assert checked.returncode == 0
    assert "warning: the merge driver no longer runs" in checked.stdout
    assert "run tubeboard git-setup again" in checked.stdout
    # An old driver (python -m tui, not isolated) is called out too.
    git(repo, "config", "merge.tubeboard.driver", f"{sys.executable} -m tui merge %O %A %B %P")
    checked = tubeboard(repo, "check", "catalog.toml")
    assert "set up by an older tubeboard" in checked.stdout
    # Set up again: nothing to say.
    assert tubeboard(repo, "git-setup", "catalog.toml").returncode == 0
    assert "warning" not in tubeboard(repo, "check", "catalog.toml").stdout


async def test_the_app_says_when_the_driver_no_longer_runs(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.test_git_merge import ENV
    from tui.app import TubeboardApp
    from tui.git_commands import driver_command

    for key in ("HOME", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(key, ENV[key])
    git(repo, "config", "merge.tubeboard.driver", driver_command(str(tmp_path / "gone")))
    app = TubeboardApp(repo / "catalog.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            said = [n.message for n in app._notifications]
            if said:
                break
        assert any("The merge driver no longer runs" in m for m in said), said


# File names git quotes, treats as patterns or pathspec magic, or .gitattributes must escape.
NAMES = [
    "cat[1].toml",
    "cat*.toml",
    "a b.toml",
    "#hash.toml",
    "!bang.toml",
    'quo"te.toml',
    "back\\slash.toml",
    "tab\there.toml",
    "new\nline.toml",
    "st*ar?.toml",
    "Mär catalogue.toml",
    ":colon.toml",
]


@pytest.mark.parametrize("name", NAMES)
def test_git_setup_is_true_for_every_file_name(tmp_path: Path, name: str) -> None:
    folder = new_repo(tmp_path, "repo")
    (folder / name).write_bytes(SHIPPED.read_bytes())
    (folder / "cat1.toml").write_bytes(SHIPPED.read_bytes())  # what `cat[1]` would match
    done = tubeboard(folder, "git-setup", name)
    assert done.returncode == 0, done.stderr
    asked = git(folder, "check-attr", "-z", "merge", "--", name, "cat1.toml").stdout.split("\0")
    assert asked[:6] == [name, "merge", "tubeboard", "cat1.toml", "merge", "unspecified"]
    status = git(folder, "status", "--porcelain")
    assert status.stderr == ""  # no warning about a broken .gitattributes line
    again = tubeboard(folder, "git-setup", name)
    assert again.returncode == 0 and "already has" in again.stdout


def test_git_setup_anchors_the_pattern_to_the_file(tmp_path: Path) -> None:
    folder = new_repo(tmp_path, "repo")
    (folder / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    (folder / "sub").mkdir()
    (folder / "sub" / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    assert tubeboard(folder, "git-setup", "catalog.toml").returncode == 0
    said = git(folder, "check-attr", "merge", "--", "sub/catalog.toml").stdout
    assert said == "sub/catalog.toml: merge: unspecified\n"


@pytest.mark.parametrize("kind", ["latin-1", "folder", "dangling link"])
def test_a_strange_gitattributes_is_a_message_never_a_traceback(tmp_path: Path, kind: str) -> None:
    folder = new_repo(tmp_path, "repo")
    (folder / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    attributes = folder / ".gitattributes"
    if kind == "latin-1":
        attributes.write_bytes("# Müller's\n*.png binary\n".encode("latin-1"))
    elif kind == "folder":
        attributes.mkdir()
    else:
        os.symlink(folder / "nowhere", attributes)
    done = tubeboard(folder, "git-setup", "catalog.toml")
    assert "Traceback" not in done.stderr
    if kind == "latin-1":  # its bytes kept as they were, the line added
        assert done.returncode == 0, done.stderr
        assert attributes.read_bytes().startswith("# Müller's\n".encode("latin-1"))
    else:
        assert done.returncode == 2 and done.stderr.startswith("tubeboard git-setup: ")
