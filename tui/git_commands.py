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
    config. Idempotent; answers what it did, line by line."""
    folder = catalogue.resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        raise SetupError(f"{catalogue} is not in a git work tree")
    relative = catalogue.resolve().relative_to(Path(top)).as_posix()
    pattern = f'"{relative}"' if any(c in relative for c in ' "\\') else relative
    line = f"{pattern} merge=tubeboard"
    attributes = Path(top) / ".gitattributes"
    said = []
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line in existing.splitlines():
        said.append(f"{attributes}: already has `{line}`")
    else:
        joint = "" if not existing or existing.endswith("\n") else "\n"
        with attributes.open("a", encoding="utf-8") as out:
            out.write(f"{joint}{line}\n")
        said.append(f"{attributes}: added `{line}`")
    driver = f"{shlex.quote(sys.executable)} -m tui merge %O %A %B %P"
    for key, value in (("merge.tubeboard.name", DRIVER_NAME), ("merge.tubeboard.driver", driver)):
        if _git(folder, "config", "--local", "--get", key) == value:
            said.append(f"git config {key}: already `{value}`")
        elif _git(folder, "config", "--local", key, value) is None:
            raise SetupError(f"git config {key} could not be set")
        else:
            said.append(f"git config {key} = `{value}`")
    return said


class SetupError(Exception):
    pass


def _git(folder: Path, *args: str) -> str | None:
    """git's answer, or None when it fails or is not installed."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None
