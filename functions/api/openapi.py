"""GET /openapi.json: the contract, generated from the route table and each route's models."""
from __future__ import annotations

import importlib
from functools import lru_cache

from fastapi.responses import JSONResponse

from doctorlive.web import Endpoint, build_app
from functions.api.routes import ROUTES, route_for

ep = Endpoint(route_for(__name__))


@lru_cache(maxsize=1)
def document() -> dict:
    app = build_app("doctor-live API")
    app.version = "1"
    app.description = "AI-assisted video meetings for clinics. Errors: {error: {code, message, details}}."
    for route in ROUTES:
        if route.module == ep.route.module:
            continue
        module = importlib.import_module(f"functions.api.{route.module}")
        app.include_router(module.ep.router)
    spec = app.openapi()
    spec.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    for route in ROUTES:
        op = spec["paths"].get(route.path, {}).get(route.method.lower())
        if op is not None and not route.public:
            op["security"] = [{"bearer": []}]
    return spec


@ep(include_in_schema=False)
def openapi() -> JSONResponse:
    return JSONResponse(document())


handler = ep.handler
