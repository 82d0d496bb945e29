"""Rules for entities, departments and professionals.

MANAGER sees and changes everything; ENTITY_ADMIN only its own entity; PROFESSIONAL reads its
own entity's departments and nothing else. Another tenant's object is a 404, never a 403.
"""
from __future__ import annotations

from uuid import UUID

from doctorlive.entities.models import (
    ENTITY_ADMIN_FIELDS,
    Department,
    DepartmentCreate,
    DepartmentUpdate,
    Entity,
    EntityCreate,
    EntityFilters,
    EntityUpdate,
    Professional,
    ProfessionalCreate,
    ProfessionalUpdate,
    Stats,
)
from doctorlive.entities.repo import DepartmentRepo, EntityRepo, ProfessionalRepo
from doctorlive.errors import Conflict, Forbidden, NotFound
from doctorlive.pagination import Page, PageParams
from doctorlive.tenancy import Principal, Role

ADMINS = (Role.MANAGER, Role.ENTITY_ADMIN)


# ---- entities --------------------------------------------------------------------------------

def list_entities(repo: EntityRepo, who: Principal, filters: EntityFilters, paging: PageParams) -> Page[Entity]:
    who.scope.require_role(*ADMINS)
    rows, total = repo.list(who.scope, filters, paging)
    return Page[Entity](items=rows, total=total,
                        page=paging.page, limit=paging.limit)


def get_entity(repo: EntityRepo, who: Principal, entity_id: UUID) -> Entity:
    who.scope.require_role(*ADMINS)
    row = repo.get(who.scope, entity_id)
    if row is None:
        raise NotFound("Entity not found")
    return row


def create_entity(repo: EntityRepo, who: Principal, data: EntityCreate) -> Entity:
    who.scope.require_role(Role.MANAGER)
    return repo.create(data.model_dump())


def update_entity(repo: EntityRepo, who: Principal, entity_id: UUID, data: EntityUpdate) -> Entity:
    get_entity(repo, who, entity_id)
    fields = data.model_dump(exclude_unset=True)
    if who.role is not Role.MANAGER:
        reserved = sorted(set(fields) - ENTITY_ADMIN_FIELDS)
        if reserved:
            raise Forbidden("Only the platform manager can change these fields", {"fields": reserved})
    return repo.update(entity_id, fields)


def stats(repo: EntityRepo, who: Principal) -> Stats:
    who.scope.require_role(*ADMINS)
    return repo.stats(who.scope)


def _require_entity(entities: EntityRepo, who: Principal, entity_id: UUID) -> Entity:
    """The entity, if it exists and is in the caller's scope (404 otherwise)."""
    who.scope.require_entity(entity_id)
    row = entities.get(who.scope, entity_id)
    if row is None:
        raise NotFound("Entity not found")
    return row


# ---- departments -----------------------------------------------------------------------------

def list_departments(entities: EntityRepo, repo: DepartmentRepo, who: Principal, entity_id: UUID,
                     include_inactive: bool = False) -> list[Department]:
    _require_entity(entities, who, entity_id)
    active_only = who.role is Role.PROFESSIONAL or not include_inactive
    return repo.list(entity_id, active_only)


def create_department(entities: EntityRepo, repo: DepartmentRepo, who: Principal, entity_id: UUID,
                      data: DepartmentCreate) -> Department:
    who.scope.require_role(*ADMINS)
    _require_entity(entities, who, entity_id)
    return repo.create(entity_id, data.model_dump())


def update_department(repo: DepartmentRepo, who: Principal, department_id: UUID,
                      data: DepartmentUpdate) -> Department:
    who.scope.require_role(*ADMINS)
    if repo.get(who.scope, department_id) is None:
        raise NotFound("Department not found")
    return repo.update(department_id, data.model_dump(exclude_unset=True))


# ---- professionals ---------------------------------------------------------------------------

def list_professionals(entities: EntityRepo, repo: ProfessionalRepo, who: Principal,
                       entity_id: UUID) -> list[Professional]:
    who.scope.require_role(*ADMINS)
    _require_entity(entities, who, entity_id)
    return repo.list(entity_id)


def create_professional(entities: EntityRepo, repo: ProfessionalRepo, who: Principal,
                        entity_id: UUID, data: ProfessionalCreate) -> Professional:
    who.scope.require_role(*ADMINS)
    _require_entity(entities, who, entity_id)
    return repo.create(entity_id, data.model_dump())


def _require_professional(repo: ProfessionalRepo, who: Principal, professional_id: UUID) -> Professional:
    row = repo.get(who.scope, professional_id)
    if row is None:
        raise NotFound("Professional not found")
    return row


def update_professional(repo: ProfessionalRepo, who: Principal, professional_id: UUID,
                        data: ProfessionalUpdate) -> Professional:
    who.scope.require_role(*ADMINS)
    _require_professional(repo, who, professional_id)
    return repo.update(professional_id, data.model_dump(exclude_unset=True))


def link_professional(entities: EntityRepo, repo: ProfessionalRepo, who: Principal,
                      professional_id: UUID, entity_id: UUID) -> Professional:
    """Let a professional work for another entity too. The caller must see both."""
    who.scope.require_role(*ADMINS)
    _require_professional(repo, who, professional_id)
    entity = _require_entity(entities, who, entity_id)
    if not entity.active:
        raise Conflict("The entity is inactive")
    if not repo.link(professional_id, entity_id):
        raise Conflict("The professional is already linked to this entity")
    return repo.get_any(professional_id)


def unlink_professional(entities: EntityRepo, repo: ProfessionalRepo, who: Principal,
                        professional_id: UUID, entity_id: UUID) -> None:
    """An entity's admin may remove any professional from its own entity."""
    who.scope.require_role(*ADMINS)
    _require_entity(entities, who, entity_id)
    professional = repo.get_any(professional_id)
    if professional is None or entity_id not in professional.entity_ids:
        raise NotFound("Professional not found in this entity")
    if professional.entity_id == entity_id:
        raise Conflict("A professional cannot be unlinked from its own entity; deactivate it instead")
    repo.unlink(professional_id, entity_id)
