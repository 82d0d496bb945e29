"""The admin site's committed OpenAPI document is the API's current one (`npm run gen:api` after
changing a route or model; the vitest in admin-site/src/api/generated.test.ts then checks the
generated types against this document)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

SITE = Path(__file__).resolve().parents[2] / "admin-site"


def test_the_committed_openapi_document_is_the_apis():
    spec = importlib.util.spec_from_file_location("export_openapi", SITE / "scripts" / "export_openapi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (SITE / "openapi.json").read_text() == module.render(), \
        "admin-site/openapi.json is stale: run `cd admin-site && npm run gen:api`"
