"""What the commands share: the paths and options they take, reading a catalogue as `check`
does, and writing output safely (to a terminal as printable text, to a file atomically)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from tui.catalog.model import Catalog

DEFAULT_PATH = "catalog.toml"


def shown(text: str) -> str:
    """A path or message as one line of printable text: a name holding a newline or an
    escape sequence can neither break a one-line-per-problem report nor drive the terminal."""
    from tui.plain import printable

    return printable(text)


def add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=DEFAULT_PATH, metavar="PATH", help="the catalogue file"
    )


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def add_at(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--at",
        metavar="REV",
        help=f"{what} as a git commit had it: a hash, a tag, HEAD~2, or a day (YYYY-MM-DD: "
        "the last commit on or before it)",
    )


def add_where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where",
        metavar="QUERY",
        default="",
        help="only the samples the query matches, as the app's / search: kind:rock-core, "
        "status:deposited, sol>500, date:2022, has:notes, -status:sealed, words...",
    )


def known_theme(name: str) -> bool:
    from textual.theme import BUILTIN_THEMES

    from tui.theme import DEFAULT_THEME

    names = [DEFAULT_THEME, *sorted(BUILTIN_THEMES)]
    if name in names:
        return True
    print(
        f"tubeboard: unknown theme {shown(name)!r}; choose one of: {', '.join(names)}",
        file=sys.stderr,
    )
    return False


def read_checked(path: str, out: TextIO, at: str | None = None) -> Catalog | int:
    """The catalogue at `path`, or the exit code after printing its problems as `check` does.

    Problems go to `out`: stdout for check (its output is the report), stderr for export (its
    stdout is the data)."""
    from tui.catalog.store import ReadError, Store

    store = Store(path)
    if at is not None:
        from tui.gitrepo import at_revision

        found = at_revision(Path(path), at)
        if isinstance(found, str):
            print(f"{shown(path)}: error: {shown(found)}", file=sys.stderr)
            return 2
        store = found.store(Path(path))
    try:
        parsed = store.read()
    except ReadError as error:
        print(f"{shown(path)}: error: {shown(str(error))}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug of ours must still not end in a traceback
        message = f"tubeboard could not read this file ({error!r})"
        print(f"{shown(path)}: error: {shown(message)}", file=sys.stderr)
        return 2
    for problem in parsed.problems:
        # One line per problem, on a terminal or not: tools read it line by line.
        print(shown(problem.format(path)), file=out)
    if parsed.catalog is None:
        count = len(parsed.errors)
        print(f"{shown(path)}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    return parsed.catalog


def read_where(path: str, text: str, at: str | None = None) -> Catalog | int:
    """The catalogue at `path` with only the samples the query `text` matches, or the exit
    status: `check`'s for a broken file, 2 for a query that cannot be read (its reason on
    stderr)."""
    catalog = read_checked(path, out=sys.stderr, at=at)
    if isinstance(catalog, int):
        return catalog
    return only_matching(catalog, text)


def only_matching(catalog: Catalog, text: str) -> Catalog | int:
    """`catalog` with only the samples the query `text` matches, or 2 for a query that
    cannot be read (its reason on stderr)."""
    import attr

    from tui.catalog.query import QueryError, matching

    found = matching(catalog.samples, text)
    if isinstance(found, QueryError):
        print(f"tubeboard: --where: {shown(str(found))} (column {found.column})", file=sys.stderr)
        return 2
    return attr.evolve(catalog, samples=tuple(found))


def terminal_safe(text: str, out: TextIO) -> str:
    """User text reaches a terminal only as printable characters; a file or pipe gets it whole.

    Line ends stay as they are (CSV's are CRLF); every other control character, and any
    bidi override, is shown as the app shows it."""
    if not out.isatty():
        return text
    from tui.plain import printable

    shown = []
    for line in text.split("\n"):
        body = line.removesuffix("\r")
        shown.append(printable(body) + line[len(body) :])
    return "\n".join(shown)


def write_output(text: str, target: str | None) -> int:
    if target is None:
        if sys.stdout.isatty():
            sys.stdout.write(terminal_safe(text, sys.stdout))
        else:
            # Data for a file or a pipe: UTF-8 bytes, whatever the locale says.
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    from tui.catalog.export import save

    problem = save(text, target)
    if problem is not None:
        print(f"{shown(target)}: error: {shown(problem)}", file=sys.stderr)
        return 2
    return 0
