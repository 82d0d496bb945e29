"""End-to-end tests against the CDK app's local stage deployed on LocalStack.

They run through `make e2e` (python -m infra.e2e), which deploys and writes
.data/e2e/outputs.json; without that file every test here is skipped.
"""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

OUTPUTS = Path(__file__).resolve().parents[2] / ".data" / "e2e" / "outputs.json"
ADMIN = ("admin@clinica.local", "doctorlive-dev")


def pytest_collection_modifyitems(config, items):
    if OUTPUTS.exists():
        return
    skip = pytest.mark.skip(reason=f"no deployed local stack ({OUTPUTS} is absent): run `make e2e`")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def outputs() -> dict:
    return json.loads(OUTPUTS.read_text())


@pytest.fixture(scope="session")
def api(outputs) -> httpx.Client:
    """The deployed REST API stage: http://127.0.0.1:4566/_aws/execute-api/{id}/{stage}."""
    # trust_env=False: a proxy configured for the registries must not see 127.0.0.1.
    with httpx.Client(base_url=outputs["api_url"], timeout=60, trust_env=False) as client:
        yield client


@pytest.fixture
def login(api):
    def _login(email: str = ADMIN[0], password: str = ADMIN[1]) -> dict:
        reply = api.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert reply.status_code == 200, reply.text
        return reply.json()

    return _login
