"""Every key, built from the bindings themselves so it can never fall behind them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.catalog.model import KIND_SYMBOL, STATUS_SYMBOL, Kind, Status
from tui.styles import styles_beside
from tui.widgets.board import CURSOR_MARK, MARKED, MATCH_MARK
from tui.widgets.sample_table import ASCENDING, CURSOR_ROW, DESCENDING, RULE_CURSOR
from tui.widgets.tube_view import CHANGE_SYMBOL

# The query language in one screen; tui/catalog/query.py has it whole.
QUERY_HELP = (
    ("basalt", "name, site, campaign or notes contain it"),
    ("kind:rock-core status:sealed", "that kind, that status"),
    ('campaign:"Crater Rim"', "the field contains the text"),
    ("sol>500  sol:100..600", "numbers and ranges (also tube)"),
    ("date>=2024-01-01  date:2022", "dates, whole years"),
    ("designation:M2020-006*", "a key of your own, * a wildcard (only *)"),
    ("-status:sealed", "not"),
    ("has:notes  -has:date", "the field is set / not set"),
)

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "escape": "Esc",
    "slash": "/",
    "question_mark": "?",
    "ctrl+p": "ctrl+p",
    "ctrl+s": "ctrl+s",
    "space": "space",
}


def key_label(keys: str) -> str:
    if not keys:
        return "no key"  # taken by another action in the settings
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def help_content(sections: list[tuple[str, list[Binding]]]) -> Content:
    lines: list[Content] = [Content.styled("Esc closes · ↑↓ or j/k scroll", "italic"), Content("")]
    for title, bindings in sections:
        lines.append(Content.styled(title, "bold underline"))
        for binding in bindings:
            lines.append(Content(f"  {key_label(binding.key):<16} {binding.description}"))
        lines.append(Content(""))
    lines.append(Content.styled("Search (/) and --where", "bold underline"))
    lines += [Content(f"  {term:<27} {meaning}") for term, meaning in QUERY_HELP]
    lines.append(Content(""))
    lines.append(Content.styled("Symbols", "bold underline"))
    lines += [Content(f"  {KIND_SYMBOL[k]}  {k.value}") for k in Kind]
    lines += [Content(f"  {STATUS_SYMBOL[s]}  {s.value}") for s in Status]
    lines.append(Content(f"  {CURSOR_MARK * 3}  the cursor (under the tube)"))
    lines.append(
        Content(f"  {CURSOR_ROW}    the cursor in the table; {RULE_CURSOR * 3} its column")
    )
    lines.append(Content(f"  {ASCENDING} {DESCENDING}  the table's sort, up or down (s)"))
    lines.append(Content(f"  {MATCH_MARK}  matches the search"))
    lines.append(Content(f"  {MARKED}  marked for a change of many (S, d)"))
    lines += [
        Content(f"  {symbol}  {state} since the last commit (git)")
        for state, symbol in CHANGE_SYMBOL.items()
    ]
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key, the query language and the symbols, from the bindings themselves."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="help.scroll_down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="help.scroll_up"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_content(self.sections))

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=lines, animate=False)
