"""Issue 26, part 2: `tubeboard import` (tui/catalog/importing.py, tui/cli/writing.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tui import cli

ORIGINAL = SHIPPED.read_bytes()


@pytest.fixture
def rack(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_bytes(ORIGINAL)
    return path


def exported(path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    target = path.with_name(f"sheet.{fmt}")
    assert cli.main(["export", str(path), "-f", fmt, "-o", str(target)]) == 0
    capsys.readouterr()
    return target.read_text()


def sheet(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def write_sheet(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue())
    return path


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    return [(a, b) for a, b in zip(old, new, strict=False) if a != b]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_imported_back_changes_nothing(
    rack: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exported(rack, fmt, capsys)
    assert cli.main(["import", str(rack), "--from", str(rack.with_name(f"sheet.{fmt}"))]) == 0
    assert "no change" in capsys.readouterr().err
    assert rack.read_bytes() == ORIGINAL


def test_rows_change_only_their_keys_lines_and_add_records(
    rack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = sheet(exported(rack, "csv", capsys))
    header = rows[0]
    montagnac = next(r for r in rows if r[header.index("name")] == "Montagnac")
    montagnac[header.index("status")] = "deposited"
    montagnac[header.index("notes")] = ""  # blank: left as it is
    new = [""] * len(header)
    new[header.index("tube")], new[header.index("name")] = "34", "Import Probe"
    new[header.index("kind")] = "regolith"
    source = write_sheet(rack.with_name("edited.csv"), [*rows, new])

    assert cli.main(["import", str(rack), "--from", str(source), "--dry-run"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [
        "tube 4 'Montagnac': status: sealed → deposited",
        "tube 34 'Import Probe': added",
    ]
    assert rack.read_bytes() == ORIGINAL  # a dry run writes nothing

    assert cli.main(["import", str(rack), "--from", str(source)]) == 0
    after = rack.read_bytes()
    assert changed_lines(ORIGINAL, after) == [('status = "sealed"', 'status = "deposited"')]
    block = '\n[[sample]]\ntube = 34\nname = "Import Probe"\nkind = "regolith"\n'
    assert after.decode().endswith(block)  # the one line above, and the block appended
    assert len(after) == len(ORIGINAL) + len("deposited") - len("sealed") + len(block)


def test_a_wrong_row_refuses_the_whole_import(
    rack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = rack.with_name("bad.csv")
    source.write_text(
        "tube,name,kind,status\n"
        "4,,,deposited\n"  # fine on its own: still not written
        "x,Foo,,\n"
        "35,New One,,\n"
        "36,Roubion,regolith,\n"
        ",Montdenier,,bogus\n"
        ",Nobody,,\n"
    )
    assert cli.main(["import", str(rack), "--from", str(source)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{source}: row 3, tube: a tube number, like 12",
        f"{source}: row 4, kind: a new sample needs one",
        f"{source}: row 5, name: 'Roubion' would name two samples",
        f"{source}: row 6, status: unknown status 'bogus': expected one of sealed | unsealed | "
        "deposited",
        f"{source}: row 7, tube: a new sample needs a tube (no sample has this name)",
        f"{source}: 5 problems; nothing was written",
    ]
    assert rack.read_bytes() == ORIGINAL


def test_own_keys_come_and_go_as_columns_and_formulas_come_back_as_text(
    rack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_sheet(
        rack.with_name("own.csv"),
        [["tube", "name", "shelf", "weight_g"], ["4", "'=Montagnac", "B-2", "12.5"]],
    )
    assert cli.main(["import", str(rack), "--from", str(source)]) == 0
    text = rack.read_text()
    assert 'name = "=Montagnac"' in text and 'shelf = "B-2"' in text and "weight_g = 12.5" in text


def test_json_rows_and_delete_missing(rack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(exported(rack, "json", capsys))
    kept = [s for s in data["samples"] if s["tube"] <= 2]
    kept[1]["site"] = "Polygon Valley"
    source = rack.with_name("two.json")
    source.write_text(json.dumps({"samples": kept}))
    assert cli.main(["import", str(rack), "--from", str(source), "--delete-missing"]) == 0
    out = capsys.readouterr().out
    assert "tube 2 'Roubion': site: Roubion → Polygon Valley" in out
    assert "tube 3 'Montdenier': deleted" in out
    assert cli.main(["list", str(rack)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
