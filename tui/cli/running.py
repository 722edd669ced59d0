"""The commands that run something: the board itself (`tubeboard [PATH]`, --demo, --theme,
--at), serve, keys, and shell completion."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.common import add_at, add_path, known_theme, shown

if TYPE_CHECKING:
    import argparse

    from tui.gitrepo import Past

# The board's own rows of the command table (README): it takes no command word.
OPEN_ROWS = (
    ("tubeboard [PATH]", "open the board on PATH (default `./catalog.toml`)"),
    (
        "tubeboard --demo",
        "open a scratch copy of the shipped Perseverance catalogue (works from an installed "
        "wheel): `~/.cache/tubeboard/demo/catalog.toml` (`$XDG_CACHE_HOME`), fresh at each "
        "start unless another demo is open on it",
    ),
    ("tubeboard --theme NAME [PATH]", "open with a colour theme for this run"),
    ("tubeboard --at REV [PATH]", "open the board as a commit had it, read-only"),
    ("tubeboard --version, --help", "what they say"),
)


def add_open_options(parser: argparse.ArgumentParser) -> None:
    import argparse

    from tui.cli import version

    class Version(argparse.Action):
        """Like argparse's "version" action, but looks the version up only when asked."""

        def __init__(self, option_strings: Any, dest: str, **kwargs: object) -> None:
            super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help")))

        def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
            print(f"tubeboard {version()}")
            parser.exit()

    parser.add_argument(
        "--demo", action="store_true", help="open a scratch copy of the shipped catalogue"
    )
    parser.add_argument("--theme", metavar="NAME", help="the colour theme for this run")
    add_at(parser, "open the board, read-only,")
    parser.add_argument("--version", action=Version, help="show the version and exit")


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="the board in a web browser (textual-serve; localhost, Host and Origin checked)",
        description="Serve the board to a web browser through textual-serve. It listens on "
        "localhost unless told otherwise; on any other address the URL it prints carries a "
        "secret token, and anyone who has that URL can edit the catalogue.",
    )
    add_path(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--theme", metavar="NAME", help="the colour theme")
    serve.set_defaults(run=run_serve)

    keys = commands.add_parser(
        "keys",
        help="every action, its id and its current key (rebind them in the settings)",
        description="List every action with its id and current key. Rebind one in the config "
        'file, e.g. [keys] add = "n".',
    )
    keys.set_defaults(run=run_keys)

    completion = commands.add_parser(
        "completion",
        help="the shell completion script for bash, zsh or fish",
        description="Print a completion script: commands, their options, and file names. "
        'bash: eval "$(tubeboard completion bash)" in ~/.bashrc; zsh: the same in ~/.zshrc; '
        "fish: tubeboard completion fish > ~/.config/fish/completions/tubeboard.fish",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    completion.set_defaults(run=run_completion)


def run_open(options: argparse.Namespace) -> int:
    if options.theme is not None and not known_theme(options.theme):
        return 2
    if options.demo and options.at is not None:  # said before the demo is copied
        print("tubeboard: --demo is a fresh copy outside git: --at has no history there; "
              "use --at on a catalogue in a git work tree", file=sys.stderr)  # fmt: skip
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


def run_serve(options: argparse.Namespace) -> int:
    if options.theme is not None and not known_theme(options.theme):
        return 2
    from tui.serve import serve

    return serve(Path(options.path), options.host, options.port, options.theme)


def run_keys(options: argparse.Namespace) -> int:
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


def run_completion(options: argparse.Namespace) -> int:
    from tui.cli import command_options

    options_of = command_options()
    print(_SCRIPTS[options.shell](options_of), end="")
    return 0


def _bash(options_of: dict[str, list[str]]) -> str:
    cases = "".join(
        f'        {name}) opts="{" ".join(opts)}" ;;\n' for name, opts in options_of.items() if name
    )
    return (
        "_tubeboard() {\n"
        '    local cur="${COMP_WORDS[COMP_CWORD]}" opts\n'
        '    if [ "$COMP_CWORD" -eq 1 ]; then\n'
        f'        opts="{" ".join(n for n in options_of if n)} {" ".join(options_of[""])}"\n'
        '    else\n        case "${COMP_WORDS[1]}" in\n'
        f"{cases}"
        f'        *) opts="{" ".join(options_of[""])}" ;;\n'
        "        esac\n    fi\n"
        '    COMPREPLY=($(compgen -W "$opts" -- "$cur") $(compgen -f -- "$cur"))\n'
        "}\n"
        "complete -o filenames -F _tubeboard tubeboard\n"
    )


def _zsh(options_of: dict[str, list[str]]) -> str:
    return "autoload -U +X bashcompinit && bashcompinit\n" + _bash(options_of)


def _fish(options_of: dict[str, list[str]]) -> str:
    names = " ".join(n for n in options_of if n)
    lines = [f'complete -c tubeboard -n "__fish_use_subcommand" -a "{names}"']
    for name, opts in options_of.items():
        when = "__fish_use_subcommand" if not name else f"__fish_seen_subcommand_from {name}"
        for opt in opts:
            flag = f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
            lines.append(f'complete -c tubeboard -n "{when}" {flag}')
    return "\n".join(lines) + "\n"


_SCRIPTS = {"bash": _bash, "zsh": _zsh, "fish": _fish}


def demo_source() -> Path:
    """The shipped catalogue: package data in a wheel, the repo's catalog.toml in a checkout."""
    from importlib import resources

    packaged = resources.files("tui") / "data" / "catalog.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent.parent / "catalog.toml"


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


def run_app(path: Path, theme: str | None = None, at: Past | None = None) -> int:
    from tui.app import run

    return run(path, theme, at)
