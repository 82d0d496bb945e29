"""Cold start: importing a Lambda handler loads only what its route uses on every request.
The clients and providers a route needs on some paths, or only after its first query (boto3,
livekit-api, openai, tiktoken, pypdf, numpy, jwt), are imported where they are used; event
functions never load FastAPI. Not a timing test: bench/cold_start.py measures the time on the
packaged assets; this guards the imports, in one process that forks once per handler."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from functions.api.routes import ROUTES
from functions.events.wiring import EVENTS

REPO = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib, json, os, sys
for name in sys.argv[1].split(","):  # shared by every handler of the group: once, before the forks
    importlib.import_module(name)
result = {}
for name in sys.argv[2:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            importlib.import_module(name)
            payload = {"modules": sorted(sys.modules)}
        except BaseException as exc:  # noqa: BLE001
            payload = {"error": repr(exc)}
        os.write(w, json.dumps(payload).encode())
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 1 << 16):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    result[name] = json.loads(b"".join(chunks))
print(json.dumps(result))
"""

# Never at import time: made or imported on first use (doctorlive.aws.client, livekit.client,
# providers, knowledge.ingest). Each is 50-1000 ms of a cold start.
NEVER = ("livekit", "openai", "tiktoken", "pypdf", "numpy", "jinja2", "aws_xray_sdk",
         "pydantic_settings")  # doctorlive.settings reads the environment itself (~15 ms)
# Routes that sign or verify a JWT on every request import jwt (and cryptography) up front;
# the others verify the bearer token through doctorlive.web, which imports it on first use.
JWT_ROUTES = {"auth_login", "auth_refresh", "auth_logout", "auth_me",
              "magic_link_preview", "magic_link_validate", "rooms_join"}
# Powertools' idempotency package imports its DynamoDB store, hence boto3, whatever store is
# used; these functions also call S3 or SES (cloud) on every message.
BOTO3_EVENTS = {"kb_ingest", "notify_email", "notify_whatsapp"}


# Imported before the forks (what every handler of the group loads anyway, checked by
# test_health_loads_the_api_preload): the forks then cost only their own modules.
API_PRELOAD = ("doctorlive.web", "functions.api.routes")
EVENT_PRELOAD = ("psycopg", "doctorlive.settings", "doctorlive.observability")


def _import_in_forks(preload: tuple[str, ...], names: list[str]) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "STAGE": "local"}
    out = subprocess.run([sys.executable, "-c", PROBE, ",".join(preload), *names], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True, timeout=600)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    errors = {n: r["error"] for n, r in result.items() if "error" in r}
    assert not errors, errors
    return {n: r["modules"] for n, r in result.items()}


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    return {**_import_in_forks(API_PRELOAD, [f"functions.api.{r.module}" for r in ROUTES]),
            **_import_in_forks(EVENT_PRELOAD, [f"functions.events.{e.module}" for e in EVENTS]
                               + ["functions.events.migrate"])}


def test_the_preloads_load_nothing_the_checks_refuse():
    modules = _packages(_import_in_forks(("json",), ["doctorlive.web", "doctorlive.observability"])
                        ["doctorlive.web"])
    assert not modules & {*NEVER, "boto3", "jwt", "cryptography", "mangum"}


def _packages(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.module)
def test_an_api_handler_imports_only_what_every_request_uses(route, loaded):
    packages = _packages(loaded[f"functions.api.{route.module}"])
    assert not packages & {*NEVER, "boto3", "botocore.client"}, sorted(packages & {*NEVER, "boto3"})
    if route.module not in JWT_ROUTES:
        assert "jwt" not in packages and "cryptography" not in packages
    assert "mangum" not in packages  # the Mangum adapter is built on the first invocation


# The after-the-meeting routes read records: not the scheduling side (rooms service and models,
# notifications), which they reach only through doctorlive.tenancy's ORGANISERS and the rooms repo.
RECORD_ROUTES = ("rooms_transcript", "rooms_summary", "rooms_recordings", "rooms_agent_usage", "agent_usage")


@pytest.mark.parametrize("module", RECORD_ROUTES)
def test_a_records_route_does_not_load_the_scheduling_side(module, loaded):
    modules = set(loaded[f"functions.api.{module}"])
    assert not modules & {"doctorlive.rooms.service", "doctorlive.rooms.models",
                          "doctorlive.notifications.models"}


@pytest.mark.parametrize("module", [e.module for e in EVENTS] + ["migrate"])
def test_an_event_handler_never_imports_the_http_stack(module, loaded):
    packages = _packages(loaded[f"functions.events.{module}"])
    assert not packages & {"fastapi", "starlette", "mangum", *NEVER}, \
        sorted(packages & {"fastapi", "starlette", "mangum", *NEVER})
    if module not in BOTO3_EVENTS:
        assert "boto3" not in packages
    if module != "migrate":
        assert "jwt" not in packages


@pytest.mark.parametrize("module", ["entities_list", "rooms_list", "kb_documents"])
def test_a_paged_endpoint_still_takes_bounded_page_and_limit(module):
    """Paging (doctorlive.web) gives a paged endpoint its bounded parameters."""
    import importlib

    from fastapi.openapi.utils import get_openapi

    app = importlib.import_module(f"functions.api.{module}").ep.app()
    spec = get_openapi(title="t", version="1", routes=app.routes)
    params = {p["name"]: p["schema"] for op in spec["paths"].values() for p in op["get"]["parameters"]}
    assert params["page"] == {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1, "title": "Page"}
    assert params["limit"]["maximum"] == 100 and params["limit"]["minimum"] == 1


MODEL_PROBE = r"""
import importlib, json, sys
from doctorlive.validation import Input, Model
modules = [importlib.import_module(name) for name in sys.argv[1:]]
built = {}
for mod in modules:
    for name, value in vars(mod).items():
        if isinstance(value, type) and issubclass(value, (Model, Input)) and value.__module__ == mod.__name__:
            built[f"{mod.__name__}.{name}"] = [issubclass(value, Input), value.__pydantic_complete__]
print(json.dumps(built))
"""
MODEL_MODULES = [f"doctorlive.{p.parent.name}.models"
                 for p in sorted((REPO / "layers/core/doctorlive").glob("*/models.py"))]


def test_response_models_are_built_on_first_use_and_request_models_at_import():
    """A models module serves many routes: importing it builds only its request models (FastAPI
    reads a body through an `Annotated[model, Body()]` adapter, which must not be rebuilt
    lazily); each response or record model is built the first time it is used."""
    out = subprocess.run([sys.executable, "-c", MODEL_PROBE, *MODEL_MODULES], capture_output=True, text=True,
                         check=True, cwd=REPO, env={**os.environ, "STAGE": "local"})
    built = json.loads(out.stdout)
    responses = {name for name, (is_input, _) in built.items() if not is_input}
    assert len(responses) > 30 and any(is_input for is_input, _ in built.values())
    assert {name for name, (is_input, complete) in built.items() if complete != is_input} == set()
    from doctorlive.rooms.models import Room
    Room.model_json_schema()  # first use builds it
    assert Room.__pydantic_complete__
