"""The footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys on every focus change, three times at start-up.

    The keys it shows rarely change with focus, and each rebuild restyles every key: about a
    tenth of the first screen's time. This one rebuilds only when what it would show differs.
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[object, ...] | None = None

    def _what_to_show(self) -> tuple[object, ...]:
        return tuple(
            (binding.action, self.app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._what_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
