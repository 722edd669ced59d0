"""tubeboard's own theme, and the colours of the kinds of tube in every theme.

The default theme uses only the terminal's 16 ANSI colours and its own foreground and
background, so it reads the same on a light or a dark terminal and on TERM=linux. Every kind
colour is a background with a foreground chosen for it, never a colour on the terminal's own
background. Symbols carry the meaning anyway, so NO_COLOR loses nothing.
"""

from __future__ import annotations

from textual.theme import Theme

from tui.catalog.model import KIND_COLOURS as MODEL_KIND_COLOURS

DEFAULT_THEME = "tubeboard"

# Used by any theme that does not set them: the truecolor themes Textual ships.
KIND_COLOURS = dict(MODEL_KIND_COLOURS)

TUBEBOARD_THEME = Theme(
    name=DEFAULT_THEME,
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    accent="ansi_magenta",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "tube-rock-core": "ansi_red",
        "tube-rock-core-text": "ansi_bright_white",
        "tube-regolith": "ansi_yellow",
        "tube-regolith-text": "ansi_black",
        "tube-atmosphere": "ansi_blue",
        "tube-atmosphere-text": "ansi_bright_white",
        "tube-witness": "ansi_white",
        "tube-witness-text": "ansi_black",
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border": "ansi_blue",
        "border-blurred": "ansi_bright_black",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-cursor-text-style": "reverse",
        "input-selection-background": "ansi_cyan",
        "input-selection-foreground": "ansi_black",
        "screen-selection-background": "ansi_cyan",
        "screen-selection-foreground": "ansi_black",
        "footer-key-foreground": "ansi_blue",
        "footer-description-foreground": "ansi_default",
        "scrollbar": "ansi_blue",
        "scrollbar-background": "ansi_default",
        "scrollbar-corner-color": "ansi_default",
    },
)
