"""The one table of HTTP routes: (method, path, module).

CDK makes one Lambda and one API Gateway method per row; the local gateway serves the same rows;
the OpenAPI document is generated from them. Adding an endpoint = one module + one row here.
Each module `functions/api/<module>.py` exposes `handler` (API Gateway REST proxy events).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    module: str
    public: bool = False  # reachable without a bearer token
    summary: str = ""
    tag: str = ""

    @property
    def handler(self) -> str:
        return f"functions.api.{self.module}.handler"


ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", "health", public=True, summary="Liveness and database check", tag="ops"),
    Route("GET", "/openapi.json", "openapi", public=True, summary="This API's OpenAPI document", tag="ops"),
    Route("POST", "/api/v1/auth/login", "auth_login", public=True, summary="Log in with e-mail and password", tag="auth"),
    Route("POST", "/api/v1/auth/refresh", "auth_refresh", public=True, summary="Rotate a refresh token", tag="auth"),
    Route("POST", "/api/v1/auth/logout", "auth_logout", public=True, summary="Revoke a session", tag="auth"),
    Route("GET", "/api/v1/auth/me", "auth_me", summary="The logged-in user", tag="auth"),
)

_BY_MODULE = {r.module: r for r in ROUTES}
assert len(_BY_MODULE) == len(ROUTES), "a module serves exactly one route"
assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES), "a route is listed once"


def route_for(module_name: str) -> Route:
    """The row of the calling module (`__name__`, e.g. 'functions.api.auth_login')."""
    return _BY_MODULE[module_name.rsplit(".", 1)[-1]]
