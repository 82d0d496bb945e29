"""Entity administration through the deployed API: one Lambda per route, tenant isolation."""
from __future__ import annotations

import uuid


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_create_entity_then_department_then_the_other_tenant_sees_nothing(api, login):
    manager = login("manager@conexa.local")["access_token"]
    name = f"E2E Clinic {uuid.uuid4().hex[:6]}"
    created = api.post("/api/v1/entities", json={"name": name, "type": "medical_clinic", "max_participants": 8},
                       headers=bearer(manager))
    assert created.status_code == 201, created.text
    entity_id = created.json()["id"]

    department = api.post(f"/api/v1/entities/{entity_id}/departments", json={"name": "Cardiologia"},
                          headers=bearer(manager))
    assert department.status_code == 201, department.text
    listed = api.get(f"/api/v1/entities/{entity_id}/departments", headers=bearer(manager))
    assert [d["name"] for d in listed.json()] == ["Cardiologia"]

    other_tenant = login("admin@design.local")["access_token"]
    assert api.get(f"/api/v1/entities/{entity_id}/departments", headers=bearer(other_tenant)).status_code == 404
    assert api.get(f"/api/v1/entities/{entity_id}", headers=bearer(other_tenant)).status_code == 404
    names = [e["name"] for e in api.get("/api/v1/entities", headers=bearer(other_tenant)).json()["items"]]
    assert names == ["Design Studio XYZ"]
    assert api.post("/api/v1/entities", json={"name": "Nope", "type": "x"},
                    headers=bearer(other_tenant)).status_code == 403
