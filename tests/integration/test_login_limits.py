"""Login limits per account, on top of the per e-mail+IP limit: guessing one user's password
from many addresses locks that account for a while (progressively, capped), without the password
being checked while locked, and without telling whether the account exists."""
from __future__ import annotations

import json

import pytest

from doctorlive.settings import get_settings

RIGHT = "doctorlive-dev"
ADDRESSES = [f"203.0.113.{n}" for n in (21, 22, 23, 24)]


@pytest.fixture
def password_checks(monkeypatch):
    """The passwords actually compared (bcrypt), as a list."""
    from doctorlive.auth import passwords

    real, checked = passwords.verify_password, []

    def counting(password, password_hash):
        checked.append(password)
        return real(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return checked


def attempt(api, email, password, ip):
    return api.post("/api/v1/auth/login", {"email": email, "password": password}, ip=ip)


def twenty_wrong_from_four_addresses(api, email):
    return [attempt(api, email, f"wrong-{n}", ADDRESSES[n % 4]) for n in range(20)]


def let_time_pass(conn, email, seconds):
    """Move the account's recorded failures back in time, as if `seconds` had passed."""
    conn.execute("UPDATE rate_limit_hits SET hit_at = hit_at - make_interval(secs => %s) WHERE bucket = %s",
                 (seconds, f"login-account:{email}"))


def test_twenty_wrong_passwords_from_four_addresses_lock_the_account(api, password_checks):
    s = get_settings()
    replies = twenty_wrong_from_four_addresses(api, "admin@design.local")
    n = s.login_account_max_failures
    assert [r.status for r in replies] == [401] * n + [429] * (20 - n)
    assert len(password_checks) == n, "a locked account's passwords are not checked"
    # The right password, from an address that never failed, is refused too while locked.
    locked = attempt(api, "admin@design.local", RIGHT, "198.51.100.99")
    assert locked.status == 429
    assert 0 < int(locked.headers["retry-after"]) <= s.login_account_lock_seconds
    assert locked.json() == {"error": {"code": "too_many_requests", "message": "Too many failed logins, try again later",
                                       "details": {"retry_after": int(locked.headers["retry-after"])}}}
    assert len(password_checks) == n


def test_after_the_lock_the_right_password_works_and_resets_the_account(api, conn):
    s = get_settings()
    twenty_wrong_from_four_addresses(api, "admin@design.local")
    assert attempt(api, "admin@design.local", RIGHT, "198.51.100.99").status == 429
    let_time_pass(conn, "admin@design.local", s.login_account_lock_seconds + 1)
    assert attempt(api, "admin@design.local", RIGHT, "198.51.100.99").status == 200
    assert conn.execute("SELECT count(*) AS n FROM rate_limit_hits WHERE bucket = 'login-account:admin@design.local'"
                        ).fetchone()["n"] == 0


def test_the_lock_grows_with_continued_failures_but_is_capped(api, conn):
    s = get_settings()
    email, base = "admin@design.local", s.login_account_lock_seconds
    twenty_wrong_from_four_addresses(api, email)
    waits = []
    for ip in ("198.51.100.31", "198.51.100.32", "198.51.100.33"):
        let_time_pass(conn, email, waits[-1] if waits else base)
        assert attempt(api, email, "still-wrong", ip).status == 401  # one more try once unlocked
        locked = attempt(api, email, RIGHT, ip)
        assert locked.status == 429
        waits.append(int(locked.headers["retry-after"]))
    for wait, doubled in zip(waits, (base * 2, base * 4, base * 8), strict=True):
        assert doubled - 2 <= wait <= doubled, waits
    # However long the guessing went on, one lock never exceeds the cap.
    conn.execute("INSERT INTO rate_limit_hits (bucket) SELECT %s FROM generate_series(1, 40)", (f"login-account:{email}",))
    capped = attempt(api, email, RIGHT, "198.51.100.40")
    assert capped.status == 429
    assert s.login_account_max_lock_seconds - 5 <= int(capped.headers["retry-after"]) <= s.login_account_max_lock_seconds


def test_an_unknown_email_is_limited_exactly_like_an_account(api):
    known = twenty_wrong_from_four_addresses(api, "admin@design.local")
    unknown = twenty_wrong_from_four_addresses(api, "nobody@design.local")
    assert [r.status for r in unknown] == [r.status for r in known]
    for a, b in zip(known, unknown, strict=True):
        if a.status == 401:
            assert a.json() == b.json()
        else:
            assert a.json()["error"]["code"] == b.json()["error"]["code"] == "too_many_requests"
            assert a.json()["error"]["message"] == b.json()["error"]["message"]
            assert abs(int(a.headers["retry-after"]) - int(b.headers["retry-after"])) <= 5


def test_a_successful_login_resets_the_account_count(api):
    n = get_settings().login_account_max_failures
    for i in range(n - 1):
        assert attempt(api, "admin@clinica.local", "wrong", ADDRESSES[i % 4]).status == 401
    assert attempt(api, "admin@clinica.local", RIGHT, "198.51.100.50").status == 200
    # Another n - 1 failures (from other addresses: those first four have their own limit) do
    # not lock the account: the count started again.
    others = [f"198.51.100.{n}" for n in (51, 52, 53, 54)]
    for i in range(n - 1):
        assert attempt(api, "admin@clinica.local", "wrong", others[i % 4]).status == 401


def emf_metrics(captured: str) -> list[dict]:
    blobs = []
    for line in captured.splitlines():
        line = line.strip()
        if line.startswith("{") and '"_aws"' in line:
            blobs.append(json.loads(line))
    return blobs


def metric_total(blobs: list[dict], name: str) -> float:
    total = 0.0
    for blob in blobs:
        declared = {m["Name"]: m for d in blob["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
        if name in declared:
            assert declared[name]["Unit"] == "Count"
            assert blob["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "DoctorLive"
            value = blob[name]
            total += sum(value) if isinstance(value, list) else value
    return total


def test_failed_and_refused_logins_are_emitted_as_emf_metrics(api, capsys):
    capsys.readouterr()
    assert attempt(api, "admin@clinica.local", "wrong", "192.0.2.61").status == 401
    blobs = emf_metrics(capsys.readouterr().out)
    assert metric_total(blobs, "FailedLogins") == 1
    assert all("service" in b for b in blobs)
    for _ in range(4):
        attempt(api, "admin@clinica.local", "wrong", "192.0.2.61")
    capsys.readouterr()
    assert attempt(api, "admin@clinica.local", RIGHT, "192.0.2.61").status == 429
    blobs = emf_metrics(capsys.readouterr().out)
    assert metric_total(blobs, "RefusedLogins") == 1 and metric_total(blobs, "FailedLogins") == 0
    # A good login is no failure.
    assert attempt(api, "admin@clinica.local", RIGHT, "192.0.2.62").status == 200
    assert metric_total(emf_metrics(capsys.readouterr().out), "FailedLogins") == 0
