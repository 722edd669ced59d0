"""The App: opens the catalogue and shows the board, the problems, or the offer to create it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer

from tui import collector
from tui.catalog.store import ReadError, Store, StoreError
from tui.catalog.validate import Problem, parse_head
from tui.catalog.workspace import Workspace
from tui.config import Config, load_config
from tui.lazy import later
from tui.plain import printable
from tui.screens.board_screen import BoardScreen, offered
from tui.settings import Settings
from tui.textual_compat import (
    forget_lines_on_suspend,
    no_colour_at_all,
    skip_lines_already_shown,
)
from tui.theme import KIND_COLOURS

# The create, problems and help screens are loaded when used (tui/lazy.py): a good file never
# needs them, and each Textual screen class costs start-up time to define.
if TYPE_CHECKING:
    from tui.catalog import new_catalogue
    from tui.catalog.model import Catalog
    from tui.gitrepo import Past
    from tui.screens import create, exporting, help, problems
else:
    create = later("tui.screens.create")
    new_catalogue = later("tui.catalog.new_catalogue")
    exporting = later("tui.screens.exporting")
    help = later("tui.screens.help")
    problems = later("tui.screens.problems")


class TubeboardApp(App[None]):
    """The app's one job: open the catalogue (the board, its problems, or the offer to create
    it) and hold the session (the workspace) that outlives any screen."""

    CSS_PATH = "app.tcss"
    TITLE = "tubeboard"
    # Wide enough for the board of 11 columns and the details panel beside it. No class for
    # narrow: a class set at start-up restyles the whole screen once more (bench/RESULTS.md).
    HORIZONTAL_BREAKPOINTS = [(118, "-wide")]  # noqa: RUF012 (Textual declares it a plain list)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(
        self,
        path: Path,
        theme: str | None = None,
        config: Config | None = None,
        at: Past | None = None,
    ) -> None:
        super().__init__()
        no_colour_at_all(self)
        skip_lines_already_shown(self)  # and partial updates start at the change
        self._sweeper: Timer | None = None
        # The board checks off its loop; `at`: a commit's bytes and which commit (--at).
        self.store = Store(path, full_check_later=True) if at is None else at.store(path)
        self.workspace: Workspace | None = None  # the session, once the file is read
        # Settings: the config file, unless a test or the caller gives one.
        self.settings = Settings(load_config() if config is None else config)
        self.settings.apply(self, theme)

    @property
    def keys(self) -> dict[str, str]:
        """The keys the user rebound ([keys] in the settings), by binding id."""
        return self.settings.keys

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot, saved beside the catalogue (or in the current folder if
        that is not writable): Textual's default, ~/Downloads, is missing on most servers."""
        if path is None:
            folder = self.store.real_path.parent
            path = str(folder if os.access(folder, os.W_OK) else Path.cwd())
        return super().deliver_screenshot(filename, path, time_format)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(KIND_COLOURS)

    def _keep_theme(self, theme: Theme) -> None:
        problem = self.settings.keep_theme(theme.name)
        if problem is not None:
            self.notify(problem, title="Settings", severity="warning", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice as printable text: ours carry file names and messages about the file,
        which may hold escape sequences (and are sent with markup=False, as user text)."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_default_screen(self) -> Screen[Any]:
        # A good file opens straight on the board, composed once: start-up is what people
        # feel most over SSH. Anything else starts blank, and on_mount shows what is needed.
        opened = self._read(head_first=True)
        return opened if isinstance(opened, BoardScreen) else super().get_default_screen()

    def on_mount(self) -> None:
        forget_lines_on_suspend(self)
        self.call_after_refresh(collector.resume)  # `tubeboard` held it off (tui/cli/)
        if not isinstance(self.screen, BoardScreen):
            self.open_catalogue()
        # `--theme` is for this run; a theme picked in the app is kept for the next.
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        if problems := self.settings.problems:  # one notice for all: four covered the board
            count = len(problems)
            title = f"Settings: {count} problem{'s' if count != 1 else ''}"
            said = "\n".join(problems)
            self.notify(said, title=title, severity="warning", timeout=12, markup=False)

    async def on_event(self, event: events.Event) -> None:
        # Every key, before any widget sees it: quiet means no keys either, since the full
        # collection would hold the next one up.
        if isinstance(event, events.Key) and self._sweeper is not None:
            self._sweeper.reset()
        await super().on_event(event)

    # Memory: the collector policy is tui/collector.py; this is its one caller in the app.

    def settle_memory(self) -> None:
        """From a worker, after a read or a save was indexed: collect, freeze what lives,
        and sweep everything once things are quiet."""
        collector.settle()
        self.call_from_thread(self.sweep_when_quiet)

    def sweep_when_quiet(self) -> None:
        if self._sweeper is not None:
            self._sweeper.stop()
        quiet = max(collector.QUIET_SECONDS, self.NOTIFICATION_TIMEOUT + 1)
        self._sweeper = self.set_timer(quiet, self._sweep)

    def _sweep(self) -> None:
        self._sweeper = None
        collector.sweep()

    def on_unmount(self) -> None:
        self.store.close()  # the spare copy of the file, made for the next save

    def _read(self, head_first: bool = False) -> BoardScreen | list[Problem]:
        """The board on the file as it is now, or why it cannot be shown.

        Only the first screen may show a large file's head while the rest is read: a later
        read (after problems further down, say) must read it all, or it would show the same
        head again."""
        try:
            raw = self.store.read_bytes()
        except ReadError as error:
            return [Problem(1, 1, str(error))]
        head = parse_head(raw) if head_first else None
        if head is not None and head.catalog is not None:
            # A large file: show its head at once, and read the rest in a worker.
            return BoardScreen(self._session(head.catalog, raw, head=True))
        parsed = self.store.parse(raw)
        if parsed.catalog is None:
            return list(parsed.problems)
        return BoardScreen(self._session(parsed.catalog, raw))

    def _session(self, catalog: Catalog, raw: bytes, head: bool = False) -> Workspace:
        """The session is the app's, not a screen's: a board shown anew keeps the undo log.
        `head`: only the head of a large file is read yet."""
        if self.workspace is None:
            self.workspace = Workspace(self.store, catalog, raw, head)
            return self.workspace
        return self.workspace.reopened(catalog, raw, head)

    def open_catalogue(self) -> None:
        """Show whatever the file on disk calls for now."""
        path = self.store.path
        at_commit = self.store.revision is not None  # the file on disk does not matter
        missing = not at_commit and not path.exists() and not path.is_symlink()
        if missing and not path.absolute().parent.is_dir():
            folder = path.absolute().parent
            self._problems(
                [
                    Problem(
                        1,
                        1,
                        f"the folder {folder} does not exist, so there is no catalogue to open "
                        "or create there: make the folder first, or give another path",
                    )
                ]
            )
            return
        if missing:
            self._show(create.CreateScreen(str(path), create.near_file(path)), self._create)
            return
        opened = self._read()
        if isinstance(opened, BoardScreen):
            self._show(opened)
        else:
            self._problems(opened)

    def _show(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        # One screen at a time over the base: whatever was shown before goes.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen, callback)

    def _problems(self, found: list[Problem]) -> None:
        if isinstance(self.screen, problems.ProblemsScreen):
            self.screen.show(found)
            self.notify("Still has problems.", severity="warning", markup=False)
        else:
            self._show(problems.ProblemsScreen(str(self.store.path), found))

    def _create(self, answer: tuple[str, int] | None) -> None:
        if answer is None:
            self.exit()
            return
        title, tubes = answer
        try:
            new_catalogue.create(self.store.path, new_catalogue.text(title, tubes))
        except StoreError as error:
            self._problems([Problem(1, 1, str(error))])
            return
        try:
            schema = new_catalogue.write_schema_beside(self.store.path)
        except (OSError, StoreError) as error:
            # The catalogue is written and works; editors just cannot check it yet.
            self.notify(f"No schema file for editors: {error}", severity="warning", markup=False)
        else:
            if schema is not None:
                self.notify(f"Wrote {schema.name} beside it, for editors.", markup=False)
        self.open_catalogue()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, BoardScreen):
            # Every action of the board, from the same bindings the footer and help show.
            for target, binding in offered(screen):
                yield SystemCommand(
                    binding.description,
                    f"key: {help.key_label(binding.key)}",
                    partial(target.run_action, binding.action),
                )
            yield SystemCommand(
                "Export…",
                "the catalogue, or the search's matches, to a file (CSV, JSON, SVG, labels…)",
                partial(exporting.export, screen),
            )
            yield SystemCommand(
                "Labels…",
                "a sheet of labels for the marked samples",
                partial(exporting.export, screen, labels=True),
            )

    def action_reload(self) -> None:
        self.open_catalogue()


def run(path: Path, theme: str | None = None, at: Past | None = None) -> int:
    app = TubeboardApp(path, theme, at=at)
    app.run()
    # Textual sets a return code of 1 when an error ended the app; it must not exit 0.
    return app.return_code or 0
