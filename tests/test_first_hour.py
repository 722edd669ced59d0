"""Issue 12, items 2 and 3: what a new user meets in the first hour, as the README tells it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED
from tui import cli

BIN = Path(sys.executable).parent
README = (REPO / "README.md").read_text()


def readme_block(after: str, language: str = "sh") -> str:
    """The first ```language block after the heading `after`."""
    section = README[README.index(after) :]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"no {language} block after {after!r}"
    return match[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_readme_pre_commit_snippet_works_as_written(tmp_path: Path) -> None:
    snippet = readme_block("### pre-commit")
    assert "tubeboard_repo=/path/to/tubeboard\n" in snippet
    hook_repo = tmp_path / "tubeboard"  # a clone, as a user has: HEAD is a real commit
    subprocess.run(["git", "clone", "-q", str(REPO), str(hook_repo)], check=True)
    lab = tmp_path / "lab"
    (lab / "rack").mkdir(parents=True)
    (lab / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    (lab / "rack" / "catalog.toml").write_text('[[sample]]\ntube = 1\nname = "A"\nkind = "x"\n')
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    run = {"cwd": lab, "env": env, "capture_output": True, "text": True, "timeout": 600}
    subprocess.run(["git", "init", "-q"], check=True, **run)  # type: ignore[call-overload]
    subprocess.run(["git", "add", "."], check=True, **run)  # type: ignore[call-overload]
    # The snippet exactly, with the one line a user edits set to the clone.
    script = snippet.replace("/path/to/tubeboard", str(hook_repo))
    result = subprocess.run(["bash", "-c", script], **run)  # type: ignore[call-overload]
    output = result.stdout + result.stderr
    assert "did not match" not in output and "InvalidManifestError" not in output, output
    assert result.returncode == 1, output  # the broken rack fails the hook
    assert "rack/catalog.toml:4:1: error: unknown kind 'x'" in output
    config = (lab / ".pre-commit-config.yaml").read_text()
    assert re.search(r"rev: [0-9a-f]{40}\n", config), config


def test_serve_without_textual_serve_says_what_works(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    assert cli.main(["serve", str(SHIPPED)]) == 2
    message = capsys.readouterr().err
    assert "pip install '.[web]'" in message and "pipx inject tubeboard textual-serve" in message
    assert "tubeboard[web]" not in message  # no package index has that


def test_a_system_without_posix_gets_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "posix", lambda: False)
    assert cli.main(["check", str(SHIPPED)]) == 2
    assert "needs a POSIX system" in capsys.readouterr().err


def test_readme_says_what_system_it_needs() -> None:
    assert "needs a POSIX system" in README


def test_top_level_help_lists_several_paths_for_check() -> None:
    usage = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "check       validate each PATH" in usage
    check = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--help"], capture_output=True, text=True
    ).stdout
    assert "tubeboard check [-h] [--at REV] [PATH ...]" in check


async def test_the_palette_screenshot_is_saved_beside_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.conftest import messages
    from tests.app.test_live import wait_until
    from tui.app import TubeboardApp

    monkeypatch.setenv("HOME", str(tmp_path / "no-such-home"))  # no ~/Downloads, as on servers
    folder = tmp_path / "lab"
    folder.mkdir()
    path = folder / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.deliver_screenshot()  # what the palette's "Screenshot" calls

        def said() -> bool:
            return any("Saved screenshot to" in m and f"'{folder}/" in m for m in messages(app))

        await wait_until(pilot, said)
    (shot,) = folder.glob("*.svg")
    assert "Perseverance" in shot.read_text()


def test_demo_runs_reuse_one_cache_folder_and_leave_nothing_in_tmp(tmp_path: Path) -> None:
    import tempfile

    scratch = Path(tempfile.gettempdir())
    before = set(scratch.glob("tubeboard-demo-*"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = "from tui.cli import demo_copy; print(demo_copy())"

    def demo() -> Path:
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return Path(out.stdout.strip())

    first = demo()
    assert first == tmp_path / "cache" / "tubeboard" / "demo" / "catalog.toml"
    first.write_text("# scribbled on by the last demo\n")
    second = demo()
    assert second == first and second.read_bytes() == SHIPPED.read_bytes()  # fresh again
    assert set(scratch.glob("tubeboard-demo-*")) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="the example is a git repository")
def test_the_readme_git_example_works_as_written(tmp_path: Path) -> None:
    """Issue 15: the worked merge example, as written, with the installed command."""
    snippet = readme_block("## Working in git")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["bash", "-euc", snippet], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    names = [line.split("\t")[1] for line in result.stdout.splitlines() if "\t" in line]
    assert names == ["Roubion", "Montagnac", "Montdenier"], result.stdout


def test_demo_with_at_is_refused_before_anything_is_copied(tmp_path: Path) -> None:
    # Issue 27, part 5: `--demo --at HEAD` copied the demo, then failed.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--demo", "--at", "HEAD"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and "--demo is a fresh copy outside git" in done.stderr
    assert not (tmp_path / "cache").exists()


async def test_a_screenshot_of_a_file_whose_name_is_not_utf8_is_saved_whole(
    tmp_path: Path,
) -> None:
    # Issue 27, part 5: a byte that is not UTF-8 in the path left a 0-byte screenshot.
    from tui.app import TubeboardApp

    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/cat\xffalog.toml"))
    path.write_bytes(SHIPPED.read_bytes())
    app = TubeboardApp(path)
    async with app.run_test(size=(200, 24)) as pilot:  # room for the whole path in the title
        await pilot.pause()
        svg = app.export_screenshot()
        assert "cat\\xffalog.toml" in svg and not any(0xD800 <= ord(c) <= 0xDFFF for c in svg)
        app.deliver_screenshot()
        await pilot.pause(0.2)
    shots = list(tmp_path.glob("*.svg"))
    assert len(shots) == 1 and shots[0].stat().st_size > 1000
