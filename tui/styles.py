"""The stylesheet beside a screen's or a widget's module. The board screen's are in
tui/app.tcss; every other screen's and widget's in a .tcss file beside its module."""

from __future__ import annotations

from pathlib import Path


def styles_beside(module_file: str) -> str:
    """The stylesheet next to a screen's module, for the screen's DEFAULT_CSS.

    Textual parses the app's CSS_PATH at start-up, and a screen's CSS_PATH by parsing every
    stylesheet again when the screen is first shown. DEFAULT_CSS is parsed on
    its own when the screen is first mounted, so a screen the session never opens costs
    nothing, and one it opens costs only its own rules.
    """
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
