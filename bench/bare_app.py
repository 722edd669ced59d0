"""The baseline for start-up and memory: a bare Textual app (Header, one Static, Footer).

It shows the text it is given, so both sides of a comparison wait for the same words.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.text))
        yield Footer()


if __name__ == "__main__":
    Bare(sys.argv[1]).run()
