"""Every private member of Textual that tubeboard relies on, in one place, each with a test
(tests/app/test_textual_compat.py) that fails if Textual changes under it."""

from __future__ import annotations

from textual.app import App


def is_exiting(app: App[object]) -> bool:
    """Whether `app.exit()` was called: keys typed right after `q` (a quick `qa`) must not
    open screens on an app that is closing. Textual keeps this in `App._exit`."""
    return bool(getattr(app, "_exit", False))
