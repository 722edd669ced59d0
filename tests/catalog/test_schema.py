"""The JSON Schema for editors: generated from the model, read by taplo, in step with `check`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CORPUS, REPO, SHIPPED
from tui.catalog import model
from tui.catalog.export import as_json  # what taplo hands the schema: dates as ISO text
from tui.catalog.schema import SCHEMA_FILE, SCHEMA_LINE, catalog_schema, schema_text
from tui.catalog.validate import parse_bytes, parse_text

SCHEMA = REPO / SCHEMA_FILE
TAPLO = shutil.which("taplo", path=str(Path(sys.executable).parent)) or shutil.which("taplo")
VALID = sorted((CORPUS / "valid").glob("*.toml"))
BROKEN = sorted((CORPUS / "broken").glob("*.toml"))

# What JSON Schema cannot say, so only `check` says it: a TOML date and a quoted one both reach
# the schema as text; uniqueness across records; a tube compared with board.tubes; whether a
# name has a visible character (Unicode categories, which a draft-04 pattern cannot name).
BEYOND_SCHEMA = (
    "is already used on line",
    "date is quoted",
    "the board has tubes 1..",
    "name must have a visible character",
)


def test_the_schema_file_is_the_one_the_model_generates() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "catalog.schema.json is stale: run `tubeboard schema -o catalog.schema.json`"
    )


def test_it_is_draft_04_and_knows_every_key_of_the_model() -> None:
    schema = catalog_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    sample = schema["properties"]["sample"]["items"]
    assert tuple(sample["properties"]) == model.SAMPLE_KEYS
    assert sample["required"] == list(model.REQUIRED_KEYS)
    assert sample["properties"]["kind"]["enum"] == [k.value for k in model.Kind]
    assert sample["properties"]["status"]["enum"] == [s.value for s in model.Status]


def test_the_shipped_catalogue_points_at_it() -> None:
    assert SHIPPED.read_text(encoding="utf-8").startswith(SCHEMA_LINE + "\n")


def taplo_lint(path: Path, use_directive: bool = False) -> subprocess.CompletedProcess[str]:
    assert TAPLO, "taplo is installed with the test extra"
    command = [TAPLO, "lint", "--colors", "never"]
    if not use_directive:
        command += ["--schema", SCHEMA.as_uri()]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60)


def test_taplo_accepts_the_shipped_catalogue_through_its_own_schema_line() -> None:
    result = taplo_lint(SHIPPED, use_directive=True)
    assert result.returncode == 0, result.stderr


def test_taplo_follows_the_schema_line_to_a_mistake(tmp_path: Path) -> None:
    shutil.copy(SCHEMA, tmp_path / SCHEMA_FILE)
    broken = tmp_path / "catalog.toml"
    broken.write_text(SHIPPED.read_text().replace('kind = "atmosphere"', 'kind = "air"', 1))
    result = taplo_lint(broken, use_directive=True)
    assert result.returncode != 0
    assert "air" in result.stderr


def taplo_input(path: Path, tmp_path: Path) -> Path:
    """The file as taplo 0.9 can read it.

    Two valid styles trip taplo's own parser, not the schema: a UTF-8 BOM, and spaces inside
    `[[ sample ]]`. For those, taplo gets the same data written plainly (and we check that it
    still trips, so this goes when taplo is fixed)."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf") or b"[[ " in raw:
        assert "invalid TOML" in taplo_lint(path).stderr
        plain = tmp_path / path.name
        plain.write_text(tomli_w.dumps(tomllib.loads(raw.decode("utf-8-sig"))))
        return plain
    return path


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_taplo_accepts_every_valid_fixture(path: Path, tmp_path: Path) -> None:
    result = taplo_lint(taplo_input(path, tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", [*VALID, *BROKEN], ids=lambda p: p.name)
def test_schema_and_check_agree(path: Path, tmp_path: Path) -> None:
    parsed = parse_bytes(path.read_bytes())
    check_ok = parsed.catalog is not None
    schema_ok = taplo_lint(taplo_input(path, tmp_path)).returncode == 0
    if check_ok:
        assert schema_ok, "the schema refuses what check accepts"
    elif all(any(p in e.message for p in BEYOND_SCHEMA) for e in parsed.errors):
        assert schema_ok, "only check can see these, so the schema should accept the file"
    else:
        assert not schema_ok, f"check refuses it but the schema does not: {parsed.errors}"


# The same agreement, field by field, over values Hypothesis makes up.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(["rock-core", "regolith", "atmosphere", "witness", "sealed", "deposited"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
)
VALIDATOR = jsonschema.Draft4Validator(catalog_schema(), format_checker=jsonschema.FormatChecker())


@given(key=st.sampled_from([*model.SAMPLE_KEYS, "tubes", "columns", "title"]), value=VALUES)
def test_schema_and_model_agree_on_any_value(key: str, value: Any) -> None:
    record: dict[str, Any] = {"tube": 1, "name": "A", "kind": "regolith"}
    data: dict[str, Any] = {"sample": [record]}
    if key in model.BOARD_KEYS:
        data["board"] = {key: value}
    else:
        record[key] = value
    if value is None:
        return  # TOML has no null
    parsed = parse_text(tomli_w.dumps(data))
    schema_ok = VALIDATOR.is_valid(as_json(tomllib.loads(tomli_w.dumps(data))))
    beyond = any(p in e.message for e in parsed.errors for p in BEYOND_SCHEMA)
    # A date where text is wanted also reaches the schema as text: only check can refuse it.
    beyond = beyond or (key != "date" and isinstance(value, dt.date | dt.time))
    if not beyond:
        assert (parsed.catalog is not None) == schema_ok, (parsed.errors, key, value)


def test_schema_command_prints_it_and_writes_it(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tui", "schema"], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == catalog_schema()
    target = tmp_path / SCHEMA_FILE
    subprocess.run([sys.executable, "-m", "tui", "schema", "-o", str(target)], check=True)
    assert target.read_text() == schema_text()
