"""Login, refresh-token rotation, logout, and who-am-I. No HTTP here."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID, uuid4

from doctorlive.auth import passwords, tokens
from doctorlive.auth.models import LoginResponse, TokenPair, UserOut, UserRecord
from doctorlive.errors import NotFound, TooManyRequests, Unauthorized
from doctorlive.observability import (
    FAILED_LOGINS,
    REFRESH_TOKEN_REUSE,
    REFUSED_LOGINS,
    count,
    fingerprint,
    logger,
)
from doctorlive.ratelimit import Limit
from doctorlive.settings import get_settings
from doctorlive.tenancy import Principal

INVALID_LOGIN = "Invalid e-mail or password"
TOO_MANY_LOGINS = "Too many failed logins, try again later"


class Limiter(Protocol):
    def reserve(self, bucket: str, limit: Limit, message: str | None = None) -> None: ...
    def clear(self, bucket: str) -> None: ...


def login(repo, limiter: Limiter, email: str, password: str, ip: str | None) -> LoginResponse:
    """Check the credentials, within two limits counted before the password is checked:
    5 failures per e-mail+IP in 15 minutes, and per account (the e-mail, from any address)
    10 failures in an hour lock it for a minute, doubling with each further failure up to
    15 minutes at a time (settings.login_*). While locked, even the right password gets the 429.

    A wrong e-mail, a wrong password and an inactive account all give the same 401, and an
    unknown e-mail is limited like an account, so neither answer tells whether it exists.

    Logged: the outcome with the account's fingerprint (never the address) and, once known,
    the user id; never the password.
    """
    s = get_settings()
    address = email.strip().lower()
    account = fingerprint(address)
    client_bucket, account_bucket = f"login:{address}|{ip or '-'}", f"login-account:{address}"
    limits = (
        ("client", client_bucket, Limit(s.login_max_failures, s.login_window_seconds)),
        ("account", account_bucket, Limit(s.login_account_max_failures, s.login_account_window_seconds,
                                          s.login_account_lock_seconds, s.login_account_max_lock_seconds)),
    )
    for which, bucket, limit in limits:
        try:
            limiter.reserve(bucket, limit, TOO_MANY_LOGINS)
        except TooManyRequests as exc:
            count(REFUSED_LOGINS)
            logger.warning("login refused: limited", extra={
                "account": account, "limit": which, "retry_after": exc.retry_after})
            raise
    user = repo.user_by_email(email)
    valid = passwords.verify_password(password, user.password_hash if user else None)
    if not (user and valid and user.active and user.entity_active is not False):
        count(FAILED_LOGINS)
        reason = ("unknown_account" if user is None else "wrong_password" if not valid
                  else "inactive_account" if not user.active else "inactive_entity")
        logger.info("login refused: invalid credentials", extra={
            "account": account, "user_id": str(user.id) if user else None, "reason": reason})
        raise Unauthorized(INVALID_LOGIN, code="invalid_credentials")
    limiter.clear(client_bucket)
    limiter.clear(account_bucket)
    repo.record_login(user.id)
    logger.info("login ok", extra={"account": account, "user_id": str(user.id), "role": user.role.value})
    pair = _issue(repo, user, family_id=uuid4(), ip=ip)
    return LoginResponse(**pair.model_dump(), user=user.public())


def refresh(repo, refresh_token: str, ip: str | None) -> TokenPair:
    """Rotate: the presented token is spent and a new pair issued in the same family.

    Presenting a spent token again means it was copied: the whole family is revoked, unless it
    comes within the grace window and its successor is still unspent (several tabs or parallel
    requests refreshing at once): then it gets that same successor and a new access token.
    """
    s = get_settings()
    record = repo.refresh_for_update(tokens.hash_token(refresh_token))
    now = datetime.now(UTC)
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        raise Unauthorized("Invalid refresh token", code="invalid_refresh_token")
    successor_token = tokens.successor_refresh_token(refresh_token)
    if record.used_at is not None:
        successor = None
        if now - record.used_at <= timedelta(seconds=s.refresh_reuse_grace_seconds):
            successor = repo.refresh_for_update(tokens.hash_token(successor_token))
        if successor is None or successor.used_at is not None or successor.revoked_at is not None:
            repo.revoke_family(record.family_id)
            count(REFRESH_TOKEN_REUSE)
            logger.warning("refresh token reused: session revoked", extra={
                "user_id": str(record.user_id), "family_id": str(record.family_id),
                "used_seconds_ago": int((now - record.used_at).total_seconds())})
            raise Unauthorized("Refresh token already used; the session was revoked",
                               code="refresh_token_reused", keep_changes=True)
    user = repo.user_by_id(record.user_id)
    if user is None or not user.active or user.entity_active is False:
        repo.revoke_family(record.family_id)
        logger.info("session revoked: account or entity inactive", extra={
            "user_id": str(record.user_id), "family_id": str(record.family_id)})
        raise Unauthorized("Invalid refresh token", code="invalid_refresh_token", keep_changes=True)
    if record.used_at is not None:
        return _pair(user, successor_token,
                     max(0, int((successor.expires_at - now).total_seconds())))
    pair, new_id = _issue(repo, user, family_id=record.family_id, ip=ip, return_id=True,
                          refresh_token=successor_token)
    repo.mark_used(record.id, new_id)
    return pair


def logout(repo, refresh_token: str) -> None:
    """Revoke the session the refresh token belongs to. Unknown tokens are ignored (idempotent)."""
    record = repo.refresh_for_update(tokens.hash_token(refresh_token))
    if record is not None:
        repo.revoke_family(record.family_id)
        logger.info("logout: session revoked", extra={
            "user_id": str(record.user_id), "family_id": str(record.family_id)})


def me(repo, principal: Principal) -> UserOut:
    user = repo.user_by_id(principal.user_id)
    if user is None or not user.active:
        raise NotFound("User not found")
    return user.public()


def principal_of(user: UserRecord) -> Principal:
    return Principal(user_id=user.id, role=user.role, entity_id=user.entity_id, email=user.email)


def _issue(repo, user: UserRecord, family_id: UUID, ip: str | None, return_id: bool = False,
           refresh_token: str | None = None):
    s = get_settings()
    refresh_token = refresh_token or tokens.new_refresh_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=s.refresh_token_ttl_seconds)
    token_id = repo.insert_refresh(user.id, family_id, tokens.hash_token(refresh_token), expires_at, ip)
    pair = _pair(user, refresh_token, s.refresh_token_ttl_seconds)
    return (pair, token_id) if return_id else pair


def _pair(user: UserRecord, refresh_token: str, refresh_expires_in: int) -> TokenPair:
    return TokenPair(access_token=tokens.issue_access_token(principal_of(user)), refresh_token=refresh_token,
                     expires_in=get_settings().access_token_ttl_seconds, refresh_expires_in=refresh_expires_in)
