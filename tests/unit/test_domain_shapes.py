"""One way for each: the target entity of a request, field-level 422s, bearer tokens, and a
domain free of FastAPI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from doctorlive.errors import NotFound, ValidationFailed, field_error, invalid, invalid_fields
from doctorlive.tenancy import Role, Scope

REPO = Path(__file__).resolve().parents[2]


def test_the_target_entity_is_named_by_the_manager_and_implied_for_everyone_else():
    mine, other = uuid4(), uuid4()
    manager, admin = Scope(Role.MANAGER, None), Scope(Role.ENTITY_ADMIN, mine)
    assert manager.target_entity(other) == other
    with pytest.raises(ValidationFailed) as missing:
        manager.target_entity(None)
    assert (missing.value.message, missing.value.details) == (
        "Invalid request: the platform manager must name the entity (entity_id)",
        {"fields": [{"field": "entity_id", "message": "the platform manager must name the entity (entity_id)",
                     "type": "missing"}]})
    assert admin.target_entity(None) == admin.target_entity(mine) == mine
    with pytest.raises(NotFound, match="Entity not found"):
        Scope(Role.PROFESSIONAL, mine).target_entity(other)


def test_field_errors_have_one_shape():
    one = invalid("scheduled_end", "scheduled_end must be after scheduled_start", "time_order")
    assert one.message == "Invalid request: scheduled_end must be after scheduled_start"
    assert one.details == {"fields": [{"field": "scheduled_end", "type": "time_order",
                                       "message": "scheduled_end must be after scheduled_start"}]}
    many = invalid_fields([field_error("title", "too long"), field_error("body.name", "missing", "missing")])
    assert (many.status, many.code, many.message) == (422, "validation_error", "Invalid request: check body.name, title")
    assert invalid("size_bytes", "at most 1 bytes", summary="The file is too large").message == "The file is too large"


def test_bearer_tokens_are_read_one_way():
    from starlette.requests import Request

    from doctorlive.errors import Unauthorized
    from doctorlive.web import bearer_token

    def request(value: str | None) -> Request:
        headers = [] if value is None else [(b"authorization", value.encode())]
        return Request({"type": "http", "headers": headers})

    assert bearer_token(request("Bearer abc.def ")) == bearer_token(request("bearer abc.def")) == "abc.def"
    for value in (None, "", "Bearer", "Bearer   ", "Basic abc", "abc"):
        with pytest.raises(Unauthorized) as refused:
            bearer_token(request(value), "Missing join token")
        assert (refused.value.code, refused.value.message) == ("missing_token", "Missing join token")


def test_the_domain_imports_no_fastapi():
    """Services and repositories page with doctorlive.pagination; the query parameters that make
    a page are the web layer's (doctorlive.web.Paging)."""
    code = ("import sys, doctorlive.pagination, doctorlive.rooms.service, doctorlive.knowledge.service; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": f"{REPO}:{REPO / 'layers' / 'core'}", "STAGE": "local"})
    assert out.stdout.strip() == "[]"


def test_repositories_return_typed_records_not_dicts():
    """No repository hands back rows as dicts: each returns records (frozen slotted dataclasses,
    or the aggregate's pydantic models), which services read by attribute."""
    import ast
    import re

    row = re.compile(r"^dict\b|\bdict \| None|list\[dict")  # not visible()'s (sql, params)

    def returns_dicts(path: Path) -> bool:
        return any(isinstance(node, ast.FunctionDef) and node.returns is not None
                   and row.search(ast.unparse(node.returns))
                   for node in ast.walk(ast.parse(path.read_text())))

    repos = sorted((REPO / "layers" / "core" / "doctorlive").glob("*/repo.py"))
    assert {p.parent.name for p in repos} >= {"rooms", "knowledge", "entities", "users", "auth", "assistant",
                                              "joining", "notifications", "records", "retention"}
    assert [p.parent.name for p in repos if returns_dicts(p)] == []
