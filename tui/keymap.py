"""Key bindings the user may change: every binding has an id, `[keys]` in the config maps ids
to keys, and Textual's keymap applies them. This module checks a keymap before it is applied,
so a mistake is a clear message instead of a key that silently does nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import import_module

from textual.binding import Binding
from textual.keys import Keys

from tui.textual_compat import printable_key_names

# Where bindings live, as (title, module, class), in the order `tubeboard keys` lists them.
# Bindings that are active together (the board widget, its screen and the app) share a group,
# so a key given to one of them is checked against all three.
SCOPES: tuple[tuple[str, str, str, str], ...] = (
    ("board", "Board and table", "tui.widgets.tube_view", "TubeView"),
    ("board", "Table", "tui.widgets.sample_table", "SampleTable"),
    ("board", "Timeline", "tui.widgets.timeline", "TimelineView"),
    ("board", "Board screen", "tui.screens.board_screen", "BoardScreen"),
    ("board", "Anywhere", "tui.app", "TubeboardApp"),
    ("form", "Form", "tui.screens.sample_form", "SampleForm"),
    ("view", "Sample details", "tui.screens.sample_view", "SampleView"),
    ("confirm", "Delete? (y/n)", "tui.screens.confirm", "ConfirmScreen"),
    ("filter", "Filter", "tui.screens.filter_picker", "FilterPicker"),
    ("help", "Help", "tui.screens.help", "HelpScreen"),
    ("problems", "Problems", "tui.screens.problems", "ProblemsScreen"),
    ("create", "New catalogue", "tui.screens.create", "CreateScreen"),
)

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = frozenset(key.value for key in Keys)


def every_binding() -> Iterator[tuple[str, str, Binding]]:
    """(group, title, binding) for every binding of tubeboard that has an id, each id once:
    an id several screens share (the form's Tab) is one action with one key."""
    seen: set[str] = set()
    for group, title, module, name in SCOPES:
        owner = getattr(import_module(module), name)
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                seen.add(binding.id)
                yield group, title, binding


def current_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys `binding` has in the app once `keymap` is applied: its own from the keymap,
    else its default keys less any a rebound action of the same screen took (Textual takes
    them, and `keys`, help, footer and palette must say what the app does)."""
    return _effective(tuple(sorted(keymap.items()))).get(binding.id or "", binding.key)


def help_sections(keymap: dict[str, str]) -> list[tuple[str, list[Binding]]]:
    """What the help screen lists: the board's keys and the form's, as the user set them."""
    view, table, timeline, screen, form = (
        getattr(import_module(module), name)
        for module, name in (
            ("tui.widgets.tube_view", "TubeView"),
            ("tui.widgets.sample_table", "SampleTable"),
            ("tui.widgets.timeline", "TimelineView"),
            ("tui.screens.board_screen", "BoardScreen"),
            ("tui.screens.sample_form", "SampleForm"),
        )
    )
    palette = Binding("ctrl+p", "command_palette", "Command palette: every action")
    return [
        ("Board and table", with_current_keys(view, keymap)),
        ("Table", with_current_keys(table, keymap)),
        ("Timeline", with_current_keys(timeline, keymap)),
        ("Actions", with_current_keys(screen, keymap)),
        ("Anywhere", [palette]),
        ("In the form", with_current_keys(form, keymap)),
    ]


def with_current_keys(owner: type, keymap: dict[str, str]) -> list[Binding]:
    """The owner's bindings with the keys they have now, after the user's [keys]."""
    return [
        binding.with_key(current_keys(binding, keymap))
        for binding in getattr(owner, "BINDINGS", [])
        if isinstance(binding, Binding)
    ]


@functools.cache
def _effective(keymap: tuple[tuple[str, str], ...]) -> dict[str, str]:
    given = dict(keymap)
    bindings = list(every_binding())
    taken: dict[str, set[str]] = {}
    for group, _, binding in bindings:
        if binding.id in given:
            taken.setdefault(group, set()).update(given[binding.id].split(","))
    keys: dict[str, str] = {}
    for group, _, binding in bindings:
        assert binding.id is not None
        if binding.id in given:
            keys[binding.id] = given[binding.id]
        else:
            left = [k for k in binding.key.split(",") if k not in taken.get(group, set())]
            keys[binding.id] = ",".join(left)
    return keys


# What a terminal sends for these is the byte of another key: Textual sees that other key.
SAME_AS = {
    "ctrl+m": "enter",
    "ctrl+j": "enter",
    "ctrl+i": "tab",
    "ctrl+h": "backspace",
    "ctrl+[": "escape",
    "ctrl+left_square_bracket": "escape",
}


def is_key(key: str) -> bool:
    """Whether Textual can ever deliver `key`: "n", "N", "ctrl+n", "f5", "slash", ...

    Textual names a printable character by itself (letters, digits) or by its Unicode name
    (`question_mark`, `slash`); a key on a keyboard is ASCII or a named key. A name such as
    `banana` is a Unicode character no key sends, least of all with modifiers."""
    *modifiers, base = key.strip().split("+")
    if not base or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _NAMED or base in printable_key_names()


def check_keymap(
    keys: dict[str, str], where: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The entries that can be applied, and a message for each problem or clash.

    `where` gives each id's "path:line:col" for the messages."""
    where = where or {}
    bindings = list(every_binding())
    by_id = {binding.id: (group, binding) for group, _, binding in bindings}
    usable: dict[str, str] = {}
    problems: list[str] = []

    def say(binding_id: str, message: str) -> None:
        place = where.get(binding_id)
        problems.append(f"{place}: {message}" if place else message)

    for binding_id, value in keys.items():
        if binding_id not in by_id:
            say(
                binding_id,
                f"keys: no action has the id {binding_id!r}; `tubeboard keys` lists them",
            )
            continue
        wanted = [part.strip() for part in value.split(",")]
        bad = [part for part in wanted if not is_key(part)]
        if bad:
            say(
                binding_id,
                f"keys.{binding_id}: {bad[0]!r} is not a key Textual knows; "
                'write e.g. "n", "N", "ctrl+n", "f5" or "slash"',
            )
            continue
        alike = [part for part in wanted if part.lower() in SAME_AS]
        if alike:
            say(
                binding_id,
                f"keys.{binding_id}: a terminal sends {alike[0]!r} as "
                f"{SAME_AS[alike[0].lower()]}, so tubeboard cannot tell them apart; "
                "not bound, choose another key",
            )
            continue
        usable[binding_id] = ",".join(wanted)
    # A key given to one action is taken from any other action of the same screen that had it.
    for binding_id, value in usable.items():
        group = by_id[binding_id][0]
        for other_group, _, other in bindings:
            if other_group != group or other.id == binding_id or other.id in usable:
                continue
            taken = set(value.split(",")) & set(other.key.split(","))
            if taken:
                left = [k for k in other.key.split(",") if k not in taken]
                keeps = f"it keeps {', '.join(left)}" if left else "it has no key now"
                say(
                    binding_id,
                    f"keys.{binding_id} = {value!r} takes {', '.join(sorted(taken))} "
                    f"from {other.id} ({other.description}); {keeps}",
                )
    return usable, problems
