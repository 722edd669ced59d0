"""The user's settings as one run of the app uses them: the keys (`[keys]`) checked and given
to Textual, the theme chosen, every problem with them said once, and a theme picked in the
app kept for the next run."""

from __future__ import annotations

from typing import Any

import attr
from textual.app import App

from tui.catalog.errors import StoreError
from tui.config import Config, save_theme
from tui.textual_compat import refresh_truecolor_filter
from tui.theme import DEFAULT_THEME, TUBEBOARD_THEME


class Settings:
    """The settings of one run: applied to the app at start, the theme kept when changed."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.problems = list(config.problems)  # said in one notice once the app is up
        self.keys: dict[str, str] = {}  # binding id -> keys, as the user rebound them

    def apply(self, app: App[Any], theme: str | None) -> None:
        """The keys and the theme (`theme`: --theme, for this run only), before the app runs."""
        config = self.config
        if config.keys:
            from tui.keymap import check_keymap

            self.keys, problems = check_keymap(config.keys, config.where)
            self.problems += problems
            app.set_keymap(self.keys)
        app.register_theme(TUBEBOARD_THEME)
        chosen = theme or config.theme or DEFAULT_THEME
        if chosen not in app.available_themes:
            where = config.where.get("theme", str(config.path))
            self.problems.append(f"{where}: unknown theme {chosen!r}; using the default")
            chosen = DEFAULT_THEME
        _start_with_theme(app, chosen)

    def keep_theme(self, name: str) -> str | None:
        """A theme picked in the app: used for this run whatever happens, and kept for the
        next if the settings file can be written; else why not."""
        if name == self.config.theme:
            return None
        self.config = attr.evolve(self.config, theme=name)
        try:
            save_theme(name, self.config.path)
        except (OSError, StoreError) as error:
            return (
                f"The theme {name} is used until you quit, but could not be kept for next "
                f"time: {error}"
            )
        return None


def _start_with_theme(app: App[Any], name: str) -> None:
    """Set the first theme before the app runs, without the theme watcher: it would parse
    and apply all the CSS a second time at start-up, for a stylesheet not yet parsed even
    once. What else the watcher does is done here."""
    app.set_reactive(App.theme, name)
    theme = app.current_theme
    app.set_class(theme.dark, "-dark-mode", update=False)
    app.set_class(not theme.dark, "-light-mode", update=False)
    app.add_class(f"-theme-{theme.name}", update=False)
    refresh_truecolor_filter(app)
    app.stylesheet.set_variables(app.get_css_variables())  # the App set the default's
