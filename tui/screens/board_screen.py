"""The main screen: the board, the summary, the details, search, filter, and every edit."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.catalog.model import Catalog, Kind, Sample, Status, describe_changes, matching_tubes
from tui.catalog.store import Busy, ConflictError, ReadError, Store, StoreError
from tui.catalog.validate import Parsed, Problem
from tui.plain import printable
from tui.textual_compat import is_exiting
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.footer import KeysFooter
from tui.widgets.summary import Summary
from tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from tui.catalog.history import Step
    from tui.screens.sample_form import SaveCallback


class Waiting:
    """A save that waits, in a worker, for another tubeboard to finish its own."""

    def __init__(self, name: str) -> None:
        self.message = f"Another tubeboard is saving {name}; this save waits for it…"


POLL_SECONDS = 0.25  # a change on disk shows within a second
# A full collection takes tens of ms at 10,000 tubes: only after this long without a change.
QUIET_SECONDS = 30.0


class BoardScreen(Screen[None]):
    AUTO_FOCUS = "TubeBoard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="add"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="next_match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="previous_match"),
        Binding("f", "filter", "Filter", show=False, id="filter"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("escape", "clear", "Clear search and filter", show=False, id="clear"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, store: Store, catalog: Catalog, raw: bytes, partial: bool = False) -> None:
        super().__init__()
        # Showing only the head of a large file while a worker reads the whole of it.
        self.partial = partial
        self.store = store
        self.catalog = catalog
        # What the file held when last read or written by us, to tell outside changes apart.
        self.known_bytes = raw
        self.known_stat = store.fingerprint()
        self.problems: tuple[Problem, ...] = ()
        self.read_only: str | None = None
        # Why this valid file cannot be edited here (an inline sample array), found off
        # start-up by the indexing worker; None when it can.
        self.unsupported: str | None = None
        self.undo_steps: list[Step] = []
        self.matches: list[int] = []
        self.filter: str | None = None
        self._freezer: Timer | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed right after `q` (a quick `qa`) arrive while the app closes: a form
        # opened then would never be composed.
        return not is_exiting(self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="main"):
            yield TubeBoard(self.catalog, id="board")
        yield Static(Content(""), id="banner")
        yield Summary(self.catalog, id="summary")
        yield DetailsLine(1, self.catalog.sample_at(1), id="details")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = self.catalog.board.title
        self.sub_title = str(self.store.path)
        self._show_focused(self.board.cursor)
        self._update_banner()
        self.set_interval(POLL_SECONDS, self.check_file)
        if self.partial:
            self.board.partial = True
            self.query_one(Summary).partial = True
            self._read_whole(self.known_bytes)
        self.store.defer_full_check = True
        # Index the file for the first edit, once the first screen is up.
        self.set_timer(1.0, self._reindex)

    # Live reload ---------------------------------------------------------------------------

    def check_file(self) -> None:
        """Notice a change on disk (an editor, git, another tubeboard) and show it."""
        if (self.store.read_only_reason() or self.unsupported) != self.read_only:
            self._update_banner()  # made read-only, or writable again: a chmod changes no byte
        stamp = self.store.fingerprint()
        if stamp == self.known_stat:
            return
        self.known_stat = stamp
        try:
            raw = self.store.read_bytes()
        except ReadError as error:
            self.problems = (Problem(1, 1, str(error)),)
            self._update_banner()
            return
        if raw == self.known_bytes:
            if self.problems:
                # It vanished for a moment (git stash, some editors) and came back as it was.
                self._reloaded(raw, self.store.parse(raw))
            return
        self.known_bytes = raw
        self._parse_in_background(raw)

    @work(thread=True, group="whole")
    def _read_whole(self, raw: bytes) -> None:
        parsed = self.store.parse(raw)
        self.app.call_from_thread(self._whole_read, raw, parsed)

    def _whole_read(self, raw: bytes, parsed: Parsed) -> None:
        if raw != self.known_bytes:
            return  # the file changed meanwhile: the reload on its way will show it
        if parsed.catalog is None:
            self.call_later(self.run_action, "app.reload")  # the problems screen, as at start
            return
        self.show_catalog(parsed.catalog)
        self._update_banner()
        self._reindex()

    @work(thread=True, exclusive=True, group="reload")
    def _parse_in_background(self, raw: bytes) -> None:
        # Parsing ten thousand records takes half a second: not on the event loop.
        parsed = self.store.parse(raw)
        self.app.call_from_thread(self._reloaded, raw, parsed)

    def _reloaded(self, raw: bytes, parsed: Parsed) -> None:
        if raw != self.known_bytes:
            return  # the file changed again (or we saved) while this was parsed
        if parsed.catalog is None:
            # Keep the last good board, read-only, until the file is valid again.
            self.problems = parsed.errors
            self._update_banner()
            return
        was_broken = bool(self.problems)
        self.problems = ()
        change = describe_changes(self.catalog, parsed.catalog)
        self.show_catalog(parsed.catalog)
        self._update_banner()
        self._reindex()
        name = self.store.path.name
        if was_broken:
            self.notify(f"{name} is valid again: {change}", markup=False)
        else:
            self.notify(f"{name} changed on disk: {change}", markup=False)

    def _update_banner(self) -> None:
        self.read_only = self.store.read_only_reason() or self.unsupported
        banner = self.query_one("#banner", Static)
        if self.partial:
            size = len(self.known_bytes) / 1e6
            text = f"reading the rest of {self.store.path.name} ({size:.1f} MB); edits in a moment"
        elif self.problems:
            first = self.problems[0]
            count = len(self.problems)
            text = (
                f"{self.store.path.name} has {count} problem{'s' if count > 1 else ''} on disk "
                f"(line {first.line}:{first.col}: {first.message}); showing the last "
                "good board, read-only, until it is fixed"
            )
        elif self.read_only:
            text = f"read-only: {self.read_only}; you can look but not change"
        else:
            text = ""
        banner.update(Content(printable(text)))  # the file's name and messages are user text
        banner.set_class(bool(text), "-shown")

    def _refuse_write(self) -> bool:
        """Say why no write can happen now, if so."""
        if self.unsupported is None and not self.partial and not self.problems:
            # Before the first indexing is done, a key may ask already.
            self.unsupported = self.store.layout_refusal()
            self._update_banner()
        if self.partial:
            self.notify("Still reading the file; a moment.", markup=False)
            return True
        if self.problems:
            self.notify(
                "The file has problems on disk; fix it first. Nothing is written meanwhile.",
                severity="warning",
                markup=False,
            )
            return True
        if self.read_only:
            self.notify(f"Read-only: {self.read_only}.", severity="warning", markup=False)
            return True
        return False

    @property
    def board(self) -> TubeBoard:
        return self.query_one(TubeBoard)

    # Showing -------------------------------------------------------------------------------

    def show_catalog(self, catalog: Catalog) -> None:
        self.partial = False
        self.catalog = catalog
        from tui.screens.sample_form import SampleForm

        if isinstance(self.app.screen, SampleForm):
            self.app.screen.catalog = catalog  # the open form checks against the file as it is
        self.title = catalog.board.title
        self.matches = matching_tubes(catalog, self.search_text)
        self.board.show(catalog)
        self._apply_highlights()

    def _show_focused(self, tube: int) -> None:
        sample = self.catalog.sample_at(tube)
        self.query_one(DetailsLine).show(tube, sample, self.partial)
        panel = self.query("#panel")
        if panel:
            from tui.widgets.details_panel import DetailsPanel

            panel.first(DetailsPanel).show(tube, sample)

    def on_resize(self) -> None:
        # Mounted when first wide enough: narrow terminals never pay for it, not even its
        # import.
        if self.has_class("-wide") and not self.query("#panel"):
            from tui.widgets.details_panel import DetailsPanel

            panel = DetailsPanel(id="panel")
            self.query_one("#main").mount(panel)
            self.call_after_refresh(self._show_focused, self.board.cursor)

    @on(TubeBoard.CursorMoved)
    def _moved(self, event: TubeBoard.CursorMoved) -> None:
        self._show_focused(event.tube)

    @on(TubeBoard.Opened)
    def _opened(self, event: TubeBoard.Opened) -> None:
        def closed(choice: str | None) -> None:
            if choice == "edit":
                self.action_edit()

        from tui.screens.sample_view import SampleView

        self.app.push_screen(SampleView(event.tube, self.catalog.sample_at(event.tube)), closed)

    def _apply_highlights(self) -> None:
        dim: Callable[[Sample | None], bool] | None = None
        note = ""
        if self.filter:
            field, _, value = self.filter.partition(":")
            wanted = Kind(value) if field == "kind" else Status(value)

            def dim(sample: Sample | None) -> bool:
                return sample is None or getattr(sample, field) is not wanted

            note = f"filter: {value}"
        query = self.search_text
        if query:
            found = f"{len(self.matches)} match{'es' if len(self.matches) != 1 else ''}"
            note = " · ".join(filter(None, [note, f"{found} · n/N next/previous"]))
        self.board.set_highlights(frozenset(self.matches), dim)
        self.query_one(Summary).show(self.catalog, note)

    # Editing -------------------------------------------------------------------------------

    def _save(
        self,
        change: Callable[[bool], Catalog],
        what: Literal["add", "edit", "delete"],
        before: Sample | None,
        after: Sample | None,
        done: str,
        finished: Callable[[str | None], None] | None = None,
    ) -> str | Waiting | None:
        """Run one change through the core; a failure comes back as a message.

        `change(wait)` makes the change. Tried first without waiting for the lock: when
        another tubeboard holds it, the change waits in a worker thread instead of freezing
        the screen, a Waiting comes back, and `finished` hears the outcome later."""
        try:
            catalog = change(False)
        except Busy:
            self._save_when_free(change, what, before, after, done, finished)
            return Waiting(self.store.path.name)
        except StoreError as error:
            return str(error)
        self._saved(catalog, what, before, after, done)
        return None

    @work(thread=True, group="save")
    def _save_when_free(
        self,
        change: Callable[[bool], Catalog],
        what: Literal["add", "edit", "delete"],
        before: Sample | None,
        after: Sample | None,
        done: str,
        finished: Callable[[str | None], None] | None,
    ) -> None:
        try:
            catalog = change(True)
        except StoreError as error:
            problem: str | None = str(error)
        else:
            problem = None
            self.app.call_from_thread(self._saved, catalog, what, before, after, done)
        if finished is not None:
            self.app.call_from_thread(finished, problem)
        elif problem is not None:
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False)

    def _saved(
        self,
        catalog: Catalog,
        what: Literal["add", "edit", "delete"],
        before: Sample | None,
        after: Sample | None,
        done: str,
    ) -> None:
        self._wrote()
        assert self.store.last_write is not None
        from tui.catalog.history import Step  # loaded by the indexing worker, off start-up

        self.undo_steps.append(Step(what, before, after, *self.store.last_write))
        self.show_catalog(catalog)
        self.notify(done, markup=False)

    def _wrote(self) -> None:
        # Our own write is no news: remember its bytes, and look at the file again next tick
        # (someone may have written just after us).
        assert self.store.last_write is not None
        self.known_bytes = self.store.last_write[1]
        self.known_stat = None
        self.run_worker(self._after_write, thread=True, group="store")

    def _after_write(self) -> None:
        """Off the event loop: re-parse the whole written text, index it for next time, and
        keep only a patch of each new undo step."""
        try:
            self.store.run_full_check()
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        for step in list(self.undo_steps):
            if step.patch is None:
                self.app.call_from_thread(self._replace_step, step, step.compacted())
        self._index()

    def _replace_step(self, old: Step, new: Step) -> None:
        for index, step in enumerate(self.undo_steps):
            if step is old:
                self.undo_steps[index] = new

    def _index(self) -> None:
        """Index the file for the next edit, and take what lives out of the garbage
        collector's rounds (in a worker).

        Ten thousand records, and their index, are many objects for the cyclic collector to
        walk on every full pass, which could land mid-keystroke; they hold no cycles, so
        they are frozen. Garbage is collected first: frozen, it would never be freed.
        """
        import tui.catalog.history  # noqa: F401  ready for the first change's undo step

        self.store.warm()
        layout = self.store.layout_refusal()
        gc.collect()
        gc.freeze()
        self.app.call_from_thread(self._indexed, layout)

    def _indexed(self, layout: str | None) -> None:
        if layout != self.unsupported:
            self.unsupported = layout
            self._update_banner()
        self._thaw_when_quiet()

    def _thaw_when_quiet(self) -> None:
        """Something alive when frozen that dies later in a cycle, as a notice that timed
        out does, is never freed. Once things are quiet and this change's notices are gone,
        collect everything once more, frozen or not, and freeze what is left."""
        if self._freezer is not None:
            self._freezer.stop()
        quiet = max(QUIET_SECONDS, self.app.NOTIFICATION_TIMEOUT + 1)
        self._freezer = self.set_timer(quiet, self._collect_all)

    def _collect_all(self) -> None:
        self._freezer = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def postpone_collection(self) -> None:
        """A key was pressed, anywhere in the app: quiet means no keys either, since the
        full collection would hold the next one up."""
        if self._freezer is not None:
            self._freezer.reset()

    def _reindex(self) -> None:
        self.run_worker(self._index, thread=True, group="store")

    def action_add(self) -> None:
        if self._refuse_write():
            return
        cursor = self.board.cursor
        empty = cursor if self.catalog.sample_at(cursor) is None else None
        if empty is None:
            empty = next(iter(self.catalog.empty_tubes()), None)
        if empty is None:
            tubes = self.catalog.board.tubes
            self.notify(
                f"The board is full: all {tubes} tubes hold a sample. "
                "Raise tubes in [board] to add more.",
                severity="warning",
                markup=False,
            )
            return

        def save(sample: Sample, finished: Callable[[str | None], None]) -> str | Waiting | None:
            return self._save(
                lambda wait: self.store.add(sample, wait),
                "add",
                None,
                sample,
                f"Added tube {sample.tube}",
                finished,
            )

        self._open_form(None, empty, save)

    def action_edit(self) -> None:
        if self._refuse_write():
            return
        old = self.catalog.sample_at(self.board.cursor)
        if old is None:
            self.notify("This tube is empty: press a to add a sample.", markup=False)
            return

        def save(new: Sample, finished: Callable[[str | None], None]) -> str | Waiting | None:
            return self._save(
                lambda wait: self.store.edit(old, new, wait),
                "edit",
                old,
                new,
                f"Saved tube {new.tube}",
                finished,
            )

        self._open_form(old, old.tube, save)

    def _open_form(self, editing: Sample | None, tube: int, save: SaveCallback) -> None:
        """The add/edit form; once it has saved, the cursor goes to the saved tube."""
        from tui.screens.sample_form import SampleForm

        def saved(sample: Sample | None) -> None:
            if sample is not None:
                self.board.move_to(sample.tube)

        self.app.push_screen(SampleForm(self.catalog, editing, tube, save), saved)

    def action_delete(self) -> None:
        if self._refuse_write():
            return
        old = self.catalog.sample_at(self.board.cursor)
        if old is None:
            self.notify("This tube is already empty.", markup=False)
            return

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            problem = self._save(
                lambda wait: self.store.delete(old, wait),
                "delete",
                old,
                None,
                f"Deleted tube {old.tube}",
            )
            if isinstance(problem, Waiting):
                self.notify(problem.message, markup=False)
            elif problem:
                self.notify(problem, severity="error", markup=False)

        question = f"Delete tube {old.tube}, {old.name!r}? The file is written at once."
        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), decided)

    def action_undo(self) -> None:
        if self._refuse_write():
            return
        if not self.undo_steps:
            self.notify("Nothing to undo in this session.", markup=False)
            return
        step = self.undo_steps[-1]
        try:
            catalog, tube = self._undo(step, wait=False)
        except Busy:
            self.notify(Waiting(self.store.path.name).message, markup=False)
            self._undo_when_free(step)
            return
        except StoreError as error:
            self.notify(f"Cannot undo: {error}", severity="error", markup=False)
            return
        self._undone(step, catalog, tube)

    @work(thread=True, group="save")
    def _undo_when_free(self, step: Step) -> None:
        try:
            catalog, tube = self._undo(step, wait=True)
        except StoreError as error:
            message = f"Cannot undo: {error}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(self._undone, step, catalog, tube)

    def _undone(self, step: Step, catalog: Catalog, tube: int) -> None:
        self._wrote()
        self.undo_steps = [s for s in self.undo_steps if s is not step]
        self.show_catalog(catalog)
        self.board.move_to(tube)
        self.notify(f"Undid the {step.what} of tube {tube}", markup=False)

    def _undo(self, step: Step, wait: bool) -> tuple[Catalog, int]:
        """Put the file back byte for byte if nobody touched it since; else apply the inverse
        edit to the file as it is now, which keeps everyone else's changes."""
        sample = step.before or step.after
        assert sample is not None
        tube = sample.tube
        try:
            if step.patch is not None:
                return self.store.revert(step.patch, wait), tube
            assert step.file_before is not None and step.file_after is not None
            return self.store.restore(step.file_after, step.file_before, wait), tube
        except ConflictError:
            pass
        if step.what == "add" and step.after is not None:
            return self.store.delete(step.after, wait), tube
        if step.what == "edit" and step.before is not None and step.after is not None:
            return self.store.edit(step.after, step.before, wait), tube
        if step.what == "delete" and step.before is not None:
            return self.store.add(step.before, wait), tube
        raise AssertionError(step)

    # Search, filter, help ------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        found = self.query("#search")
        return found.first(Input).value if found else ""

    def action_search(self) -> None:
        # Mounted on first use: the first screen has no need of it.
        if not self.query("#search"):
            search = Input(
                placeholder="search names, sites, campaigns, notes", id="search", compact=True
            )
            self.mount(search, before=self.query_one(KeysFooter))
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.matches = matching_tubes(self.catalog, event.value)
        self._apply_highlights()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.board.focus()
        if self.matches:
            self.board.move_to(self.matches[0])
        else:
            self.notify("No tube matches the search.", markup=False)

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.notify("No search: press / to search.", markup=False)
            return
        cursor = self.board.cursor
        later = [t for t in self.matches if (t - cursor) * step > 0]
        if later:
            target = later[0] if step > 0 else later[-1]
        else:  # wrap around
            target = self.matches[0] if step > 0 else self.matches[-1]
        self.board.move_to(target)

    def action_clear(self) -> None:
        for search in self.query("#search").results(Input):
            search.value = ""
            search.remove_class("-shown")
        self.matches = []
        self.filter = None
        self.board.focus()
        self._apply_highlights()

    def action_filter(self) -> None:
        from tui.screens.filter_picker import CLEAR, FilterPicker

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            self.filter = None if choice == CLEAR else choice
            self._apply_highlights()

        self.app.push_screen(FilterPicker(), picked)

    def actions(self) -> list[tuple[TubeBoard | BoardScreen, Binding]]:
        """Every action on this screen with the binding that names it, board moves included."""
        pairs: list[tuple[TubeBoard | BoardScreen, Binding]] = []
        pairs += [(self.board, b) for b in self._bindings_of(TubeBoard)]
        pairs += [(self, b) for b in self._bindings_of(BoardScreen)]
        return pairs

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen
        from tui.screens.sample_form import SampleForm

        sections = [
            ("Board", list(self._bindings_of(TubeBoard))),
            ("Actions", list(self._bindings_of(BoardScreen))),
            ("Anywhere", [Binding("ctrl+p", "command_palette", "Command palette: every action")]),
            ("In the form", list(self._bindings_of(SampleForm))),
        ]
        self.app.push_screen(HelpScreen(sections))

    def _bindings_of(self, owner: type[Screen[Any]] | type[TubeBoard]) -> list[Binding]:
        """The owner's bindings with the keys they have now, after the user's [keys]."""
        from tui.keymap import current_keys

        keymap: dict[str, str] = getattr(self.app, "keys", {})
        return [
            binding.with_key(current_keys(binding, keymap))
            for binding in owner.BINDINGS
            if isinstance(binding, Binding)
        ]
