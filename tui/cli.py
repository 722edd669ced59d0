"""Command line: the board, and `check`, `export`, `schema`, `keys` and `serve`.

Textual is imported only when the app actually starts, so `check` and `export` stay light.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from tui.catalog.model import Catalog

DEFAULT_PATH = "catalog.toml"

_DESCRIPTION = """\
A board of sample tubes in the terminal, kept in a plain TOML catalogue.

commands:
  tubeboard [PATH]            open the board on PATH (default ./catalog.toml)
  tubeboard check [PATH...]   validate each PATH: exit 0 valid, 1 invalid, 2 unreadable
  tubeboard list [PATH] [--where QUERY]
                              one line per sample (tab-separated); --where as the / search
  tubeboard export [PATH] --format csv|json|markdown [--where QUERY] [-o FILE]
                              write the catalogue as CSV, JSON or a Markdown table
  tubeboard schema [-o FILE]  the JSON Schema editors use to check catalog.toml
  tubeboard keys              every action, its id and its key (rebind them in the config)
  tubeboard serve [PATH] [--host 127.0.0.1] [--port 8000]
                              serve the board to a web browser
  tubeboard --demo            open a scratch copy of the Perseverance catalogue

settings: $XDG_CONFIG_HOME/tubeboard/config.toml (theme = "NAME", and [keys] id = "key")
"""


def version() -> str:
    # importlib.metadata is slow to import: only pay for it when the version is asked for.
    from importlib import metadata

    try:
        return metadata.version("tubeboard")
    except metadata.PackageNotFoundError:
        return "unknown"


def _parser(prog: str, description: str, raw: bool = False) -> argparse.ArgumentParser:
    # argparse is imported only here: the usual start, `tubeboard [PATH]`, never needs it.
    import argparse

    formatter = argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter
    return argparse.ArgumentParser(prog=prog, description=description, formatter_class=formatter)


def _open_parser() -> argparse.ArgumentParser:
    import argparse

    class Version(argparse.Action):
        """Like argparse's "version" action, but looks the version up only when asked."""

        def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
            super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help")))

        def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
            print(f"tubeboard {version()}")
            parser.exit()

    parser = _parser("tubeboard", _DESCRIPTION, raw=True)
    _add_path(parser)
    parser.add_argument(
        "--demo", action="store_true", help="open a scratch copy of the shipped catalogue"
    )
    parser.add_argument("--theme", metavar="NAME", help="the colour theme for this run")
    _add_at(parser, "open the board, read-only,")
    parser.add_argument("--version", action=Version, help="show the version and exit")
    return parser


def _plain_path(args: list[str]) -> str | None:
    """The catalogue to open when the arguments are just that: none, or one path. The usual
    start then skips building the argument parser (argparse and its message catalogue
    lookups cost a few ms of start-up); anything else goes through it."""
    if not args:
        return DEFAULT_PATH
    if len(args) == 1 and not args[0].startswith("-"):
        return args[0]
    return None


def _add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH, help="the catalogue file")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def _check_parser() -> argparse.ArgumentParser:
    parser = _parser(
        "tubeboard check",
        "Validate a catalogue. Prints path:line:col: severity: message per problem.",
    )
    # Several paths at once, as pre-commit passes them; the exit code is the worst of them.
    parser.add_argument(
        "paths", nargs="*", default=[DEFAULT_PATH], metavar="PATH", help="catalogue files"
    )
    _add_at(parser, "check the catalogue")
    return parser


def shown(text: str) -> str:
    """A path or message as one line of printable text: a name holding a newline or an
    escape sequence can neither break a one-line-per-problem report nor drive the terminal."""
    from tui.plain import printable

    return printable(text)


def _tolerant_streams() -> None:
    """Messages go out whatever the locale's encoding: a character it lacks shows as an
    escape (\u2026) rather than ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def posix() -> bool:
    return os.name == "posix"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    if not posix():
        print(
            "tubeboard needs a POSIX system (Linux, macOS, a BSD, or WSL on Windows): it locks "
            "and replaces files the POSIX way",
            file=sys.stderr,
        )
        return 2
    commands: dict[str, Callable[[list[str]], int]] = {
        "check": check_command,
        "export": export_command,
        "list": list_command,
        "schema": schema_command,
        "keys": keys_command,
        "serve": serve_command,
        "merge": merge_command,
        "log": log_command,
        "git-setup": git_setup_command,
    }
    if args and args[0] in commands:
        try:
            return commands[args[0]](args[1:])
        except BrokenPipeError:
            return _reader_gone()
    # Opening the app: the collector is held off before Textual loads (tui/collector.py);
    # the app switches it back on once its first screen is up.
    from tui import collector

    collector.hold_off()
    plain = _plain_path(args)
    if plain is not None and not os.path.lexists(plain):
        said = _not_a_command(plain, list(commands))
        if said is not None:
            return said
    if plain is not None:
        return run_app(Path(plain))
    options = _open_parser().parse_args(args)
    if options.theme is not None and not _known_theme(options.theme):
        return 2
    path = demo_copy() if options.demo else Path(options.path)
    if options.at is None:
        return run_app(path, options.theme)
    from tui.gitrepo import at_revision

    found = at_revision(path, options.at)
    if isinstance(found, str):
        print(f"tubeboard: {shown(found)}", file=sys.stderr)
        return 2
    return run_app(path, options.theme, at=found)


def _not_a_command(word: str, commands: list[str]) -> int | None:
    """A word that is no file and reads like a command (`help`, a typo of `list`): help, or
    the command meant, rather than an offer to create a catalogue of that name. None when it
    reads like a file name."""
    if "/" in word or "." in word:
        return None
    if word in ("help", "-h"):
        _open_parser().print_help()
        return 0
    import difflib

    near = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    if not near:
        return None
    print(
        f"tubeboard: {shown(word)!r} is neither a file nor a command. Did you mean "
        f"`tubeboard {near[0]}`? (To create a catalogue of that name, give it as ./{shown(word)})",
        file=sys.stderr,
    )
    return 2


def _reader_gone() -> int:
    """The reader of our output closed it (`| head -1`): what it wanted, it has. Stop
    quietly, as `export` does, and let no later flush of stdout say otherwise."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


def check_command(args: list[str]) -> int:
    options = _check_parser().parse_args(args)
    return max(check(path, options.at) for path in options.paths)


def _add_at(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--at",
        metavar="REV",
        help=f"{what} as a git commit had it: a hash, a tag, HEAD~2, or a day (YYYY-MM-DD: "
        "the last commit on or before it)",
    )


def _known_theme(name: str) -> bool:
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


def check(path: str, at: str | None = None) -> int:
    result = _read_checked(path, out=sys.stdout, at=at)
    if isinstance(result, int):
        return result
    print(f"{shown(path)}: ok, {len(result.samples)} samples in {result.board.tubes} tubes")
    if at is None:
        _say_driver_problem(path)
    return 0


def _say_driver_problem(path: str) -> None:
    """A warning when git-setup's merge driver no longer runs (a deleted venv): git then
    merges the file by lines, and the user should hear it before the next merge."""
    from tui.git_commands import merge_driver_problem
    from tui.gitrepo import Repo

    repo = Repo.of(Path(path))
    problem = merge_driver_problem(repo) if repo is not None else None
    if problem is not None:
        print(f"{shown(path)}: warning: {shown(problem)}")


def _read_checked(path: str, out: TextIO, at: str | None = None) -> Catalog | int:
    """The catalogue at `path`, or the exit code after printing its problems as `check` does.

    Problems go to `out`: stdout for check (its output is the report), stderr for export (its
    stdout is the data)."""
    from tui.catalog.store import AtRevision, ReadError, Store

    store = Store(path)
    if at is not None:
        from tui.gitrepo import at_revision

        found = at_revision(Path(path), at)
        if isinstance(found, str):
            print(f"{shown(path)}: error: {shown(found)}", file=sys.stderr)
            return 2
        store = AtRevision(path, *found)
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


def _terminal_safe(text: str, out: TextIO) -> str:
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


def _write_output(text: str, target: str | None) -> int:
    if target is None:
        if sys.stdout.isatty():
            sys.stdout.write(_terminal_safe(text, sys.stdout))
        else:
            # Data for a file or a pipe: UTF-8 bytes, whatever the locale says.
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    import stat

    from tui.catalog.store import StoreError, write_atomic

    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = stat.S_IFREG  # not there yet (or not reachable: writing will say why)
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        print(f"{shown(target)}: error: the folder {shown(folder)} does not exist", file=sys.stderr)
        return 2
    exists = os.path.lexists(target)
    if exists and stat.S_ISREG(mode) and not (mode & 0o222 and os.access(target, os.W_OK)):
        # The shell's `>` refuses a file its user may not write: so does -o, rather than
        # replacing it through the folder (whose rename would allow it).
        print(f"{shown(target)}: error: cannot write it: it is read-only", file=sys.stderr)
        return 2
    try:
        if stat.S_ISREG(mode):
            write_atomic(Path(target), text.encode("utf-8"))
        elif stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "it is a folder")
        else:
            # A named pipe, a terminal or a device such as /dev/null: written into, as a
            # shell's `>` would, never replaced by a regular file.
            with open(target, "wb") as handle:
                handle.write(text.encode("utf-8"))
    except (OSError, StoreError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        print(f"{shown(target)}: error: cannot write it: {reason}", file=sys.stderr)
        return 2
    return 0


def export_command(args: list[str]) -> int:
    from tui.catalog.export import FORMATS, export

    pictures = ("svg", "html")
    parser = _parser(
        "tubeboard export",
        "Write the catalogue as CSV (every field, a header row), JSON (ISO dates), a Markdown "
        "table, the board as an SVG picture, or an HTML page to print (the board, then every "
        "sample). A broken catalogue fails with the messages of `check`. With --where, the "
        "data formats hold the matching samples only; the pictures draw the board with them "
        "marked.",
    )
    _add_path(parser)
    parser.add_argument("--format", "-f", choices=(*FORMATS, *pictures), required=True)
    _add_where(parser)
    _add_at(parser, "export the catalogue")
    _add_output(parser)
    options = parser.parse_args(args)
    if options.format not in pictures:
        chosen = _read_where(options.path, options.where, options.at)
        if isinstance(chosen, int):
            return chosen
        return _write_output(export(chosen, options.format), options.output)
    whole = _read_checked(options.path, out=sys.stderr, at=options.at)
    if isinstance(whole, int):
        return whole
    highlight = None
    if options.where:  # read once: the whole board is drawn, the matches marked
        matched = _only_matching(whole, options.where)
        if isinstance(matched, int):
            return matched
        highlight = frozenset(s.tube for s in matched.samples)
    from tui.catalog.picture import to_html, to_svg

    if options.format == "svg":
        return _write_output(to_svg(whole, highlight), options.output)
    return _write_output(
        to_html(whole, highlight, options.path, _revision(Path(options.path), options.at)),
        options.output,
    )


def _revision(path: Path, at: str | None) -> str | None:
    """The git commit a page shows: `--at`'s, else HEAD's (and "changed since" when the file
    differs from it); None outside git."""
    from tui.gitrepo import Repo

    repo = Repo.of(path)
    if repo is None:
        return None
    oid = repo.resolve(at) if at else repo.head()
    commit = repo.describe(oid) if oid else None
    if commit is None:
        return None
    said = f"{commit.short} ({commit.date}, {commit.subject})"
    if at is None:
        committed = repo.show(commit.oid)
        if committed is None:  # the file is not in HEAD: no commit speaks for it
            listed = repo.git(
                "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", repo.path
            )
            ignored = bool(listed)
            return "ignores this file" if ignored else "does not track this file"
        if committed != _bytes_or_none(path):
            said += ", and changes not committed yet"
    return said


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _add_where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where",
        metavar="QUERY",
        default="",
        help="only the samples the query matches, as the app's / search: kind:rock-core, "
        "status:deposited, sol>500, date:2022, has:notes, -status:sealed, words...",
    )


def _read_where(path: str, text: str, at: str | None = None) -> Catalog | int:
    """The catalogue at `path` with only the samples the query `text` matches, or the exit
    status: `check`'s for a broken file, 2 for a query that cannot be read (its reason on
    stderr)."""
    catalog = _read_checked(path, out=sys.stderr, at=at)
    if isinstance(catalog, int):
        return catalog
    return _only_matching(catalog, text)


def _only_matching(catalog: Catalog, text: str) -> Catalog | int:
    """`catalog` with only the samples the query `text` matches, or 2 for a query that
    cannot be read (its reason on stderr)."""
    import attr

    from tui.catalog.query import QueryError, matching

    found = matching(catalog.samples, text)
    if isinstance(found, QueryError):
        print(f"tubeboard: --where: {shown(str(found))} (column {found.column})", file=sys.stderr)
        return 2
    return attr.evolve(catalog, samples=tuple(found))


def list_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard list",
        "One line per sample: tube, name, kind, status, sol, date. With --where, only the "
        "samples the query matches.",
    )
    _add_path(parser)
    _add_where(parser)
    _add_at(parser, "list the samples")
    options = parser.parse_args(args)
    chosen = _read_where(options.path, options.where, options.at)
    if isinstance(chosen, int):
        return chosen
    for sample in chosen.samples:
        sol = "" if sample.sol is None else str(sample.sol)
        date = "" if sample.date is None else sample.date.isoformat()
        fields = [str(sample.tube), shown(sample.name), sample.kind.value]
        print("\t".join([*fields, sample.status.value, sol, date]))
    return 0


def merge_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard merge",
        "git's merge driver for a catalogue (%%O %%A %%B %%P): records matched by name or "
        "tube and merged key by key; the result is written into OURS. Exit 0 when clean, 1 "
        "with conflict markers around the records in conflict.",
    )
    for name in ("base", "ours", "theirs"):
        parser.add_argument(name, help=f"the {name} version (a file)")
    parser.add_argument("path", nargs="?", default=None, help="the catalogue's path, for messages")
    options = parser.parse_args(args)
    from tui.git_commands import merge_files

    files = [Path(options.base), Path(options.ours), Path(options.theirs)]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"tubeboard merge: no such file: {shown(missing[0])}", file=sys.stderr)
        return 2
    return merge_files(files[0], files[1], files[2], options.path or options.ours)


def log_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard log",
        "The catalogue's history in git, newest first, then the uncommitted change: each "
        "commit (hash, date, author, subject) with its changes to samples in words. With "
        "--tube or --name, only the commits that changed that sample's record.",
    )
    _add_path(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--tube", type=int, help="the sample in this tube")
    which.add_argument("--name", help="the sample of this name")
    options = parser.parse_args(args)
    from tui.gitrepo import Repo, history, sample_history

    path = Path(options.path)
    repo = Repo.of(path)
    if repo is None:
        print(f"tubeboard log: {shown(str(path))} is not in a git work tree", file=sys.stderr)
        return 2
    from tui.catalog.atomic import read_regular
    from tui.catalog.errors import ReadError

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


def git_setup_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard git-setup",
        "Make git merge this catalogue with `tubeboard merge`: a line in .gitattributes and "
        "the driver in the repository's git config. Safe to run again.",
    )
    _add_path(parser)
    options = parser.parse_args(args)
    from tui.git_commands import SetupError, setup

    try:
        said = setup(Path(options.path))
    except SetupError as error:
        print(f"tubeboard git-setup: {shown(str(error))}", file=sys.stderr)
        return 2
    for line in said:
        print(shown(line))
    return 0


def schema_command(args: list[str]) -> int:
    from tui.catalog.schema import SCHEMA_FILE, SCHEMA_LINE, schema_text

    parser = _parser(
        "tubeboard schema",
        f"Print the JSON Schema of catalog.toml. Save it as {SCHEMA_FILE} beside "
        f"your catalogue, whose first line `{SCHEMA_LINE}` lets taplo and Even Better TOML "
        "complete keys and flag mistakes as you type.",
    )
    _add_output(parser)
    return _write_output(schema_text(), parser.parse_args(args).output)


def keys_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard keys",
        "List every action with its id and current key. Rebind one in the config "
        'file, e.g. [keys] add = "n".',
    )
    parser.parse_args(args)
    from tui.config import load_config
    from tui.keymap import check_keymap, current_keys, every_binding
    from tui.screens.help import key_label

    config = load_config()
    keymap, problems = check_keymap(config.keys, config.where)
    for problem in [*config.problems, *problems]:
        print(shown(problem), file=sys.stderr)
    print(f"{'where':<16} {'id':<20} {'key':<18} action")
    for _group, title, binding in every_binding():
        keys = key_label(current_keys(binding, keymap))
        print(f"{title:<16} {binding.id:<20} {keys:<18} {binding.description}")
    print(f"\nsettings: {shown(str(config.path))}")
    return 1 if config.problems or problems else 0


def serve_command(args: list[str]) -> int:
    parser = _parser(
        "tubeboard serve",
        "Serve the board to a web browser through textual-serve. It listens on "
        "localhost unless told otherwise: anyone who can reach it can edit the catalogue.",
    )
    _add_path(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--theme", metavar="NAME", help="the colour theme")
    options = parser.parse_args(args)
    if options.theme is not None and not _known_theme(options.theme):
        return 2
    from tui.serve import serve

    return serve(Path(options.path), options.host, options.port, options.theme)


def demo_source() -> Path:
    """The shipped catalogue: package data in a wheel, the repo's catalog.toml in a checkout."""
    from importlib import resources

    packaged = resources.files("tui") / "data" / "catalog.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "catalog.toml"


def demo_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "tubeboard" / "demo"


_demo_lock: int | None = None  # held for the life of the process: a demo is running


def demo_copy() -> Path:
    """The scratch copy `--demo` opens: one folder in the user's cache, reused, so no run
    leaves a folder behind whatever way it ends. Each demo starts from a fresh copy of the
    shipped catalogue, unless another demo is open on it right now (then both share it, as
    two people on one file do)."""
    import fcntl
    import shutil

    from tui.catalog.schema import SCHEMA_FILE, schema_text

    global _demo_lock
    folder = demo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "catalog.toml"
    lock = os.open(folder / ".demo.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pass  # another demo is open on it: keep its file as it is
    else:
        shutil.copyfile(demo_source(), target)
        (folder / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")  # for #:schema
    fcntl.flock(lock, fcntl.LOCK_SH)  # from now on, a demo is running here
    if _demo_lock is not None:
        os.close(_demo_lock)
    _demo_lock = lock
    return target


def run_app(path: Path, theme: str | None = None, at: tuple[bytes, str] | None = None) -> int:
    from tui.app import run

    return run(path, theme, at)
