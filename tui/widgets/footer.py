"""The footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from tui.textual_compat import footer_action


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys on every focus change, three times at start-up.

    The keys it shows rarely change with focus, and each rebuild restyles every key: about a
    tenth of the first screen's time. This one rebuilds only when what it would show differs.
    """

    def __init__(self, hide: frozenset[str] = frozenset()) -> None:
        """`hide`: actions not to offer (the keys that write, on a catalogue from git)."""
        super().__init__()
        self._shown: tuple[object, ...] | None = None
        self._hide = hide

    def _what_to_show(self) -> tuple[object, ...]:
        return tuple(
            (binding.action, self.app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in self.screen.active_bindings.values()
            if (binding.show or binding.action == "command_palette")
            and binding.action not in self._hide
        )

    def compose(self) -> ComposeResult:
        # Filtered as Textual's own compose yields them (never gathered first: a key
        # yielded inside its group's `with` block belongs to that group).
        shown = 0
        for widget in super().compose():
            if footer_action(widget) in self._hide:
                continue
            shown += footer_action(widget) is not None
            yield widget
        if self._hide:
            self.styles.grid_size_columns = shown

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._what_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
