"""The HTTP doorway shared by every API Lambda: FastAPI app per endpoint, Mangum handler,
named dependencies, and the one place where domain errors become HTTP responses.

An endpoint module looks like::

    ep = Endpoint(route_for(__name__))

    @ep(response_model=Thing, errors=(401, 404))
    def get_thing(thing_id: UUID, user: CurrentUser, db: Db) -> Thing:
        return service.get_thing(Repo(db), user.scope, thing_id)

    handler = ep.handler
"""
from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Protocol
from urllib.parse import parse_qsl

import psycopg
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from doctorlive import db as database
from doctorlive import idempotency, needs
from doctorlive.errors import DomainError, Unauthorized, field_error, invalid_fields
from doctorlive.observability import API_GATEWAY, instrument, log_unexpected
from doctorlive.pagination import PageParams
from doctorlive.settings import get_settings
from doctorlive.stages import refuse_in_cloud
from doctorlive.tenancy import Principal
from doctorlive.validation import CONTROL

_NEWLINES = re.compile(r"[\r\n\t]")


class RouteRow(Protocol):
    method: str
    path: str
    module: str
    public: bool
    summary: str
    tag: str
    idempotent: bool
    needs: tuple[str, ...]


# ---- the error shape -------------------------------------------------------------------------

class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] | list[Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


_ERROR_TEXT = {
    400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
    409: "Conflict", 410: "Gone", 413: "Payload too large", 422: "Invalid request",
    429: "Too many requests", 503: "Service unavailable",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorResponse, "description": _ERROR_TEXT.get(s, "Error")} for s in statuses}


def error_json(status: int, code: str, message: str, details: Any = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details}},
                        status_code=status, headers=headers)


def error_response(exc: DomainError) -> JSONResponse:
    return error_json(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
    return error_response(exc)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(invalid_fields([
        field_error(".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body",
                    err.get("msg", ""), err.get("type", ""))
        for err in exc.errors()]))


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # FastAPI's only 400: a body it cannot decode (not UTF-8). Malformed JSON is already a
        # 422 json_invalid; this is the same mistake and gets the same, documented, answer.
        return error_response(invalid_fields([
            field_error("body", "the body is not valid UTF-8 JSON", "json_invalid")]))
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else _ERROR_TEXT.get(exc.status_code, "Error")
    return error_json(exc.status_code, code, message)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log_unexpected(exc)
    return error_json(500, "internal_error", "Something went wrong on our side")


def _control_in_query_or_path(scope: dict) -> str | None:
    """The first query parameter (or the path) holding a control character such as NUL,
    which no field accepts and PostgreSQL cannot store."""
    path = scope.get("path", "")
    if CONTROL.search(path) or _NEWLINES.search(path):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if CONTROL.search(name) or CONTROL.search(value):
            return f"query.{name}"
    return None


class RejectControlCharacters:
    """ASGI middleware: a control character in the path or a query parameter is a 422."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            field = _control_in_query_or_path(scope)
            if field is not None:
                reply = error_response(invalid_fields([
                    field_error(field, "must not contain control characters")]))
                await reply(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


# ---- named dependencies ----------------------------------------------------------------------

def _db() -> Iterator[psycopg.Connection]:
    """The request's transaction: committed when the endpoint returns, rolled back when it
    raises, except for domain errors that ask to keep their changes."""
    with database.pool().connection() as conn:
        try:
            yield conn
        except DomainError as exc:
            (conn.commit if exc.keep_changes else conn.rollback)()
            raise


def bearer_token(request: Request, missing: str = "Missing bearer token") -> str:
    """The token of `Authorization: Bearer <token>`; 401 missing_token (`missing`) without one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(missing, code="missing_token")
    return token.strip()


def _current_user(request: Request) -> Principal:
    from doctorlive.auth.sessions import require_current
    from doctorlive.auth.tokens import verify_access

    principal, issued_ms = verify_access(bearer_token(request))
    with database.pool().connection() as conn:
        require_current(conn, principal, issued_ms)
    return principal


def _page_params(page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20) -> PageParams:
    return PageParams(page=page, limit=limit)


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


Db = Annotated[psycopg.Connection, Depends(_db, scope="function")]
CurrentUser = Annotated[Principal, Depends(_current_user)]
ClientIp = Annotated[str | None, Depends(_client_ip)]
Paging = Annotated[PageParams, Depends(_page_params)]  # ?page=&limit= of list endpoints
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=idempotency.KEY_MIN_LENGTH, max_length=idempotency.KEY_MAX_LENGTH,
    pattern=idempotency.KEY_PATTERN,
    description="Makes a retry safe: the same key with the same request (same user) within 24 h gets "
                "the first answer back (header `Idempotent-Replayed: true`) and the work is done once. "
                "While the first is still running: 409 `idempotency_in_progress` with Retry-After. "
                "The same key with another request: 422 `idempotency_key_reused`. Failed answers are "
                "not kept: a corrected retry may reuse the key. A UUID per form submission fits.")]


def _with_idempotency_key(fn: Callable, route: RouteRow, status_code: int, response_model: Any) -> Callable:
    """The endpoint `fn` with an optional `Idempotency-Key` header (doctorlive.idempotency.once),
    keyed per route and per caller. `fn` takes a CurrentUser and a Db; its path parameters and
    body are the request a key is bound to. Without the header, `fn` runs as it is."""
    hints = typing.get_type_hints(fn, include_extras=True)
    params = [p.replace(annotation=hints.get(p.name, p.annotation))
              for p in inspect.signature(fn).parameters.values()]
    user_arg = next(p.name for p in params if p.annotation is CurrentUser)
    conn_arg = next(p.name for p in params if p.annotation is Db)
    adapter = functools.cache(lambda: TypeAdapter(response_model))  # built on first use: cold start

    @functools.wraps(fn)
    def endpoint(*, idempotency_key: str | None = None, **kwargs):
        if idempotency_key is None:
            return fn(**kwargs)
        user, conn = kwargs[user_arg], kwargs[conn_arg]
        request = jsonable_encoder({k: v for k, v in kwargs.items() if k not in (user_arg, conn_arg)})
        s = get_settings()
        status, body, replayed = idempotency.once(
            conn, scope=f"http:{route.module}:{user.user_id}", key=idempotency_key, request=request,
            work=lambda: (status_code, adapter().dump_json(fn(**kwargs), by_alias=True).decode()),
            ttl_seconds=s.idempotency_ttl_seconds, lease_seconds=s.idempotency_lease_seconds)
        return Response(body, status_code=status, media_type="application/json",
                        headers={"Idempotent-Replayed": "true"} if replayed else None)

    key_param = inspect.Parameter("idempotency_key", inspect.Parameter.KEYWORD_ONLY,
                                  default=None, annotation=IdempotencyKey)
    endpoint.__signature__ = inspect.Signature([*params, key_param])
    return endpoint


# ---- one endpoint = one FastAPI app = one Lambda handler ---------------------------------------

class Endpoint:
    """The route is added to its FastAPI router when the router is first used (the first
    invocation builds the app): FastAPI's analysis of the endpoint's signature and models is
    work a cold start's import phase does not need to do."""

    def __init__(self, route: RouteRow):
        self.route = route
        self._router: APIRouter | None = None
        self._pending: list[tuple[Callable, dict[str, Any]]] = []
        self._asgi = None
        # The module's Lambda handler: instrumented now, its app built on the first invocation.
        self.handler = instrument(self._serve, correlation_id_path=API_GATEWAY)

    @property
    def router(self) -> APIRouter:
        if self._router is None:
            router = APIRouter()
            for fn, options in self._pending:
                router.api_route(self.route.path, methods=[self.route.method], **options)(fn)
            self._router = router
        return self._router

    def __call__(self, *, status_code: int = 200, errors: tuple[int, ...] = (), **kwargs):
        statuses = set(errors) | {422}
        if not self.route.public:
            statuses.add(401)
        if self.route.idempotent:
            statuses.add(409)
        options = dict(
            status_code=status_code, responses=error_responses(*sorted(statuses)),
            summary=self.route.summary or None, tags=[self.route.tag] if self.route.tag else None,
            operation_id=self.route.module, **kwargs,
        )

        def register(fn: Callable) -> Callable:
            if self.route.idempotent:
                fn = _with_idempotency_key(fn, self.route, status_code, kwargs["response_model"])
            if self._router is not None:
                raise RuntimeError(f"{self.route.module}: an endpoint added after its router was built")
            self._pending.append((fn, options))
            return fn

        return register

    def app(self) -> FastAPI:
        app = build_app(f"doctor-live {self.route.module}")
        app.include_router(self.router)
        return app

    def _serve(self, event: dict, context: Any) -> dict:
        """API Gateway REST proxy event -> the endpoint's app (Mangum)."""
        if self._asgi is None:  # cold start (not import: the OpenAPI function imports every route)
            needs.check(f"functions.api.{self.route.module}", self.route.needs)
            from mangum import Mangum

            self._asgi = Mangum(self.app(), lifespan="off")
        return self._asgi(event, context)


def build_app(title: str) -> FastAPI:
    app = FastAPI(title=title, openapi_url=None, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    app.add_middleware(RejectControlCharacters)
    s = get_settings()
    origins = s.cors_origins
    if "*" in origins:
        refuse_in_cloud(s.stage, 'CORS for every origin (CORS_ORIGINS ["*"], the local default): '
                                 "set CORS_ORIGINS to the sites' origins")
    app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                       allow_methods=["*"], allow_headers=["*"], expose_headers=["Retry-After", "Idempotent-Replayed"])
    return app
