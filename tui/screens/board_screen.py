"""The main screen: the board, the summary, the details, search and filter.

A thin view over the workspace (tui/catalog/workspace.py): it shows the catalogue, turns
keys and messages into questions to the workspace, and shows its answers. It never touches
the file; the watcher (tui/watcher.py) looks at the disk and posts what it finds here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input

from tui.catalog.model import Catalog
from tui.catalog.workspace import (
    Saved,
    Workspace,
)
from tui.git_marks import Marks
from tui.lazy import later
from tui.screens.answers import Answers
from tui.screens.curation import Curation
from tui.screens.following import BoardApp, Following
from tui.screens.searching import Searching
from tui.textual_compat import is_exiting
from tui.watcher import CatalogBroken, CatalogChanged, PermissionsChanged, Watcher
from tui.widgets.banner import Banner
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.finder import Finder
from tui.widgets.footer import KeysFooter
from tui.widgets.summary import Summary
from tui.widgets.title_bar import TitleBar
from tui.widgets.tube_view import TubeView
from tui.widgets.views import active_view, switch_view

# Screens and widgets a session may never open: loaded on first use, off start-up.
if TYPE_CHECKING:
    from tui import keymap
    from tui.screens import confirm, hand_over, help, sample_form, sample_view, since_commit
    from tui.widgets import details_panel
else:
    keymap = later("tui.keymap")
    confirm = later("tui.screens.confirm")
    hand_over = later("tui.screens.hand_over")
    help = later("tui.screens.help")
    sample_form = later("tui.screens.sample_form")
    sample_view = later("tui.screens.sample_view")
    since_commit = later("tui.screens.since_commit")
    details_panel = later("tui.widgets.details_panel")


# The keys that write: a catalogue shown as a commit had it (--at) does not offer them (each
# still says why it cannot, when pressed).
WRITES = frozenset({"add", "edit", "delete", "set_many", "move", "undo", "redo", "editor"})


class BoardScreen(Screen[None]):
    """The board, table and timeline of one catalogue: takes the keys, asks the workspace,
    shows its answers."""

    AUTO_FOCUS = "TubeBoard"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help and Quit first: the footer shows keys in this order and cuts what a narrow
        # terminal cannot hold (at 60 columns it kept "? He" and lost Quit).
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("a", "add", "Add", id="add"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="next_match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="previous_match"),
        Binding("f", "filter", "Filter", show=False, id="filter"),
        Binding("t", "view('table')", "Table or board", show=False, id="table"),
        Binding("T", "view('timeline')", "Timeline or board", show=False, id="timeline"),
        Binding("space", "mark", "Mark or unmark", show=False, id="board.mark"),
        Binding("A", "mark_all", "Mark every match", show=False, id="board.mark_all"),
        Binding("S", "set_many", "Set a field on the marked tubes", show=False, id="set_many"),
        Binding("m", "move", "Move to another tube", show=False, id="move"),
        Binding("E", "editor", "Open the record in $VISUAL or $EDITOR", show=False, id="editor"),
        Binding("c", "copy", "Copy the record (or the marked) as TOML", show=False, id="copy"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="redo"),
        Binding("escape", "clear", "Clear search, filter and marks", show=False, id="clear"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace  # the app's: it outlives this screen
        self.watcher = Watcher(self, self.workspace)
        self.following = Following(self)  # the file's changes, the banner, the index
        self.finder = Finder()  # the search's matches and the filter's dimming
        self.answers = Answers(self)  # what a change's answer does on this screen
        self.curation = Curation(self)  # changes of many tubes, and moves
        self.searching = Searching(self, KeysFooter)  # the search, the filter, Esc
        self.marked: frozenset[int] = frozenset()  # for S and d; both views show them
        self.git: since_commit.GitPoller | None = None  # after the first frame
        self.changes = Marks()  # what changed since the last commit (git)

    @property
    def view(self) -> TubeView:
        """The board, or the table when `t` has switched to it: the same focused tube."""
        return active_view(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed right after `q` (a quick `qa`) arrive while the app closes: a form
        # opened then would never be composed.
        return not is_exiting(self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="main"):
            yield TubeBoard(self.workspace.catalog, id="board", classes="-active")
        yield Banner(Content(""), id="banner")
        yield Summary(self.workspace.catalog, id="summary")
        yield DetailsLine(1, self.workspace.catalog.sample_at(1), id="details")
        yield KeysFooter(hide=WRITES if self.workspace.store.revision else frozenset())

    def on_mount(self) -> None:
        self.title = self.workspace.catalog.board.title
        store = self.workspace.store
        self.sub_title = str(store.path) + (f" at {store.revision}" if store.revision else "")
        self._show_focused(self.view.cursor)
        self.following.update_banner()
        self.watcher.start()
        if self.workspace.partial:
            self.view.partial = True
            self.query_one(Summary).partial = True
            self.following.read_whole(self.workspace.known_bytes)
        # Index the file for the first edit, once the first screen is up; then look at git.
        self.set_timer(1.0, self.following.reindex)
        self.set_timer(1.5, self._start_git)

    def _start_git(self) -> None:
        self.git = since_commit.GitPoller(self, self.workspace)
        self.git.start()

    # The file on disk: followed by self.following ---------------------------------------

    @on(CatalogChanged)
    def _changed(self, event: CatalogChanged) -> None:
        self.following.changed(event)

    @on(CatalogBroken)
    @on(PermissionsChanged)
    def _update_banner(self) -> None:
        self.following.update_banner()

    def index_now(self) -> None:
        self.following.index_now()

    # Showing -------------------------------------------------------------------------------

    def show_catalog(self, catalog: Catalog) -> None:
        self.title = catalog.board.title
        self.marked = self.marked & catalog.by_tube().keys()
        self.finder.search(catalog, self.finder.query)
        self.view.show(catalog)
        self.apply_highlights()

    def _show_focused(self, tube: int) -> None:
        sample = self.workspace.catalog.sample_at(tube)
        self.query_one(DetailsLine).show(tube, sample, self.workspace.partial)
        panel = self.query("#panel")
        if panel:  # only once mounted: a narrow terminal never loads it
            panel.first(details_panel.DetailsPanel).show(tube, sample)

    def on_resize(self) -> None:
        # Mounted when first wide enough: narrow terminals never pay for it, not even its
        # import.
        if self.has_class("-wide") and not self.query("#panel"):
            self.query_one("#main").mount(details_panel.DetailsPanel(id="panel"))
            self.call_after_refresh(self._show_focused, self.view.cursor)

    @on(TubeView.CursorMoved)
    def _moved(self, event: TubeView.CursorMoved) -> None:
        self._show_focused(event.tube)

    @on(TubeView.Opened)
    def _opened(self, event: TubeView.Opened) -> None:
        git = self.git
        self.curation.open(event.tube, git.history if git and git.service.repo else None)

    # The marks are the screen's, and so are their keys: a key acts on the marks the key
    # before it left, even when they arrive together (space d y).

    def action_mark(self) -> None:
        """Mark or unmark the focused tube; an empty tube has nothing to mark."""
        tube = self.view.cursor
        if self.workspace.catalog.sample_at(tube) is not None:
            self.set_marks(self.marked ^ {tube})

    def action_mark_all(self) -> None:
        """Mark every tube the search matches (every filled tube without one), or say why
        none is marked."""
        found = self.finder.to_mark(self.workspace.catalog)
        if isinstance(found, str):
            self.notify(found, markup=False)
        else:
            self.set_marks(found)

    def set_marks(self, marked: frozenset[int]) -> None:
        self.marked = marked
        self.apply_highlights()

    def on_marks_found(self, event: since_commit.MarksFound) -> None:
        self.changes = event.marks
        self.apply_highlights()

    def apply_highlights(self) -> None:
        matches, dim = frozenset(self.finder.matches), self.finder.dim()
        self.view.set_highlights(matches, dim, self.marked, self.changes.changes)
        marked = f"{len(self.marked)} marked · S set · d delete" if self.marked else ""
        note = " · ".join(filter(None, [self.finder.note(), marked, self.changes.note()]))
        self.query_one(Summary).show(self.workspace.catalog, note)

    # Changes -------------------------------------------------------------------------------

    def action_add(self) -> None:
        if not self.following.refuse_write():
            self.curation.add()

    def action_edit(self) -> None:
        if not self.following.refuse_write():
            self.curation.edit()

    def on_sample_form_submitted(self, event: sample_form.SampleForm.Submitted) -> None:
        # By name, not @on: the form's module loads when a form first opens, not at start.
        self.curation.submitted(event.form, event.sample)

    def action_delete(self) -> None:
        if not self.following.refuse_write():
            self.curation.delete()

    def action_set_many(self) -> None:
        if not self.following.refuse_write():
            self.curation.set_many()

    def action_move(self) -> None:
        if not self.following.refuse_write():
            self.curation.move()

    def action_editor(self) -> None:
        hand_over.hand_over(self)

    def action_copy(self) -> None:
        hand_over.copy(self)

    def action_undo(self) -> None:
        self.answers.answer(self.workspace.undo(), self.answers.say)

    def action_redo(self) -> None:
        self.answers.answer(self.workspace.redo(), self.answers.say)

    def show_saved(self, saved: Saved) -> None:
        self.show_catalog(saved.catalog)
        self.view.move_to(saved.tube)

    # Search, filter, help ------------------------------------------------------------------

    async def action_search(self) -> None:
        await self.searching.open()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.searching.changed(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.searching.submitted()

    def action_next_match(self, step: int) -> None:
        self.searching.next_match(step)

    def action_clear(self) -> None:
        self.searching.clear()

    def action_filter(self) -> None:
        self.searching.pick_filter()

    async def action_view(self, view: str) -> None:
        """Switch between the board and the table or the timeline, on the same focused tube."""
        await switch_view(self, self.workspace.catalog, view)
        self.apply_highlights()
        self.view.focus()

    def action_help(self) -> None:
        self.app.push_screen(help.HelpScreen(keymap.help_sections(self.rebound_keys())))

    def rebound_keys(self) -> dict[str, str]:
        """The keys the user rebound ([keys] in the settings), none in another app."""
        return self.app.keys if isinstance(self.app, BoardApp) else {}


def offered(screen: BoardScreen) -> list[tuple[TubeView | BoardScreen, Binding]]:
    """Every action the board screen offers, with the binding that names it now (the keys
    the user rebound), the view's included: what the palette lists."""
    keys = screen.rebound_keys()
    owners: list[tuple[TubeView | BoardScreen, type]] = [
        (screen.view, TubeView),
        (screen.view, type(screen.view)),
        (screen, BoardScreen),
    ]
    return [
        (target, binding)
        for target, owner in owners
        if "BINDINGS" in vars(owner)  # the board's are all its view's
        for binding in keymap.with_current_keys(owner, keys)
    ]
