"""POST /webhooks/livekit: LiveKit's signed room, participant and egress events (public; the
signature is the authentication)."""
from typing import Annotated

from fastapi import Depends, Request

from doctorlive.livekit.webhooks import WebhookEvent, verify
from doctorlive.rooms import events
from doctorlive.rooms.models import WebhookAck
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


async def _verified(request: Request) -> WebhookEvent:
    # The signature covers the exact bytes LiveKit sent: verify those, before any database work.
    body = (await request.body()).decode("utf-8", errors="replace")
    return verify(body, request.headers.get("authorization"))


VerifiedEvent = Annotated[WebhookEvent, Depends(_verified)]


@ep(response_model=WebhookAck, errors=(401,), openapi_extra={
    "requestBody": {"required": True, "content": {"application/webhook+json": {"schema": {"type": "object"}}}}})
def livekit_webhook(event: VerifiedEvent, conn: Db) -> WebhookAck:
    return WebhookAck(status=events.apply(RoomRepo(conn), event))


handler = ep.handler
