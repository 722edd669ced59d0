"""The catalogue core and `check` must import nothing from Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "tui.catalog.model",
    "tui.catalog.rules",
    "tui.catalog.fields",
    "tui.catalog.document",
    "tui.catalog.validate",
    "tui.catalog.edit",
    "tui.catalog.errors",
    "tui.catalog.exchange",
    "tui.catalog.atomic",
    "tui.catalog.store",
    "tui.catalog.workspace",
    "tui.catalog.patch",
    "tui.catalog.history",
    "tui.catalog.export",
    "tui.catalog.schema",
    "tui.catalog.query",
    "tui.catalog.merge",
    "tui.catalog.changes",
    "tui.catalog.picture",
    "tui.catalog.locate",
    "tui.collector",
    "tui.lazy",
    "tui.plain",
    "tui.cli",
]


def test_core_imports_no_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + "from tui import cli\n"
        + "cli.main(['check', 'catalog.toml'])\n"
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "assert not bad, bad\n"
    )
    from tests.conftest import REPO

    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
