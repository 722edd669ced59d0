"""The commands of git: the catalogue's history (log), and its merge driver (merge,
git-setup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.common import DEFAULT_PATH, add_path, shown

if TYPE_CHECKING:
    import argparse


def register(commands: Any) -> None:
    log = commands.add_parser(
        "log",
        help="the catalogue's history in git, sample by sample, in words",
        description="The catalogue's history in git, newest first, then the uncommitted "
        "change: each commit (hash, date, author, subject) with its changes to samples in "
        "words. With --tube or --name, only the commits that changed that sample's record.",
    )
    add_path(log)
    which = log.add_mutually_exclusive_group()
    which.add_argument("--tube", type=int, help="the sample in this tube")
    which.add_argument("--name", help="the sample of this name")
    log.set_defaults(run=run_log)

    diff = commands.add_parser(
        "diff",
        help="what changed between two commits, or a commit and the working file, sample by "
        "sample, in log's words",
        description="What changed in the catalogue between REV and REV2 (a hash, a tag, "
        "HEAD~2, or a day: the last commit on or before it), or between REV and the file as it "
        "is now: a line per sample added, deleted or changed, field by field, in the words of "
        "`log`; a sample moved or renamed is followed. With one more argument after REV, it is "
        "the catalogue's PATH if such a file exists, else REV2.",
    )
    diff.add_argument("rev", metavar="REV", help="the older side")
    diff.add_argument("more", nargs="*", metavar="[REV2] [PATH]", help="the newer side, the file")
    diff.add_argument(
        "--format", "-f", choices=("text", "json"), default="text", help="json: for scripts"
    )
    diff.set_defaults(run=run_diff)

    setup = commands.add_parser(
        "git-setup",
        help="make git merge this catalogue record by record (tubeboard merge)",
        description="Make git merge this catalogue with `tubeboard merge`: a line in "
        ".gitattributes and the driver in the repository's git config. Safe to run again.",
    )
    add_path(setup)
    setup.set_defaults(run=run_git_setup)

    merge = commands.add_parser(
        "merge",
        help="git's merge driver for a catalogue (git-setup registers it)",
        description="git's merge driver for a catalogue (%O %A %B %P): the file merged as git "
        "merge-file merges it, each record one item matched by its tube and name, merged key "
        "by key; the result is written into OURS. Exit 0 when clean, 1 with conflict markers "
        "where both sides changed the same thing.",
    )
    for name in ("base", "ours", "theirs"):
        merge.add_argument(name, help=f"the {name} version (a file)")
    merge.add_argument("path", nargs="?", default=None, help="the catalogue's path, for messages")
    merge.set_defaults(run=run_merge)


def run_log(options: argparse.Namespace) -> int:
    from tui.catalog.atomic import read_regular
    from tui.catalog.errors import ReadError
    from tui.gitrepo import Repo, history, sample_history

    path = Path(options.path)
    repo = Repo.of(path)
    if repo is None:
        print(f"tubeboard log: {shown(str(path))} is not in a git work tree", file=sys.stderr)
        return 2
    try:
        working: bytes | None = read_regular(path)[0]
    except FileNotFoundError:
        working = None  # deleted in the work tree: its history is still there
    except (OSError, ReadError) as error:  # a FIFO or a device never ends: as check says
        reason = error.strerror if isinstance(error, OSError) else str(error)
        print(f"tubeboard log: {shown(str(path))}: {shown(str(reason))}", file=sys.stderr)
        return 2
    if options.tube is None and options.name is None:
        entries = history(repo, working)
    else:
        found = sample_history(repo, working, options.tube, options.name)
        if isinstance(found, str):
            print(f"tubeboard log: {shown(str(path))}: {found}", file=sys.stderr)
            return 1
        entries = found
    for entry in entries:
        c = entry.commit
        print(shown(f"{c.short} {c.date} {c.author}  {c.subject}" if c else "uncommitted"))
        for line in entry.lines:
            print(shown(f"    {line}"))
    return 0


def run_diff(options: argparse.Namespace) -> int:
    import json

    from tui.catalog import changes
    from tui.catalog.atomic import read_regular
    from tui.catalog.errors import ReadError
    from tui.catalog.export import as_json
    from tui.gitrepo import Repo

    more = list(options.more)
    if len(more) > 2:
        print("tubeboard diff: REV, then at most REV2 and PATH", file=sys.stderr)
        return 2
    path_text = DEFAULT_PATH
    if len(more) == 2 or (len(more) == 1 and Path(more[0]).is_file()):
        path_text = more.pop()
    path = Path(path_text)
    repo = Repo.of(path)
    if repo is None:
        print(f"tubeboard diff: {shown(str(path))} is not in a git work tree", file=sys.stderr)
        return 2
    sides: list[bytes | None] = []
    for rev in [options.rev, *more]:
        oid = repo.resolve(rev)
        if oid is None:
            print(f"tubeboard diff: no commit {shown(rev)!r} in this repository", file=sys.stderr)
            return 2
        sides.append(repo.show(oid))  # None: not in that commit (everything is added)
    if not more:
        try:
            sides.append(read_regular(path)[0])
        except FileNotFoundError:
            sides.append(None)
        except (OSError, ReadError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            print(f"tubeboard diff: {shown(str(path))}: {shown(str(reason))}", file=sys.stderr)
            return 2
    versions = [changes.Version.of(raw) for raw in sides]
    for version, rev in zip(versions, [options.rev, *more, "the working file"], strict=False):
        if version.problem is not None:
            print(f"tubeboard diff: {shown(rev)}: {shown(version.problem)}", file=sys.stderr)
            return 1
    found = changes.diff(versions[0].records, versions[1].records)
    if options.format == "json":
        out = [
            {
                "tube": change.tube,
                "name": change.name,
                "change": change.kind,
                "words": change.words(),
                "before": as_json(change.before),
                "after": as_json(change.after),
            }
            for change in found
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    for change in found:
        print(shown(f"tube {change.tube} {change.name!r}: {', '.join(change.words())}"))
    return 0


def run_git_setup(options: argparse.Namespace) -> int:
    from tui.git_commands import SetupError, setup

    try:
        said = setup(Path(options.path))
    except SetupError as error:
        print(f"tubeboard git-setup: {shown(str(error))}", file=sys.stderr)
        return 2
    for line in said:
        print(shown(line))
    return 0


def run_merge(options: argparse.Namespace) -> int:
    from tui.git_commands import merge_files

    files = [Path(options.base), Path(options.ours), Path(options.theirs)]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"tubeboard merge: no such file: {shown(missing[0])}", file=sys.stderr)
        return 2
    return merge_files(files[0], files[1], files[2], options.path or options.ours)
