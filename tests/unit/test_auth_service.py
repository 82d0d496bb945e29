"""Auth rules without I/O: an in-memory repository and limiter stand in for Postgres."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from doctorlive.auth import passwords, service, tokens
from doctorlive.auth.models import RefreshRecord, UserRecord
from doctorlive.errors import TooManyRequests, Unauthorized
from doctorlive.tenancy import Role

PASSWORD = "correct horse"


class MemoryRepo:
    def __init__(self, users):
        self.users = {u.id: u for u in users}
        self.refresh: dict[str, dict] = {}

    def user_by_email(self, email):
        return next((u for u in self.users.values() if u.email == email.lower()), None)

    def user_by_id(self, user_id):
        return self.users.get(user_id)

    def record_login(self, user_id):
        pass

    def insert_refresh(self, user_id, family_id, token_hash, expires_at, ip):
        rid = uuid4()
        self.refresh[token_hash] = {"id": rid, "user_id": user_id, "family_id": family_id,
                                    "expires_at": expires_at, "used_at": None, "revoked_at": None}
        return rid

    def refresh_for_update(self, token_hash):
        row = self.refresh.get(token_hash)
        return RefreshRecord(**row) if row else None

    def mark_used(self, token_id, replaced_by):
        for row in self.refresh.values():
            if row["id"] == token_id:
                row["used_at"] = datetime.now(UTC)

    def revoke_family(self, family_id):
        for row in self.refresh.values():
            if row["family_id"] == family_id:
                row["revoked_at"] = datetime.now(UTC)


class CountingLimiter:
    def __init__(self, max_hits=5):
        self.hits: dict[str, int] = {}
        self.max_hits = max_hits

    def reserve(self, bucket, limit, message=None):
        if self.hits.get(bucket, 0) >= limit.max_hits:
            raise TooManyRequests(60, message)
        self.hits[bucket] = self.hits.get(bucket, 0) + 1

    def clear(self, bucket):
        self.hits.pop(bucket, None)


@pytest.fixture(scope="module")
def pw_hash():
    return passwords.hash_password(PASSWORD, rounds=4)


@pytest.fixture
def repo(pw_hash):
    user = UserRecord(id=uuid4(), email="ana@clinic.test", name="Ana", role=Role.ENTITY_ADMIN,
                      entity_id=uuid4(), active=True, password_hash=pw_hash, entity_active=True)
    inactive = UserRecord(id=uuid4(), email="old@clinic.test", name="Old", role=Role.PROFESSIONAL,
                          entity_id=uuid4(), active=False, password_hash=pw_hash)
    return MemoryRepo([user, inactive])


def test_login_issues_tokens_for_valid_credentials(repo):
    out = service.login(repo, CountingLimiter(), "Ana@Clinic.test", PASSWORD, "10.0.0.1")
    principal = tokens.verify_access_token(out.access_token)
    assert principal.email == "ana@clinic.test" and principal.role is Role.ENTITY_ADMIN
    assert len(repo.refresh) == 1


@pytest.mark.parametrize("email,password", [
    ("ana@clinic.test", "wrong"), ("nobody@clinic.test", PASSWORD), ("old@clinic.test", PASSWORD)])
def test_every_bad_login_gives_the_same_error(repo, email, password):
    with pytest.raises(Unauthorized) as err:
        service.login(repo, CountingLimiter(), email, password, "10.0.0.1")
    assert (err.value.code, err.value.message) == ("invalid_credentials", service.INVALID_LOGIN)


def test_sixth_attempt_is_refused_before_the_password_is_checked(repo):
    limiter = CountingLimiter()
    for _ in range(5):
        with pytest.raises(Unauthorized):
            service.login(repo, limiter, "ana@clinic.test", "wrong", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        service.login(repo, limiter, "ana@clinic.test", PASSWORD, "10.0.0.1")


def test_refresh_rotation_and_reuse_detection(repo):
    first = service.login(repo, CountingLimiter(), "ana@clinic.test", PASSWORD, None)
    second = service.refresh(repo, first.refresh_token, None)
    # Again at once (a parallel tab): the same successor, the session lives.
    assert service.refresh(repo, first.refresh_token, None).refresh_token == second.refresh_token
    # Again after the grace window: reuse, the family is revoked.
    repo.refresh[tokens.hash_token(first.refresh_token)]["used_at"] -= timedelta(minutes=5)
    with pytest.raises(Unauthorized) as err:
        service.refresh(repo, first.refresh_token, None)
    assert err.value.code == "refresh_token_reused" and err.value.keep_changes
    with pytest.raises(Unauthorized):
        service.refresh(repo, second.refresh_token, None)


def test_expired_refresh_token_is_refused(repo):
    first = service.login(repo, CountingLimiter(), "ana@clinic.test", PASSWORD, None)
    repo.refresh[tokens.hash_token(first.refresh_token)]["expires_at"] = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(Unauthorized):
        service.refresh(repo, first.refresh_token, None)


def test_only_hashes_of_refresh_tokens_are_kept(repo):
    out = service.login(repo, CountingLimiter(), "ana@clinic.test", PASSWORD, None)
    assert out.refresh_token not in repo.refresh
    assert tokens.hash_token(out.refresh_token) in repo.refresh


def test_bcrypt_cost_is_10_by_default():
    assert passwords.hash_password("x").startswith("$2b$10$")
