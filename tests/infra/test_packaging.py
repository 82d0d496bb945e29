"""Lambda code without Docker: each function's asset holds its own module; the layers hold the
dependencies (wheels the stage's Lambda runtime can load) and the doctorlive package."""
from __future__ import annotations

from pathlib import Path

import pytest

import infra.packaging
from functions.api.routes import ROUTES
from functions.events.wiring import EVENTS
from infra.packaging import (
    BYTECODE_TAG,
    CLOUD_PLATFORMS,
    HOST_PLATFORMS,
    REPO,
    CopyFiles,
    core_layer_files,
    dependency_bundler,
    function_files,
    missing_bytecode,
)

ROUTE_MODULES = {f"functions/api/{r.module}.py" for r in ROUTES}
PACKAGE_FILES = {"functions/__init__.py", "functions/api/__init__.py", "functions/api/routes.py"}


def _bundle(bundler, out: Path) -> set[str]:
    out.mkdir()
    assert bundler.try_bundle(str(out)) is True
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.suffix != ".pyc"}


def _pyc_flags(pyc: Path) -> int:
    """PEP 552: the .pyc header's flags word; 0b01 = hash-based, not checked against the source."""
    return int.from_bytes(pyc.read_bytes()[4:8], "little")


def assert_ships_unchecked_bytecode(root: Path) -> None:
    """Every .py ships its runtime-tagged .pyc, hash-based and unchecked: CDK zips files dated
    1980-01-01, so a timestamp-checked .pyc never matches on Lambda, and /opt is read-only."""
    assert not missing_bytecode(root), f".py without {BYTECODE_TAG}.pyc: {missing_bytecode(root)[:5]}"
    pycs = list(root.rglob(f"*.{BYTECODE_TAG}.pyc"))
    assert pycs
    checked = [p.relative_to(root).as_posix() for p in pycs if _pyc_flags(p) != 0b01]
    assert not checked, f"timestamp-based or checked bytecode: {checked[:5]}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.module)
def test_a_route_asset_holds_its_module_and_no_other_route(route, tmp_path):
    files = _bundle(CopyFiles(function_files(f"functions.api.{route.module}")), tmp_path / "asset")
    own = f"functions/api/{route.module}.py"
    assert {own} | PACKAGE_FILES <= files
    assert all(f.startswith("functions/") for f in files)  # libraries and doctorlive are layers
    assert_ships_unchecked_bytecode(tmp_path / "asset")
    others = (files & ROUTE_MODULES) - {own}
    if route.module == "openapi":  # builds the document from every route's module
        assert others == ROUTE_MODULES - {own}
    else:
        assert not others, f"{route.module} carries {sorted(others)}"


@pytest.mark.parametrize("module", ["migrate", *(r.module for r in EVENTS)])
def test_an_event_asset_holds_its_module(module, tmp_path):
    files = _bundle(CopyFiles(function_files(f"functions.events.{module}")), tmp_path / "asset")
    assert {f"functions/events/{module}.py", "functions/__init__.py", "functions/events/__init__.py"} <= files
    assert not files & ROUTE_MODULES
    assert_ships_unchecked_bytecode(tmp_path / "asset")


def test_core_layer_holds_the_doctorlive_package_and_its_migrations(tmp_path):
    package = REPO / "layers" / "core" / "doctorlive"
    sources = {f"python/doctorlive/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")
               if "__pycache__" not in p.parts}
    migrations = {f"python/doctorlive/migrations/{p.name}" for p in (package / "migrations").glob("*.sql")}
    assert migrations
    bundled = _bundle(CopyFiles(core_layer_files()), tmp_path / "core")
    assert sources | migrations <= bundled
    assert not [f for f in bundled if "__pycache__" in f and not f.endswith(f".{BYTECODE_TAG}.pyc")]
    assert_ships_unchecked_bytecode(tmp_path / "core")


def test_bundling_refuses_a_python_other_than_the_runtimes(tmp_path, monkeypatch):
    """Bytecode of another minor would be ignored on Lambda (and recompiled on every cold start)."""
    monkeypatch.setattr(infra.packaging, "PYTHON_VERSION", "3.12")
    with pytest.raises(RuntimeError, match="bundled with Python 3.11.*python3.12"):
        CopyFiles(core_layer_files()).try_bundle(str(tmp_path))


@pytest.mark.parametrize("platforms", [CLOUD_PLATFORMS, HOST_PLATFORMS], ids=["aws-python3.11", "localstack-host"])
def test_dependency_layer_builds_for_the_runtime_that_loads_it(platforms):
    """pip-installs [project].dependencies as wheels for CPython 3.11 on the stage's platform
    (cached in .data/cdk-cache per dependency list, so only the first run downloads)."""
    site = dependency_bundler(platforms).build()
    for package in ("fastapi", "pydantic", "pydantic_core", "mangum", "psycopg", "psycopg_binary",
                    "jwt", "bcrypt", "aws_lambda_powertools"):
        assert (site / package).is_dir(), f"{package} missing from the dependency layer"
    assert not list(site.glob("*.egg-info")), "sdists built locally would not match Lambda"
    for package in ("fastapi", "pydantic", "psycopg", "aws_lambda_powertools"):
        assert_ships_unchecked_bytecode(site / package)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    # Lambda's limit is 250 MB unzipped for a function and all its layers together.
    assert size < 220 * 2**20, f"dependency layer is {size / 2**20:.0f} MB unzipped"
