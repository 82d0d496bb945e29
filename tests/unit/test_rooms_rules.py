"""Meeting rules without I/O: time checks, sealing of queued secrets, retry backoff, LiveKit names."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from doctorlive.errors import ValidationFailed
from doctorlive.rooms.service import check_schedule

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def field_of(exc: ValidationFailed) -> tuple[str, str]:
    [f] = exc.details["fields"]
    return f["field"], f["type"]


def test_a_valid_schedule_comes_back_in_utc():
    start, end = check_schedule(datetime(2026, 11, 26, 9, 0), datetime(2026, 11, 26, 10, 0), "America/Sao_Paulo", NOW)
    assert (start, end) == (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), datetime(2026, 11, 26, 13, 0, tzinfo=UTC))


@pytest.mark.parametrize("start,end,expected", [
    (NOW + timedelta(hours=2), NOW + timedelta(hours=1), ("scheduled_end", "time_order")),
    (NOW + timedelta(hours=1), NOW + timedelta(hours=1), ("scheduled_end", "time_order")),
    (NOW - timedelta(minutes=10), NOW + timedelta(hours=1), ("scheduled_start", "time_past")),
    (NOW + timedelta(hours=1), NOW + timedelta(hours=26), ("scheduled_end", "time_too_long")),
])
def test_schedule_errors_name_the_field(start, end, expected):
    with pytest.raises(ValidationFailed) as exc:
        check_schedule(start, end, "UTC", NOW)
    assert field_of(exc.value) == expected and exc.value.status == 422


def test_a_start_just_now_is_accepted():
    check_schedule(NOW - timedelta(seconds=30), NOW + timedelta(minutes=30), "UTC", NOW)


def test_sealed_secrets_open_only_with_the_key_and_their_own_id(monkeypatch):
    from doctorlive.notifications import sealing
    from doctorlive.notifications.models import Secret
    from doctorlive.settings import get_settings

    nid = uuid.uuid4()
    sealed = sealing.seal(Secret(link="https://x/join?token=t", password="12345678"), nid)
    assert "12345678" not in sealed and sealed.startswith("v1.")
    assert sealing.unseal(sealed, nid).password == "12345678"
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed, uuid.uuid4())
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed[:-4] + "AAAA", nid)
    other = get_settings().model_copy(update={"notification_key": __import__("pydantic").SecretStr("k" * 40)})
    monkeypatch.setattr(sealing, "get_settings", lambda: other)
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed, nid)


def test_a_short_key_is_refused_outside_dev(monkeypatch):
    from pydantic import SecretStr

    from doctorlive.notifications import sealing
    from doctorlive.settings import get_settings

    prod = get_settings().model_copy(update={"stage": "prod", "notification_key": SecretStr("short")})
    monkeypatch.setattr(sealing, "get_settings", lambda: prod)
    with pytest.raises(RuntimeError, match="NOTIFICATION_KEY"):
        sealing._key_material()


def test_retry_backoff_doubles_up_to_the_cap(monkeypatch):
    from doctorlive.notifications import consumer
    from doctorlive.settings import get_settings

    s = get_settings().model_copy(update={"notify_retry_base_seconds": 30, "notify_retry_max_seconds": 900})
    monkeypatch.setattr(consumer, "get_settings", lambda: s)
    assert [consumer.retry_delay(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
    monkeypatch.setattr(consumer, "get_settings", lambda: s.model_copy(update={"notify_retry_base_seconds": 0}))
    assert consumer.retry_delay(3) == 0


def test_livekit_names_round_trip():
    from doctorlive.livekit.client import (
        participant_id_of,
        participant_identity,
        room_id_of,
        room_name,
    )

    rid, pid = uuid.uuid4(), uuid.uuid4()
    assert room_name(rid) == f"room_{rid}" and room_id_of(room_name(rid)) == rid
    assert participant_identity(pid) == f"participant_{pid}" and participant_id_of(participant_identity(pid)) == pid
    assert room_id_of("room_not-a-uuid") is None and participant_id_of("agent-AJ_x") is None
