"""The catalogue core and `check` must import nothing from Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Every module of the core, found, not listed (a new one is held to it at once), and the
# modules around it that must stay light.
CORE = [
    f"tui.catalog.{path.stem}"
    for path in sorted((Path(__file__).parent.parent / "tui" / "catalog").glob("*.py"))
    if path.stem != "__init__"
] + [
    "tui.collector",
    "tui.lazy",
    "tui.plain",
    "tui.launch",
    "tui.git_marks",
    "tui.gitrepo",
    "tui.git_commands",
    "tui.serve",
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
