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
    # What the function may touch; the CDK app makes its environment and IAM grants from this
    # (infra/functions.py): "db", "jwt", "livekit", "openai", "whatsapp", "notifications" (the
    # key sealing queued invitations), "bucket:<key>:read|write|delete", "topic:<key>:publish",
    # "email:send".
    needs: tuple[str, ...] = ("db", "jwt")
    # Creates or sends something: an `Idempotency-Key` header makes a retry return the first
    # answer instead of doing the work again (doctorlive.web, doctorlive.idempotency). Needs
    # "notifications": the stored answer is sealed with that key.
    idempotent: bool = False

    @property
    def handler(self) -> str:
        return f"functions.api.{self.module}.handler"


ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", "health", public=True, summary="Liveness and database check", tag="ops"),
    Route("GET", "/openapi.json", "openapi", public=True, summary="This API's OpenAPI document", tag="ops", needs=()),
    Route("POST", "/api/v1/auth/login", "auth_login", public=True, summary="Log in with e-mail and password", tag="auth"),
    Route("POST", "/api/v1/auth/refresh", "auth_refresh", public=True, summary="Rotate a refresh token", tag="auth"),
    Route("POST", "/api/v1/auth/logout", "auth_logout", public=True, summary="Revoke a session", tag="auth"),
    Route("GET", "/api/v1/auth/me", "auth_me", summary="The logged-in user", tag="auth"),
    Route("POST", "/api/v1/auth/password", "auth_password", summary="Change your own password", tag="auth"),
    Route("POST", "/api/v1/auth/set-password", "auth_set_password", public=True, summary="Set a password with a one-time link", tag="auth"),
    # Entity administration
    Route("GET", "/api/v1/entities", "entities_list", summary="List entities (paginated)", tag="entities"),
    Route("POST", "/api/v1/entities", "entities_create", summary="Create an entity (MANAGER)", tag="entities"),
    Route("GET", "/api/v1/entities/{entity_id}", "entities_get", summary="One entity with its department count", tag="entities"),
    Route("PUT", "/api/v1/entities/{entity_id}", "entities_update", summary="Update or deactivate an entity", tag="entities"),
    Route("GET", "/api/v1/entities/{entity_id}/departments", "departments_list", summary="Departments of an entity", tag="departments"),
    Route("POST", "/api/v1/entities/{entity_id}/departments", "departments_create", summary="Create a department", tag="departments"),
    Route("PUT", "/api/v1/departments/{department_id}", "departments_update", summary="Update a department", tag="departments"),
    Route("GET", "/api/v1/entities/{entity_id}/professionals", "professionals_list", summary="Professionals working for an entity", tag="professionals"),
    Route("POST", "/api/v1/entities/{entity_id}/professionals", "professionals_create", summary="Create a professional", tag="professionals"),
    Route("PUT", "/api/v1/professionals/{professional_id}", "professionals_update", summary="Update a professional", tag="professionals"),
    Route("POST", "/api/v1/professionals/{professional_id}/entities", "professionals_link", summary="Link a professional to another entity", tag="professionals"),
    Route("DELETE", "/api/v1/professionals/{professional_id}/entities/{entity_id}", "professionals_unlink", summary="Unlink a professional from an entity", tag="professionals"),
    Route("GET", "/api/v1/entities/{entity_id}/users", "users_list", summary="Users of an entity", tag="users"),
    Route("POST", "/api/v1/entities/{entity_id}/users", "users_create", summary="Create a user with a set-password link", tag="users", needs=("db", "jwt", "notifications", "topic:notifications:publish"), idempotent=True),
    Route("PUT", "/api/v1/users/{user_id}", "users_update", summary="Update or deactivate a user", tag="users"),
    Route("GET", "/api/v1/stats", "stats", summary="Dashboard figures in your scope", tag="entities"),
    # Knowledge base
    Route("POST", "/api/v1/knowledge-base/uploads", "kb_upload", summary="Start a PDF upload (presigned S3 POST)", tag="knowledge-base", needs=("db", "jwt", "bucket:knowledge:write")),
    Route("GET", "/api/v1/knowledge-base/jobs/{job_id}", "kb_job", summary="Ingestion status of an upload", tag="knowledge-base"),
    Route("GET", "/api/v1/knowledge-base", "kb_search", summary="Semantic search of an entity's documents", tag="knowledge-base", needs=("db", "jwt", "openai")),
    Route("GET", "/api/v1/knowledge-base/documents", "kb_documents", summary="Documents with chunk counts", tag="knowledge-base"),
    Route("DELETE", "/api/v1/knowledge-base/documents/{document_id}", "kb_delete", summary="Delete a document and its chunks", tag="knowledge-base", needs=("db", "jwt", "bucket:knowledge:delete")),
    # Meetings: scheduling, invitations, cancellation; LiveKit's webhook
    Route("POST", "/api/v1/rooms", "rooms_create", summary="Schedule a meeting and invite its participants", tag="rooms", needs=("db", "jwt", "notifications", "topic:notifications:publish"), idempotent=True),
    Route("GET", "/api/v1/rooms", "rooms_list", summary="Meetings in your scope (paginated)", tag="rooms"),
    Route("GET", "/api/v1/rooms/{room_id}", "rooms_get", summary="A meeting with its participants' join and notification status", tag="rooms"),
    Route("DELETE", "/api/v1/rooms/{room_id}", "rooms_cancel", summary="Cancel a meeting and tell its participants", tag="rooms", needs=("db", "jwt", "livekit", "notifications", "topic:notifications:publish")),
    Route("POST", "/api/v1/rooms/{room_id}/participants", "rooms_participants_add", summary="Invite more participants", tag="rooms", needs=("db", "jwt", "notifications", "topic:notifications:publish"), idempotent=True),
    Route("POST", "/api/v1/rooms/{room_id}/participants/{participant_id}/resend", "rooms_participants_resend", summary="New link and password for a participant, sent again", tag="rooms", needs=("db", "jwt", "notifications", "topic:notifications:publish"), idempotent=True),
    # After the meeting: its record (transcript, notes, recordings, AI usage and cost)
    Route("GET", "/api/v1/rooms/{room_id}/transcript", "rooms_transcript", summary="The meeting's transcript (paginated; reads are audited)", tag="records"),
    Route("GET", "/api/v1/rooms/{room_id}/summary", "rooms_summary", summary="The assistant's summary and action items", tag="records"),
    Route("GET", "/api/v1/rooms/{room_id}/recordings", "rooms_recordings", summary="The meeting's recordings with 5-minute download URLs (audited)", tag="records", needs=("db", "jwt", "bucket:recordings:read")),
    Route("GET", "/api/v1/rooms/{room_id}/agent-usage", "rooms_agent_usage", summary="The assistant's tokens, speech seconds and cost in the meeting", tag="records"),
    Route("GET", "/api/v1/agent-usage", "agent_usage", summary="AI usage and cost per meeting, entity and month", tag="records"),
    Route("POST", "/webhooks/livekit", "webhooks_livekit", public=True, summary="LiveKit webhook events (signed)", tag="webhooks", needs=("db", "livekit")),
    # Joining a meeting (participants: no account; the magic link, its password, then a join token)
    # The magic link's token travels in request bodies, never in a path: paths reach access logs.
    Route("POST", "/api/v1/magic-link/preview", "magic_link_preview", public=True, summary="What an invitation is for (public preview)", tag="joining"),
    Route("POST", "/api/v1/magic-link/validate", "magic_link_validate", public=True, summary="Magic link + password → a short-lived join token", tag="joining"),
    Route("POST", "/api/v1/rooms/{room_id}/join", "rooms_join", public=True, summary="Join token (bearer) → a place in the room and LiveKit credentials", tag="joining", needs=("db", "jwt", "livekit", "recordings")),
)

_BY_MODULE = {r.module: r for r in ROUTES}
assert len(_BY_MODULE) == len(ROUTES), "a module serves exactly one route"
assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES), "a route is listed once"
assert all("notifications" in r.needs for r in ROUTES if r.idempotent), "idempotent answers are sealed"


def route_for(module_name: str) -> Route:
    """The row of the calling module (`__name__`, e.g. 'functions.api.auth_login')."""
    return _BY_MODULE[module_name.rsplit(".", 1)[-1]]
