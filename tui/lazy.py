"""One way to load a module later: `later("tui.catalog.edit")` at the top of a module stands
for that module, and imports it on first use.

Start-up is what people feel most over SSH: opening a valid file never needs the editing,
undo, form or help modules, nor the standard library modules only they use. Naming them at the
top, rather than importing them inside function bodies, keeps every dependency in one place
where a reader (and a layering test) sees it. For the type checker, import the module under
`if TYPE_CHECKING:` and bind the same name to `later(...)` otherwise.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Later:
    """Stands for a module until an attribute is asked of it; then imports it (once)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<module {self._name!r}, {state}>"


def later(name: str) -> Any:
    """The module `name`, imported when first used."""
    return _Later(name)
