"""Keeping the board screen in step with the file: the rest of a large file, read after the
first screen; what the watcher saw on disk; the banner; the index for the next edit. The
reading and indexing run off the event loop; the workspace answers each with a value (a
catalogue, Broken, Reloaded) that the screen shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tui.catalog.workspace import Broken, Reloaded
from tui.screens.answers import Asker
from tui.widgets.banner import Banner

if TYPE_CHECKING:
    from tui.catalog.model import Catalog
    from tui.watcher import CatalogChanged


@runtime_checkable
class BoardApp(Protocol):
    """What the board screen asks of tubeboard's app (a test may show it in a bare App)."""

    keys: dict[str, str]

    def settle_memory(self) -> None: ...


class Follower(Asker, Protocol):
    """What following the file needs of the board screen."""

    def show_catalog(self, catalog: Catalog) -> None: ...

    def query_one(self, selector: Any) -> Any: ...

    def run_action(self, action: str) -> Any: ...

    def call_later(self, callback: Any, *args: Any) -> bool: ...


class Following:
    """Keeps the screen's catalogue and banner in step with the file on disk."""

    def __init__(self, screen: Follower) -> None:
        self.screen = screen
        self.read_only: str | None = None  # as the banner last said it

    def read_whole(self, raw: bytes) -> None:
        """Read the rest of a large file (the first screen showed its head)."""
        self.screen.run_worker(lambda: self._read_whole(raw), thread=True, group="whole")

    def _read_whole(self, raw: bytes) -> None:
        workspace = self.screen.workspace
        parsed = workspace.store.parse(raw)
        # Said to be read as soon as it is parsed; the index follows (`_whole_read`), and a
        # save made before it is built waits for it in a worker (Workspace.indexing).
        self.screen.app.call_from_thread(self._whole_read, workspace.whole_read(raw, parsed))

    def _whole_read(self, found: Catalog | Broken | None) -> None:
        if isinstance(found, Broken):
            # The problems screen, as at start.
            self.screen.call_later(self.screen.run_action, "app.reload")
        elif found is not None:
            self.screen.show_catalog(found)
            self.update_banner()
            self.reindex()

    def changed(self, event: CatalogChanged) -> None:
        """The watcher saw the file change on disk."""
        found = self.screen.workspace.reloaded(event.raw, event.parsed)
        if isinstance(found, Reloaded):
            self.screen.show_catalog(found.catalog)
            self.reindex()
            self.screen.notify(found.message, markup=False)
        self.update_banner()

    def update_banner(self) -> None:
        self.read_only = self.screen.workspace.read_only()
        self.screen.query_one(Banner).show(self.screen.workspace, self.read_only)

    def refuse_write(self) -> bool:
        """Say why no write can happen now, if so."""
        workspace = self.screen.workspace
        refusal = workspace.write_refusal()
        if self.read_only != workspace.read_only():
            self.update_banner()
        if refusal is not None:
            self.screen.notify(refusal, severity="warning", markup=False)
        return refusal is not None

    def reindex(self) -> None:
        self.screen.run_worker(self.index_now, thread=True, group="store")

    def index_now(self) -> None:
        """Off the event loop: index the file for the next edit, then let the app settle
        memory (tui/collector.py)."""
        app = self.screen.app
        app.call_from_thread(self._indexed, self.screen.workspace.warm())
        if isinstance(app, BoardApp):
            app.settle_memory()

    def _indexed(self, unsupported: str | None) -> None:
        workspace = self.screen.workspace
        if unsupported != workspace.unsupported:
            workspace.unsupported = unsupported
            self.update_banner()
