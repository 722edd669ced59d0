"""Shown instead of the board when the catalogue has problems: `r` re-reads, `q` quits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.catalog.validate import Problem
from tui.plain import printable
from tui.styles import styles_beside
from tui.widgets.footer import KeysFooter


def problems_content(path: str, problems: Sequence[Problem]) -> Content:
    lines = [
        Content.assemble(
            (printable(path), "bold"),
            " cannot be shown: fix it in your editor, then "
            "press r to read it again. Nothing is written while it has problems.",
        ),
        Content(""),
    ]
    for problem in problems:
        lines.append(
            Content.assemble(
                (f"{problem.line}:{problem.col} ", "bold"),
                (f"{problem.severity} ", "italic"),
                printable(problem.message),
            )
        )
    return Content("\n").join(lines)


class ProblemsScreen(Screen[None]):
    """A catalogue's problems, each at its place, until the file is fixed and read again."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.reload", "Read again", id="problems.reload"),
        Binding("q", "app.quit", "Quit", id="problems.quit"),
    ]

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems"):
            yield Static(problems_content(self.path, self.problems), id="problems-text")
        yield KeysFooter()

    def show(self, problems: Sequence[Problem]) -> None:
        self.problems = problems
        self.query_one("#problems-text", Static).update(problems_content(self.path, problems))
