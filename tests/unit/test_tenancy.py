from uuid import uuid4

import pytest

from doctorlive.errors import Forbidden, NotFound
from doctorlive.tenancy import Role, Scope


def test_manager_scope_is_unrestricted():
    sql, params = Scope(Role.MANAGER, None).where("r.entity_id")
    assert (sql, params) == ("TRUE", {})


def test_entity_scope_filters_on_its_entity_and_hides_others():
    mine, other = uuid4(), uuid4()
    scope = Scope(Role.ENTITY_ADMIN, mine)
    sql, params = scope.where("r.entity_id")
    assert sql == "r.entity_id = %(scope_entity_id)s" and params == {"scope_entity_id": mine}
    scope.require_entity(mine)
    with pytest.raises(NotFound):
        scope.require_entity(other)


def test_role_requirement():
    with pytest.raises(Forbidden):
        Scope(Role.PROFESSIONAL, uuid4()).require_role(Role.MANAGER, Role.ENTITY_ADMIN)
