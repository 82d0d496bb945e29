"""The two tokens of joining.

- The **join token**: what a correct magic link + password buys. An RS256 JWT signed with the
  platform key like access tokens, but with its own `type` ("join") and audience, so neither
  verifier accepts the other's tokens. Short-lived (10 minutes), bound to one room, one
  participant and the invitation it came from (`lnk`: a fingerprint of the magic-link hash, so a
  re-sent invitation retires the join tokens of the old one).
- The **LiveKit token**: what LiveKit admits, signed (HS256) with the LiveKit API secret by
  livekit-api's AccessToken. Identity `participant_{id}`, 6 hours, grants for one room.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from uuid import UUID

import jwt

from doctorlive.auth.tokens import decode, sign
from doctorlive.errors import Unauthorized
from doctorlive.settings import get_settings

JOIN_TYPE = "join"
JOIN_AUDIENCE = "doctor-live/room-join"


@dataclass(frozen=True)
class JoinClaims:
    room_id: UUID
    participant_id: UUID
    link_fingerprint: str


def link_fingerprint(magic_token_hash: str) -> str:
    """Which invitation a join token came from, without carrying the stored hash itself."""
    return hashlib.sha256(f"join:{magic_token_hash}".encode()).hexdigest()[:24]


def issue_join_token(room_id: UUID, participant_id: UUID, magic_token_hash: str,
                     now: float | None = None) -> str:
    return sign(JOIN_TYPE, {
        "aud": JOIN_AUDIENCE,
        "sub": str(participant_id),
        "room_id": str(room_id),
        "lnk": link_fingerprint(magic_token_hash),
    }, get_settings().join_token_ttl_seconds, now)


def verify_join_token(token: str) -> JoinClaims:
    try:
        claims = decode(token, JOIN_TYPE, audience=JOIN_AUDIENCE, require=("aud", "room_id", "lnk"))
        return JoinClaims(room_id=UUID(claims["room_id"]), participant_id=UUID(claims["sub"]),
                          link_fingerprint=str(claims["lnk"]))
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Your access to this meeting expired; enter the password again",
                           code="token_expired") from exc
    except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
        raise Unauthorized("Invalid join token", code="invalid_token") from exc


def livekit_token(*, room_name: str, identity: str, name: str, metadata: dict) -> str:
    """A LiveKit access token to join `room_name`: publish, subscribe and publish data."""
    from datetime import timedelta

    from livekit.api import AccessToken, VideoGrants  # only the join function pays

    s = get_settings()
    grants = VideoGrants(room_join=True, room=room_name, can_publish=True, can_subscribe=True,
                         can_publish_data=True)
    return (AccessToken(s.livekit_api_key, s.livekit_api_secret.get_secret_value())
            .with_identity(identity)
            .with_name(name)
            .with_metadata(json.dumps(metadata, separators=(",", ":")))
            .with_grants(grants)
            .with_ttl(timedelta(seconds=s.livekit_token_ttl_seconds))
            .to_jwt())
