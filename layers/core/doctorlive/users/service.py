"""Rules for entity users: who may create, change and deactivate whom; password links."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote
from uuid import UUID, uuid4

from doctorlive.auth.digests import hash_token
from doctorlive.auth.passwords import hash_password, verify_password
from doctorlive.entities.repo import EntityRepo
from doctorlive.entities.service import ADMINS, _require_entity
from doctorlive.errors import Conflict, DomainError, Gone, NotFound, Unauthorized
from doctorlive.settings import get_settings
from doctorlive.tenancy import Principal
from doctorlive.users.models import (
    PasswordChange,
    PasswordSet,
    User,
    UserCreate,
    UserCreated,
    UserUpdate,
)
from doctorlive.users.repo import UserRepo

if TYPE_CHECKING:
    from doctorlive.entities.models import Entity
    from doctorlive.notifications.outbox import Outbox


class InvalidLink(DomainError):
    status, code, default_message = 400, "invalid_token", "This link is not valid"


def list_users(entities: EntityRepo, repo: UserRepo, who: Principal, entity_id: UUID) -> list[User]:
    who.scope.require_role(*ADMINS)
    _require_entity(entities, who, entity_id)
    return repo.list(entity_id)


def create_user(entities: EntityRepo, repo: UserRepo, who: Principal, entity_id: UUID,
                data: UserCreate, outbox: Outbox | None = None) -> UserCreated:
    """Create the account without a password; the one-time set-password link is e-mailed to the
    new user (through the notifications topic, as meeting invitations are) and also returned
    to the creator."""
    who.scope.require_role(*ADMINS)
    entity = _require_entity(entities, who, entity_id)
    user = repo.create(entity_id, data.email, data.name, data.role)
    if data.professional_id and not repo.attach_professional(data.professional_id, entity_id, user.id):
        raise NotFound("Professional not found in this entity (or it already has a login)",
                       {"field": "professional_id"})
    url, expires_at = _new_password_link(repo, user.id, who.user_id)
    if outbox is not None:
        _queue_set_password_email(outbox, entity, user, url, expires_at)
        outbox.flush()
    return UserCreated(**user.model_dump(), set_password_url=url,
                       set_password_expires_at=expires_at)


def update_user(repo: UserRepo, who: Principal, user_id: UUID, data: UserUpdate) -> User:
    who.scope.require_role(*ADMINS)
    before = repo.get(who.scope, user_id)
    if before is None:
        raise NotFound("User not found")
    fields = data.model_dump(exclude_unset=True)
    if user_id == who.user_id and ("active" in fields or "role" in fields):
        raise Conflict("You cannot deactivate yourself or change your own role")
    updated = repo.update(user_id, fields)
    # Less power must mean less power now, not when the access token expires.
    if fields.get("active") is False or updated.role != before.role:
        repo.revoke_sessions(user_id)
    return updated


def change_password(repo: UserRepo, who: Principal, data: PasswordChange) -> None:
    """Change one's own password; every other session of the user is signed out."""
    current = repo.password_hash(who.user_id)
    if not verify_password(data.current_password, current):
        raise Unauthorized("The current password is wrong", code="invalid_credentials")
    repo.set_password(who.user_id, hash_password(data.new_password))
    # The caller's own access token keeps working (it just proved the password); other
    # sessions end at their next refresh.
    repo.revoke_sessions(who.user_id, access_tokens=False)


def set_password_with_link(repo: UserRepo, data: PasswordSet) -> None:
    token = repo.take_password_token(hash_token(data.token))
    if token is None or token.used_at is not None or not token.active:
        raise InvalidLink()
    if token.expires_at <= datetime.now(UTC):
        raise Gone("This link has expired; ask your administrator for a new one", code="link_expired")
    repo.set_password(token.user_id, hash_password(data.new_password))
    repo.spend_password_token(token.id)
    repo.revoke_sessions(token.user_id)


def _queue_set_password_email(outbox: Outbox, entity: Entity, user: User, url: str,
                              expires_at: datetime) -> None:
    from doctorlive.notifications.models import Channel, Kind, Notification, Secret
    from doctorlive.notifications.sealing import seal

    nid = uuid4()
    outbox.add(Notification(notification_id=nid, kind=Kind.SET_PASSWORD, channel=Channel.EMAIL,
                            locale=entity.locale, recipient_name=user.name, email=user.email,
                            entity_name=entity.name, expires_at=expires_at, timezone=entity.timezone,
                            sealed=seal(Secret(link=url), nid)),
               entity_id=entity.id, user_id=user.id)


def _new_password_link(repo: UserRepo, user_id: UUID, created_by: UUID) -> tuple[str, datetime]:
    s = get_settings()
    token = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(hours=s.set_password_ttl_hours)
    repo.insert_password_token(user_id, hash_token(token), expires_at, created_by)
    return set_password_link(token), expires_at


def set_password_link(token: str) -> str:
    """The admin site's page, the token in the fragment: browsers never send it to a server, so it
    reaches no CDN or proxy log (the page posts it to the API in the body)."""
    return f"{get_settings().admin_site_url.rstrip('/')}/set-password#token={quote(token)}"
