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


def test_no_route_takes_a_secret_in_its_path():
    """Paths reach access logs (API Gateway, CloudFront, the local gateway); secrets travel in
    bodies or headers. The magic link's token is posted to preview and validate."""
    import re

    for route in ROUTES:
        params = re.findall(r"\{(\w+)\}", route.path)
        assert not [p for p in params if re.search(r"token|secret|password|code", p)], route.path
    by_module = {r.module: r for r in ROUTES}
    assert (by_module["magic_link_preview"].method, by_module["magic_link_preview"].path) == \
        ("POST", "/api/v1/magic-link/preview")
    assert (by_module["magic_link_validate"].method, by_module["magic_link_validate"].path) == \
        ("POST", "/api/v1/magic-link/validate")


def test_invitation_links_carry_the_token_in_the_fragment(monkeypatch):
    """A URL fragment is never sent to a server, so the token reaches no access log."""
    from doctorlive.rooms.credentials import magic_link

    link = magic_link("tok_EN-123")
    assert link.endswith("/join#token=tok_EN-123")
    assert "?" not in link


def test_set_password_links_carry_the_token_in_the_fragment():
    """The admin site's set-password link, like the invitations': no token in a URL a CDN logs."""
    from doctorlive.users.service import set_password_link

    link = set_password_link("tok_EN-123")
    assert link.endswith("/set-password#token=tok_EN-123")
    assert "?" not in link
