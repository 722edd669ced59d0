"""What a user installs: the sdist and wheel from `python -m build`, a pipx install, and the
pre-commit hook, each built from this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED
from tui.catalog.schema import schema_text

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


def test_build_makes_an_sdist_and_a_wheel_carrying_the_catalogue_and_schema(dist: Path) -> None:
    (wheel,) = dist.glob("tubeboard-*.whl")
    (sdist,) = dist.glob("tubeboard-*.tar.gz")
    assert sdist.stat().st_size > 0
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("tui/data/catalog.toml") == SHIPPED.read_bytes()
        assert archive.read("tui/data/catalog.schema.json").decode() == schema_text()
        # Every stylesheet: the board's, and each other screen's beside its module.
        stylesheets = {path.relative_to(REPO).as_posix() for path in REPO.glob("tui/**/*.tcss")}
        assert len(stylesheets) > 1
        assert stylesheets <= set(archive.namelist())


def test_pipx_install_gives_a_working_tubeboard(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("tubeboard-*.whl")
    env = {
        **os.environ,
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
    }
    subprocess.run(
        [str(BIN / "pipx"), "install", str(wheel)],
        check=True,
        env=env,
        capture_output=True,
        timeout=600,
    )
    tubeboard = tmp_path / "bin" / "tubeboard"
    version = subprocess.run([str(tubeboard), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("tubeboard ")
    # The packaged demo catalogue is there, and valid.
    python = tmp_path / "pipx" / "venvs" / "tubeboard" / "bin" / "python"
    demo = subprocess.run(
        [str(python), "-c", "from tui.cli import demo_source; print(demo_source())"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # not this checkout: python -c would import its tui
    ).stdout.strip()
    assert "site-packages" in demo
    checked = subprocess.run([str(tubeboard), "check", demo], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    exported = subprocess.run(
        [str(tubeboard), "export", demo, "--format", "json"], capture_output=True, text=True
    )
    assert len(json.loads(exported.stdout)["samples"]) == 32


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_pre_commit_hook_checks_catalogues(tmp_path: Path) -> None:
    # A repository of catalogues, using this checkout as its hook repository.
    repo = tmp_path / "lab"
    repo.mkdir()
    (repo / "catalog.toml").write_bytes(SHIPPED.read_bytes())
    broken = repo / "rack" / "catalog.toml"
    broken.parent.mkdir()
    broken.write_text('[[sample]]\ntube = 1\nname = "A"\nkind = "rocks"\n')
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    run = {"cwd": repo, "env": env, "capture_output": True, "text": True, "timeout": 600}
    subprocess.run(["git", "init", "-q"], check=True, **run)  # type: ignore[call-overload]
    subprocess.run(["git", "add", "."], check=True, **run)  # type: ignore[call-overload]
    result = subprocess.run(  # type: ignore[call-overload]
        [str(BIN / "pre-commit"), "try-repo", str(REPO), "tubeboard-check", "--all-files"], **run
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "rack/catalog.toml:4:1: error: unknown kind 'rocks'" in result.stdout
    broken.write_text('[[sample]]\ntube = 1\nname = "A"\nkind = "regolith"\n')
    subprocess.run(["git", "add", "."], check=True, **run)  # type: ignore[call-overload]
    result = subprocess.run(  # type: ignore[call-overload]
        [str(BIN / "pre-commit"), "try-repo", str(REPO), "tubeboard-check", "--all-files"], **run
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_release_says_one_version_and_its_licence() -> None:
    """Issue 27, part 1: the version in pyproject, `--version` and CHANGELOG's newest release
    agree; the MIT licence pyproject names is there; the published extras carry no linters."""
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    changelog = (REPO / "CHANGELOG.md").read_text()
    newest = re.search(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$", changelog, re.M)
    assert newest is not None and newest[1] == project["version"]
    shown = subprocess.run(
        [sys.executable, "-m", "tui", "--version"], capture_output=True, text=True, check=True
    )
    assert project["version"] in shown.stdout
    licence = (REPO / "LICENSE").read_text()
    assert project["license"] == "MIT" and licence.startswith("MIT License")
    assert any(
        c.startswith("Programming Language :: Python :: 3.11") for c in project["classifiers"]
    )
    published = " ".join(" ".join(extra) for extra in project["optional-dependencies"].values())
    assert not re.search(r"\b(ruff|mypy|pre-commit|build|playwright)\b", published)
