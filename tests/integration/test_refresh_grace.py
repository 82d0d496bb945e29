"""Several tabs refreshing at once keep the session: inside a short grace window the same
spent refresh token returns the same successor; outside it, reuse still revokes the family."""
from __future__ import annotations

import threading

from doctorlive.auth import tokens


def test_two_concurrent_refreshes_both_succeed_with_the_same_successor(api, login):
    first = login("admin@clinica.local")
    barrier = threading.Barrier(2)
    replies = []

    def refresh():
        barrier.wait()
        replies.append(api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}))

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in replies] == [200, 200], [r.body for r in replies]
    successors = {r.json()["refresh_token"] for r in replies}
    assert len(successors) == 1 and first["refresh_token"] not in successors
    for r in replies:
        assert api.get("/api/v1/auth/me", token=r.json()["access_token"]).status == 200
    # The session lives on: the successor rotates normally.
    assert api.post("/api/v1/auth/refresh", {"refresh_token": successors.pop()}).status == 200


def test_reuse_after_the_grace_window_revokes_the_family(api, login, conn):
    first = login("admin@clinica.local")
    rotated = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}).json()
    conn.execute("UPDATE refresh_tokens SET used_at = used_at - interval '10 minutes' WHERE token_hash = %s",
                 (tokens.hash_token(first["refresh_token"]),))
    replay = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status == 401 and replay.json()["error"]["code"] == "refresh_token_reused"
    assert api.post("/api/v1/auth/refresh", {"refresh_token": rotated["refresh_token"]}).status == 401


def test_a_replay_inside_the_window_after_the_successor_was_spent_is_reuse(api, login):
    first = login("admin@clinica.local")
    second = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}).json()
    third = api.post("/api/v1/auth/refresh", {"refresh_token": second["refresh_token"]}).json()
    replay = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status == 401 and replay.json()["error"]["code"] == "refresh_token_reused"
    assert api.post("/api/v1/auth/refresh", {"refresh_token": third["refresh_token"]}).status == 401
