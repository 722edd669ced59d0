"""The user's settings: `$XDG_CONFIG_HOME/tubeboard/config.toml` (theme and key bindings).

    theme = "nord"

    [keys]
    add = "n"             # a binding id = a key, or several: "n,ctrl+n"

A broken file never stops the app: each problem is reported as path:line:col and the rest of
the file still applies. Saving the theme changes only its own line, so comments stay.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attr

from tui.catalog import toml_read
from tui.catalog.store import write_atomic
from tui.catalog.validate import syntax_problem


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "tubeboard" / "config.toml"


@attr.frozen
class Config:
    """The user's settings as read: theme, keys, and what was wrong with them."""

    path: Path = attr.field(factory=config_path)
    theme: str | None = None
    keys: dict[str, str] = attr.field(factory=dict)
    problems: tuple[str, ...] = ()  # each "path:line:col: message"
    where: dict[str, str] = attr.field(factory=dict)  # "theme" or a key id: "path:line:col"


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as error:
        return Config(path, problems=(f"{path}: cannot read it: {error}",))
    try:
        data = toml_read.loads(text)
    except toml_read.TOMLDecodeError as error:
        problem = syntax_problem(error, text)
        return Config(path, problems=(f"{path}:{problem.line}:{problem.col}: {problem.message}",))
    from tui.catalog.document import Document  # only for a config that exists

    problems: list[str] = []
    document = Document(text)

    def place(where: tuple[str, ...]) -> str:
        line, col = document.locate(where)
        return f"{path}:{line}:{col}"

    def report(where: tuple[str, ...], message: str) -> None:
        problems.append(f"{place(where)}: {message}")

    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        report(("theme",), 'theme must be a string, such as theme = "nord"')
        theme = None
    keys: dict[str, str] = {}
    table: Any = data.get("keys", {})
    if not isinstance(table, dict):
        report(("keys",), "keys must be a table: write [keys] on its own line")
        table = {}
    for binding_id, key in table.items():
        if not isinstance(key, str) or not key.strip():
            report(
                ("keys", binding_id), f'keys.{binding_id} must be a key, such as "n" or "ctrl+n"'
            )
            continue
        keys[binding_id] = key
    for name in data:
        if name not in ("theme", "keys"):
            report((name,), f"unknown setting {name!r}: tubeboard reads theme and [keys]")
    where = {key: place(("keys", key)) for key in keys}
    if theme is not None:
        where["theme"] = place(("theme",))
    return Config(path, theme, keys, tuple(problems), where)


def save_theme(name: str, path: Path | None = None) -> None:
    """Set `theme` in the config file, changing only its value (or adding a line at the top).

    The scanner finds the real top-level `theme = ...` statement: a line reading
    `theme = ...` inside a multi-line string is text, not the setting."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    from tui.catalog.document import Document
    from tui.catalog.edit import render_value

    try:
        toml_read.loads(text)
    except toml_read.TOMLDecodeError:
        return  # the file is broken already: leave the person's text alone
    value = render_value(name)
    entry = next((e for e in Document(text).entries if e.path == ("theme",)), None)
    if entry is not None:
        new = text[: entry.value_start] + value + text[entry.value_end :]
    else:
        starts_with_table = text.lstrip().startswith("[")
        new = f"theme = {value}\n" + ("\n" if starts_with_table else "") + text
    toml_read.loads(new)  # a bug of ours must not write a broken file
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new.encode("utf-8"))
