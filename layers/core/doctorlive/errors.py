"""The one family of domain errors. The web layer maps them to HTTP in one place."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    default_message: str = "Bad request"

    def __init__(self, message: str | None = None, details: dict[str, Any] | None = None,
                 *, code: str | None = None, headers: dict[str, str] | None = None,
                 keep_changes: bool = False):
        super().__init__(message or self.default_message)
        # True when what the request wrote before failing must stick (e.g. revoking a
        # session on refresh-token reuse): the request's transaction commits, then the error is sent.
        self.keep_changes = keep_changes
        self.message = message or self.default_message
        self.details = details
        self.headers = headers or {}
        if code:
            self.code = code

    def to_body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class Unauthorized(DomainError):
    status, code, default_message = 401, "unauthorized", "Authentication required"


class Forbidden(DomainError):
    status, code, default_message = 403, "forbidden", "You are not allowed to do this"


class NotFound(DomainError):
    status, code, default_message = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, default_message = 409, "conflict", "Conflict"


class Gone(DomainError):
    status, code, default_message = 410, "gone", "No longer available"


class ValidationFailed(DomainError):
    status, code, default_message = 422, "validation_error", "Invalid request"


# Field-level 422s, one shape wherever they are raised (request parsing in doctorlive.web, rules
# in the services): details {"fields": [{"field", "message", "type"}, ...]}.

def field_error(field: str, message: str, type_: str = "value_error") -> dict[str, str]:
    return {"field": field, "message": message, "type": type_}


def invalid_fields(fields: list[dict[str, str]], message: str | None = None, *,
                   code: str | None = None) -> ValidationFailed:
    """A 422 naming `fields` (field_error's); its message says which unless given."""
    names = ", ".join(sorted({f["field"] for f in fields}))
    return ValidationFailed(message or f"Invalid request: check {names}", {"fields": fields}, code=code)


def invalid(field: str, message: str, type_: str = "value_error", *, summary: str | None = None,
            code: str | None = None) -> ValidationFailed:
    """A 422 about one field; its message is `summary`, else "Invalid request: <message>"."""
    return invalid_fields([field_error(field, message, type_)], summary or f"Invalid request: {message}",
                          code=code)


class TooManyRequests(DomainError):
    status, code, default_message = 429, "too_many_requests", "Too many attempts, try again later"

    def __init__(self, retry_after: int, message: str | None = None, *, code: str | None = None):
        retry_after = max(1, int(retry_after))
        super().__init__(message, {"retry_after": retry_after}, code=code,
                         headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    status, code, default_message = 503, "unavailable", "Service unavailable"
