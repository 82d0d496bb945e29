"""Tenant scope: who may see which entity's rows. Every repository query goes through it.

A MANAGER sees every entity; everyone else sees exactly one. Objects of another tenant are
reported as not found (404), never as forbidden, so their existence does not leak.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from doctorlive.errors import Forbidden, NotFound, invalid


class Role(StrEnum):
    MANAGER = "MANAGER"
    ENTITY_ADMIN = "ENTITY_ADMIN"
    PROFESSIONAL = "PROFESSIONAL"


# Who may schedule meetings and read what they leave (rooms and records services).
ORGANISERS = (Role.MANAGER, Role.ENTITY_ADMIN, Role.PROFESSIONAL)


@dataclass(frozen=True)
class Principal:
    user_id: UUID
    role: Role
    entity_id: UUID | None
    email: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(self.role, self.entity_id)


@dataclass(frozen=True)
class Scope:
    role: Role
    entity_id: UUID | None

    @property
    def is_global(self) -> bool:
        return self.role is Role.MANAGER

    def where(self, column: str) -> tuple[str, dict]:
        """A SQL condition limiting `column` (an entity id column) to this scope.

        `column` is always a literal written in the repository, never user input.
        """
        if self.is_global:
            return "TRUE", {}
        return f"{column} = %(scope_entity_id)s", {"scope_entity_id": self.entity_id}

    def can_see(self, entity_id: UUID | None) -> bool:
        return self.is_global or (entity_id is not None and entity_id == self.entity_id)

    def require_entity(self, entity_id: UUID, what: str = "Entity") -> None:
        """Raise NotFound unless this scope covers `entity_id`."""
        if not self.can_see(entity_id):
            raise NotFound(f"{what} not found")

    def target_entity(self, requested: UUID | None) -> UUID:
        """The entity a request is about: the one the MANAGER names (it must name one), the
        caller's own for everyone else (naming another is a 404, as for any object of it)."""
        if requested is None:
            if self.entity_id is None:
                raise invalid("entity_id", "the platform manager must name the entity (entity_id)", "missing")
            return self.entity_id
        self.require_entity(requested)
        return requested

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden()
