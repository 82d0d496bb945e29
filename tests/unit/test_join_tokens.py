"""The join token and the LiveKit token, without a database: who accepts which token."""
from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest

from doctorlive.auth.tokens import issue_access_token, verify_access_token
from doctorlive.errors import Unauthorized
from doctorlive.joining.tokens import (
    issue_join_token,
    link_fingerprint,
    livekit_token,
    verify_join_token,
)
from doctorlive.tenancy import Principal, Role

ROOM, PARTICIPANT, LINK_HASH = uuid.uuid4(), uuid.uuid4(), "ab" * 32


def test_a_join_token_is_bound_to_its_room_participant_and_invitation():
    claims = verify_join_token(issue_join_token(ROOM, PARTICIPANT, LINK_HASH))
    assert (claims.room_id, claims.participant_id) == (ROOM, PARTICIPANT)
    assert claims.link_fingerprint == link_fingerprint(LINK_HASH) != link_fingerprint("cd" * 32)
    assert LINK_HASH not in claims.link_fingerprint


def test_join_and_access_tokens_are_not_interchangeable():
    access = issue_access_token(Principal(uuid.uuid4(), Role.MANAGER, None, "m@example.org"))
    with pytest.raises(Unauthorized) as refused:
        verify_join_token(access)
    assert refused.value.code == "invalid_token"
    with pytest.raises(Unauthorized) as refused:
        verify_access_token(issue_join_token(ROOM, PARTICIPANT, LINK_HASH))
    assert refused.value.code == "invalid_token"


def test_a_join_token_lives_ten_minutes():
    token = issue_join_token(ROOM, PARTICIPANT, LINK_HASH)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 600 and claims["type"] == "join"
    with pytest.raises(Unauthorized) as expired:
        verify_join_token(issue_join_token(ROOM, PARTICIPANT, LINK_HASH, now=time.time() - 601))
    assert expired.value.code == "token_expired"


def test_the_livekit_token_grants_one_room_for_six_hours(monkeypatch):
    from doctorlive import settings

    monkeypatch.setenv("LIVEKIT_API_KEY", "unit-key")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "unit-secret-" + "x" * 32)
    settings.get_settings.cache_clear()
    try:
        token = livekit_token(room_name=f"room_{ROOM}", identity=f"participant_{PARTICIPANT}", name="Ana",
                              metadata={"type": "HUMAN"})
        claims = jwt.decode(token, "unit-secret-" + "x" * 32, algorithms=["HS256"], issuer="unit-key")
    finally:
        settings.get_settings.cache_clear()
    assert claims["sub"] == f"participant_{PARTICIPANT}" and claims["name"] == "Ana"
    assert claims["video"] == {"roomJoin": True, "room": f"room_{ROOM}", "canPublish": True,
                               "canSubscribe": True, "canPublishData": True}
    assert claims["exp"] - claims["nbf"] == 6 * 3600
    assert json.loads(claims["metadata"]) == {"type": "HUMAN"}
