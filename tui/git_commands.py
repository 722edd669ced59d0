"""`tubeboard merge` (git's merge driver, `%O %A %B %P`) and `tubeboard git-setup`.

They call the `git` command, as tig and lazygit do. The merge itself is the core's
(tui/catalog/merge.py); here are the files, the fallback to git's line merge, and the setup.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tui.catalog.merge import merge
from tui.catalog.validate import parse_bytes
from tui.gitrepo import GIT, Repo
from tui.launch import isolated_problem
from tui.plain import printable

DRIVER_NAME = "tubeboard: merges catalogue records, not lines"


def _say(path: str, message: str) -> None:
    print(f"tubeboard merge: {printable(path)}: {printable(message)}", file=sys.stderr)


def merge_files(base: Path, ours: Path, theirs: Path, shown: str) -> int:
    """Merge into `ours`: 0 when clean, 1 with conflict markers (or git's line merge)."""
    texts: list[str] = []
    for path in (base, ours, theirs):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            texts.append("\x00")  # not UTF-8: not TOML, so the line merge below
    merged = merge(*texts)
    if merged.text is None:
        for reason in merged.conflicts:
            _say(shown, f"merged by lines instead: {reason}")
        return _line_merge(base, ours, theirs, shown)
    with ours.open("wb") as out:
        out.write(merged.text.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
    for conflict in merged.conflicts:
        _say(shown, f"conflict: {conflict}")
    return 1 if merged.conflicts else 0


def _line_merge(base: Path, ours: Path, theirs: Path, shown: str) -> int:
    """git's own line merge into `ours`; clean only if what it makes is a valid catalogue."""
    labels = ["-L", "ours", "-L", "base", "-L", "theirs"]
    try:
        done = subprocess.run(
            ["git", "merge-file", *labels, str(ours), str(base), str(theirs)],
            capture_output=True,
            check=False,
        )
    except OSError as error:
        _say(shown, f"git merge-file could not run: {error.strerror}")
        return 2
    if done.returncode != 0:
        return 1
    if parse_bytes(ours.read_bytes()).catalog is None:
        _say(shown, "conflict: the merged lines are not a valid catalogue; run tubeboard check")
        return 1
    return 0


def setup(catalogue: Path) -> list[str]:
    """Register the driver for `catalogue`: a .gitattributes line and the repository's git
    config. Idempotent; answers what it did, line by line, once git itself says the file is
    merged by the driver."""
    folder = catalogue.resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        raise SetupError(f"{catalogue} is not in a git work tree")
    relative = catalogue.resolve().relative_to(Path(top)).as_posix()
    line = f"{attribute_pattern(relative)} merge=tubeboard"
    problem = isolated_problem()
    if problem is not None:
        raise SetupError(
            f"{problem}; the driver starts tubeboard isolated from the work tree, so install "
            "it first (pip install .)"
        )
    said = [_add_attribute_line(Path(top) / ".gitattributes", line, Path(top), relative)]
    driver = driver_command(sys.executable)
    for key, value in (("merge.tubeboard.name", DRIVER_NAME), ("merge.tubeboard.driver", driver)):
        if _git(folder, "config", "--local", "--get", key) == value:
            said.append(f"git config {key}: already `{value}`")
        elif _git(folder, "config", "--local", key, value) is None:
            raise SetupError(f"git config {key} could not be set")
        else:
            said.append(f"git config {key} = `{value}`")
    return said


def driver_command(python: str) -> str:
    """The driver git runs (through sh): tubeboard isolated from the work tree; and when that
    Python cannot start tubeboard (a deleted or rebuilt venv), git's own line merge, so the
    other side is still in the file, between conflict markers where the sides overlap."""
    py = shlex.quote(python)
    fallback = shlex.quote(
        f"tubeboard merge: {python} cannot start tubeboard; merged by lines "
        "(run tubeboard git-setup again)"
    )
    return (
        f"{py} -I -c 'import tui' 2>/dev/null && exec {py} -I -m tui merge %O %A %B %P || "
        f"{{ echo {fallback} >&2; exec git merge-file -L ours -L base -L theirs %A %O %B; }}"
    )


def attribute_pattern(relative: str) -> str:
    """A .gitattributes pattern that matches the file at `relative` (from the top of the work
    tree) and nothing else: anchored with a leading slash, glob characters escaped for
    wildmatch, and quoted C-style when the name holds a space, a quote or a control
    character (git unquotes such a pattern before matching it)."""
    escaped = "".join("\\" + c if c in "*?[]\\!#" else c for c in relative)
    pattern = "/" + escaped
    if not any(c in pattern for c in ' "') and pattern.isprintable():
        return pattern
    return '"' + "".join(_c_quoted(c) for c in pattern) + '"'


def _c_quoted(char: str) -> str:
    named = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    if char.isprintable() or ord(char) > 0x7F:
        return char
    return "".join(f"\\{byte:03o}" for byte in char.encode("utf-8"))


def _add_attribute_line(attributes: Path, line: str, top: Path, relative: str) -> str:
    """Add `line` to .gitattributes unless it is there; then ask git whether the file now has
    merge=tubeboard, and put the file back as it was when git says no."""
    if attributes.is_symlink() and not attributes.exists():
        raise SetupError(f"{attributes} is a link to a file that is not there; fix it first")
    if attributes.exists() and not attributes.is_file():
        raise SetupError(f"{attributes} is not a file; move it away first")
    try:
        existing = attributes.read_bytes() if attributes.exists() else b""
    except OSError as error:
        raise SetupError(f"{attributes} cannot be read: {error.strerror}") from error
    encoded = line.encode("utf-8")
    if encoded in existing.splitlines():
        said = f"{attributes}: already has `{line}`"
    else:
        joint = b"" if not existing or existing.endswith(b"\n") else b"\n"
        try:
            with attributes.open("ab") as out:
                out.write(joint + encoded + b"\n")
        except OSError as error:
            raise SetupError(f"{attributes} cannot be written: {error.strerror}") from error
        said = f"{attributes}: added `{line}`"
    seen = _git(top, "check-attr", "-z", "merge", "--", relative, strip=False)
    if seen is None or seen.split("\0")[2:3] != ["tubeboard"]:
        if not said.startswith(f"{attributes}: already"):
            attributes.write_bytes(existing)  # as it was: the line did not do its job
        value = seen.split("\0")[2] if seen and len(seen.split("\0")) > 2 else "unknown"
        raise SetupError(
            f"git does not merge {relative!r} with tubeboard after `{line}` in {attributes} "
            f"(git check-attr says merge: {value}); left as it was"
        )
    return said


class SetupError(Exception):
    pass


def _git(folder: Path, *args: str, strip: bool = True) -> str | None:
    """git's answer, or None when it fails or is not installed."""
    try:
        done = subprocess.run(
            [*GIT, *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() if strip else done.stdout


def merge_driver_problem(repo: Repo) -> str | None:
    """Why git's merge of this catalogue will not go through tubeboard as `git-setup` set it
    up, or None when it will (or the file was never set up for it)."""
    said = repo.git("check-attr", "-z", "merge", "--", repo.path)
    if said is None or said.split(b"\0")[2:3] != [b"tubeboard"]:
        return None
    driver = repo.git("config", "--get", "merge.tubeboard.driver")
    if driver is None:
        return (
            "the merge driver: .gitattributes asks for merge=tubeboard, but this clone's git "
            "config has no such driver (git merges the file by lines); run tubeboard git-setup"
        )
    command = driver.decode("utf-8", "replace").strip()
    try:
        python = shlex.split(command)[0]
    except (ValueError, IndexError):
        return "the merge driver in git config cannot be read; run tubeboard git-setup again"
    if command != driver_command(python):
        return (
            "the merge driver in git config was set up by an older tubeboard (it can run code "
            "from the work tree); run tubeboard git-setup again"
        )
    problem = isolated_problem(python)
    if problem is not None:
        return (
            f"the merge driver no longer runs ({problem}): git merges the file by lines "
            "until you run tubeboard git-setup again"
        )
    return None
