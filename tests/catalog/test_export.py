"""`tubeboard export`: CSV for spreadsheets, JSON for scripts, Markdown for git forges."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SHIPPED
from tui.catalog.export import to_csv, to_json, to_markdown
from tui.catalog.model import Catalog
from tui.catalog.store import Store
from tui.catalog.validate import parse_text

CATALOG = Store(SHIPPED).read().catalog
assert CATALOG is not None


def catalogue_of(text: str) -> Catalog:
    catalog = parse_text(text).catalog
    assert catalog is not None
    return catalog


def tubeboard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def test_csv_has_a_header_and_every_field_of_every_sample() -> None:
    assert CATALOG is not None
    rows = list(csv.DictReader(io.StringIO(to_csv(CATALOG), newline="")))
    assert len(rows) == len(CATALOG.samples) == 32
    roubion = next(row for row in rows if row["name"] == "Roubion")
    assert roubion["tube"] == "2" and roubion["kind"] == "atmosphere"
    assert roubion["date"] == "2021-08-06"
    assert roubion["designation"] == "M2020-00164-02"  # the user's own key
    assert roubion["status"] == "deposited"
    # A sample without a user key has an empty cell for it, not a missing one.
    assert rows[0]["designation"] == ""
    assert to_csv(CATALOG).endswith("\r\n")  # RFC 4180, what spreadsheets expect


def test_csv_keeps_user_text_as_data() -> None:
    text = (
        '[[sample]]\ntube = 1\nname = "=HYPERLINK(\\"x\\")"\nkind = "regolith"\n'
        'notes = "line one\\nline, two \\"quoted\\""\nextra = { a = 1 }\n'
    )
    row = next(csv.DictReader(io.StringIO(to_csv(catalogue_of(text)), newline="")))
    assert row["name"] == '\'=HYPERLINK("x")'  # never run as a formula
    assert row["notes"] == 'line one\nline, two "quoted"'
    assert json.loads(row["extra"]) == {"a": 1}


def test_json_uses_iso_dates_and_keeps_every_key() -> None:
    assert CATALOG is not None
    data = json.loads(to_json(CATALOG))
    assert data["board"] == {"title": "Perseverance sample tubes", "tubes": 43, "columns": 11}
    montdenier = next(s for s in data["samples"] if s["name"] == "Montdenier")
    assert montdenier["date"] == "2021-09-06"
    assert montdenier["date_cored"] == "2021-09-01"  # a user's own date too
    assert montdenier["sol_cored"] == 190


def test_markdown_is_a_table_that_shows_user_text_literally() -> None:
    text = (
        '[[sample]]\ntube = 1\nname = "a|b *bold* <script>"\nkind = "regolith"\n'
        'notes = "one\\ntwo"\n'
    )
    lines = to_markdown(catalogue_of(text)).splitlines()
    assert lines[4].startswith("| Tube | Name | Kind")
    row = lines[6]
    assert row.count(" | ") == lines[4].count(" | ")  # the pipe in the name did not split it
    assert "a\\|b \\*bold\\* \\<script\\>" in row
    assert "one<br>two" in row


def test_markdown_of_the_shipped_catalogue() -> None:
    assert CATALOG is not None
    lines = to_markdown(CATALOG).splitlines()
    assert lines[0] == "# Perseverance sample tubes"
    assert "32 of 43 tubes filled." in lines
    assert sum(1 for line in lines if line.startswith("| ")) == 1 + 32


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_export_command_writes_stdout_or_a_file(fmt: str, tmp_path: Path) -> None:
    out = tubeboard("export", str(SHIPPED), "--format", fmt)
    assert out.returncode == 0, out.stderr
    assert "Roubion" in out.stdout
    target = tmp_path / f"out.{fmt}"
    written = tubeboard("export", str(SHIPPED), "--format", fmt, "-o", str(target))
    assert written.returncode == 0 and written.stdout == ""
    assert target.read_text(encoding="utf-8") == out.stdout


def test_exporting_a_broken_catalogue_fails_as_check_does(tmp_path: Path) -> None:
    broken = CORPUS / "broken" / "unknown-kind-status.toml"
    target = tmp_path / "out.csv"
    exported = tubeboard("export", str(broken), "--format", "csv", "-o", str(target))
    checked = tubeboard("check", str(broken))
    assert exported.returncode == checked.returncode == 1
    assert exported.stderr == checked.stdout + checked.stderr  # the same lines, in order
    assert not target.exists()  # nothing written


def test_export_of_a_missing_file_exits_2() -> None:
    out = tubeboard("export", "no-such.toml", "--format", "json")
    assert out.returncode == 2
    assert "no-such.toml" in out.stderr and "Traceback" not in out.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_user_text_is_shown_and_line_ends_are_kept() -> None:
    from tui.cli.common import terminal_safe as _terminal_safe

    catalog = catalogue_of('[[sample]]\ntube = 1\nname = "\\u001b[2Jx\\u202e"\nkind = "regolith"\n')
    shown = _terminal_safe(to_csv(catalog), Terminal())
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "␛[2Jx" in shown
    assert shown.endswith("\r\n") and shown.count("\r\n") == 2  # CSV's CRLF, not escaped
    # A file or a pipe gets the bytes as they are.
    assert _terminal_safe(to_csv(catalog), io.StringIO()) == to_csv(catalog)
