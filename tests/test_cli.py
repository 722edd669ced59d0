"""`tubeboard check`, `--version`, `--help` and the corpus of broken catalogues."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO, SHIPPED
from tui import cli

BROKEN = sorted((CORPUS / "broken").glob("*.toml"))
VALID = sorted((CORPUS / "valid").glob("*.toml"))
EXPECT = re.compile(r"^# (expect|warn): (\d+):(\d+) (.*)$", re.M)


def expectations(path: Path) -> list[tuple[str, int, int, str]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [(m[1], int(m[2]), int(m[3]), m[4]) for m in EXPECT.finditer(text)]


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_catalogue_reports_each_problem_at_its_place(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = path.read_bytes()
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    wanted = expectations(path)
    assert wanted, f"{path.name} states no expectation"
    for _, line, col, fragment in wanted:
        prefix = f"{path}:{line}:{col}: error: "
        assert any(o.startswith(prefix) and fragment in o for o in out), (prefix, fragment, out)
    # One line per problem, every one in path:line:col form, and the file untouched.
    assert all(re.match(rf"^{re.escape(str(path))}:\d+:\d+: (error|warning): ", o) for o in out)
    assert path.read_bytes() == before


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_catalogue_passes(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    warnings = [o for o in out if ": warning: " in o]
    assert len(warnings) == len([e for e in expectations(path) if e[0] == "warn"])
    for _, line, col, fragment in expectations(path):
        assert any(o.startswith(f"{path}:{line}:{col}: warning: ") and fragment in o for o in out)


def test_shipped_catalogue_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(SHIPPED)]) == 0
    said = capsys.readouterr()
    # Issue 27, part 5: the problems on stdout (none), the verdict on stderr as `N errors` is.
    assert said.out == "" and said.err.strip() == f"{SHIPPED}: ok, 32 samples in 43 tubes"


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(tmp_path / "missing.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert cli.main(["check", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0
    assert re.fullmatch(r"tubeboard \S+\n", version.stdout)
    usage = run("--help")
    assert usage.returncode == 0
    assert "\n    check       validate each PATH" in usage.stdout
    check_help = run("check", "--help")
    assert check_help.returncode == 0 and "[PATH ...]" in check_help.stdout  # several


def test_check_defaults_to_catalog_toml_in_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("catalog.toml: ok")


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\x01\x02",
        b"[[sample]]\ntube = 1\nname = \"\x1b[31mred\"\nkind = 'witness'\n",
        b"a = [" * 2000,
        b"\xff\xfe\x00",
        b"[board]\ntubes = 99999999999999999999999999\n",
        b'[[sample]]\ntube = 1\nname = "x"\nkind = "witness"\ndeep = ' + b"{ a = " * 300,
        b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n",
    ],
    ids=[
        "nul",
        "escape-in-name",
        "deep-array",
        "utf16-bom",
        "huge-int",
        "deep-inline",
        "deep-closed-array",
        "deep-closed-inline",
    ],
)
def test_check_never_prints_a_traceback(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "hostile.toml"
    path.write_bytes(raw)
    result = run("check", str(path))
    assert result.returncode in (1, 2), result
    assert "Traceback" not in result.stderr + result.stdout
    assert "\x1b" not in result.stdout + result.stderr  # user text never reaches the terminal raw


def test_demo_data_is_the_shipped_catalogue() -> None:
    assert cli.demo_source().read_bytes() == SHIPPED.read_bytes()
    copy = cli.demo_copy()
    assert copy != SHIPPED and copy.read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize(
    "command",
    [["list"], ["log"], ["keys"], ["check", str(SHIPPED), str(SHIPPED)], ["schema"]],
    ids=lambda c: c[0],
)
def test_a_reader_that_closed_the_pipe_ends_the_command_quietly(command: list[str]) -> None:
    """Issue 23, part 10: `tubeboard list | head -1` ended in a BrokenPipeError traceback."""
    import os

    args = [*command, str(SHIPPED)] if command[0] in ("list", "log") else command
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            check=False,
        )
    finally:
        os.close(write)
    # check's verdicts go to stderr (its problems, none here, to the closed stdout).
    said = [line for line in done.stderr.splitlines() if ": ok, " not in line]
    assert done.returncode == 0 and said == [], done.stderr


def test_a_typo_of_a_command_or_help_is_answered_not_offered_as_a_new_file(
    tmp_path: Path,
) -> None:
    """Issue 23, part 11: `tubeboard lsit` and `tubeboard help` offered to create a file."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    typo = run("lsit")
    assert typo.returncode == 2
    assert "Did you mean `tubeboard list`?" in typo.stderr
    helped = run("help")
    assert helped.returncode == 0 and "usage: tubeboard" in helped.stdout
    assert list(tmp_path.iterdir()) == []  # nothing was created


def test_export_o_refuses_a_read_only_file_and_names_a_missing_folder(tmp_path: Path) -> None:
    """Issue 23, part 12: -o replaced a file mode 444 (the folder allowed the rename) where
    the shell's `>` refuses; a missing folder was 'no such file'."""
    import os

    target = tmp_path / "samples.csv"
    target.write_text("kept\n")
    os.chmod(target, 0o444)

    def export(out: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", "export", str(SHIPPED), "-f", "csv", "-o", out],
            capture_output=True,
            text=True,
            check=False,
        )

    refused = export(str(target))
    assert refused.returncode == 2 and "cannot write it: it is read-only" in refused.stderr
    assert target.read_text() == "kept\n"
    missing = export(str(tmp_path / "nowhere" / "x.csv"))
    assert missing.returncode == 2
    assert f"the folder {tmp_path / 'nowhere'} does not exist" in missing.stderr
    fine = export(str(tmp_path / "out.csv"))
    assert fine.returncode == 0 and (tmp_path / "out.csv").read_text().startswith("tube,")


# Issue 24, part 6: one command-line definition ------------------------------------------------


def test_the_readme_command_table_is_the_parsers() -> None:
    readme = (REPO / "README.md").read_text()
    start = readme.index("| command | what it does |")
    table = readme[start : readme.index("\n\n", start) + 1]
    assert table == cli.command_table(), "README's table: paste cli.command_table()"


def test_every_command_is_in_the_help_and_the_fast_path_knows_it() -> None:
    top, commands = cli.parser()
    assert tuple(commands.parsers) == cli.COMMAND_NAMES
    said = top.format_help()
    for name in cli.COMMAND_NAMES:  # log, git-setup and merge were missing
        assert f"\n    {name} " in said, name
    formats = commands.parsers["export"].format_help()
    assert "{csv,json,markdown,md,svg,html,labels}" in formats
    assert "%%" not in commands.parsers["merge"].format_help()


def test_bash_completion_offers_commands_and_their_options() -> None:
    script = subprocess.run(
        [sys.executable, "-m", "tui", "completion", "bash"], capture_output=True, text=True
    ).stdout

    def complete(*words: str) -> list[str]:
        probe = (
            f"{script}\nCOMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}; "
            '_tubeboard; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=REPO)
        return done.stdout.split()

    assert "log" in complete("tubeboard", "lo")
    assert "git-setup" in complete("tubeboard", "git")
    assert "--where" in complete("tubeboard", "export", "--wh")
    assert "--tube" in complete("tubeboard", "log", "--t")
    fish = subprocess.run(
        [sys.executable, "-m", "tui", "completion", "fish"], capture_output=True, text=True
    ).stdout
    assert '__fish_seen_subcommand_from export" -l format' in fish


def test_export_takes_md_and_guesses_the_format_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 27, part 5: `-f md` was refused, and `-o x.csv` needed `-f csv` too.
    assert cli.main(["export", str(SHIPPED), "-f", "md"]) == 0
    assert capsys.readouterr().out.startswith("# Perseverance sample tubes")
    for suffix, start in (
        (".csv", "tube,name,"),
        (".json", "{"),
        (".md", "# Perseverance"),
        (".markdown", "# Perseverance"),
        (".svg", "<?xml"),
        (".HTM", "<!DOCTYPE html>"),
    ):
        target = tmp_path / f"out{suffix}"
        assert cli.main(["export", str(SHIPPED), "-o", str(target)]) == 0
        assert target.read_text().startswith(start)
    assert cli.main(["export", str(SHIPPED), "-o", str(tmp_path / "out.txt")]) == 2
    assert "say --format" in capsys.readouterr().err
    assert not (tmp_path / "out.txt").exists()
