"""The route table is the single source: every row has a module whose FastAPI route matches."""
from __future__ import annotations

import importlib

import pytest

from functions.api.routes import ROUTES


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.module)
def test_every_row_has_a_module_with_a_handler_serving_that_row(route):
    module = importlib.import_module(f"functions.api.{route.module}")
    assert callable(module.handler)
    served = [(m, r.path) for r in module.ep.router.routes for m in r.methods]
    assert served == [(route.method, route.path)]


def test_every_api_module_is_in_the_table():
    from pathlib import Path

    folder = Path(importlib.import_module("functions.api").__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "routes")}
    assert modules == {r.module for r in ROUTES}
