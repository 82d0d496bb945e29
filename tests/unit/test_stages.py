"""One stage vocabulary (doctorlive.stages): `local` runs the dev conveniences, the cloud stages
(`dev`, `prod`) refuse them; a deployed function fails at cold start without what its needs promise."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from doctorlive import needs
from doctorlive.stages import STAGES, CloudStageRefusal, is_cloud

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stage(monkeypatch):
    """Run the test's code in a stage: settings are read again with STAGE (and what it sets)."""
    from doctorlive import settings

    def _in(name: str, **env: str) -> None:
        monkeypatch.setenv("STAGE", name)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings.get_settings.cache_clear()

    yield _in
    monkeypatch.undo()
    settings.get_settings.cache_clear()


def test_the_vocabulary_is_the_cdk_apps():
    from infra.config import DEFAULTS

    assert STAGES == ("local", "dev", "prod") and set(DEFAULTS) == set(STAGES)
    assert [s for s in STAGES if is_cloud(s)] == ["dev", "prod"]
    assert [DEFAULTS[s].cloud for s in STAGES] == [False, True, True]
    with pytest.raises(ValueError, match="unknown stage 'test'"):
        is_cloud("test")


def test_settings_refuse_a_stage_outside_the_vocabulary(stage):
    from pydantic import ValidationError

    from doctorlive.settings import Settings

    assert Settings().stage in STAGES
    for name in ("staging", "production", "test", "DEV"):
        with pytest.raises(ValidationError, match="stage"):
            Settings(stage=name)


def test_the_seed_refuses_every_cloud_stage(stage, capsys):
    from doctorlive import seed

    for name in ("dev", "prod"):
        # No database behind this URL: a seed that ran would fail on connecting, not return 2.
        stage(name, DATABASE_URL="postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
        assert seed.main() == 2
        assert f"refusing to seed dev users in stage {name!r}" in capsys.readouterr().err


def test_sealing_generates_no_key_in_a_cloud_stage(stage, monkeypatch):
    from doctorlive.notifications import sealing
    from doctorlive.notifications.models import Secret

    monkeypatch.delenv("NOTIFICATION_KEY", raising=False)
    monkeypatch.delenv("NOTIFICATION_KEY_FILE", raising=False)
    stage("dev")
    with pytest.raises(RuntimeError, match="No notification key"):
        sealing.seal(Secret(link="https://room.example/join#token=t", password="12345678"), uuid4())
    stage("local")  # the dev stack's and the tests' generated key
    nid = uuid4()
    assert sealing.unseal(sealing.seal(Secret(link="l", password="12345678"), nid), nid).password == "12345678"


def test_the_api_answers_every_origin_only_locally(stage):
    from doctorlive.web import build_app

    stage("local")
    build_app("local")  # CORS_ORIGINS defaults to ["*"]
    stage("prod")
    with pytest.raises(CloudStageRefusal, match="CORS for every origin"):
        build_app("prod")
    stage("dev", CORS_ORIGINS='["https://admin.example.org"]')
    build_app("dev")


def test_a_cloud_stage_of_the_cdk_app_refuses_cors_for_every_origin():
    from infra.config import stage_config

    assert stage_config({"stage": "local"}.get).cors_origins == ("*",)
    for name in ("dev", "prod"):
        with pytest.raises(ValueError, match="does not answer every origin"):
            stage_config({"stage": name, "corsOrigins": "https://a.example,*"}.get)


# ---- needs, checked at cold start -------------------------------------------------------------

ROOMS_CREATE = ("db", "jwt", "notifications", "topic:notifications:publish")
DEPLOYED = {"DB_SECRET_ARN": "arn:db", "JWT_SECRET_ARN": "arn:jwt",
            "NOTIFICATIONS_SECRET_ARN": "arn:n", "NOTIFICATIONS_TOPIC_ARN": "arn:topic"}


def test_a_deployed_function_without_what_its_needs_promise_fails_naming_it():
    env = {"STAGE": "prod", **DEPLOYED}
    needs.check("functions.api.rooms_create", ROOMS_CREATE, env)
    del env["NOTIFICATIONS_TOPIC_ARN"]
    with pytest.raises(needs.MissingConfiguration) as failed:
        needs.check("functions.api.rooms_create", ROOMS_CREATE, env)
    assert "functions.api.rooms_create" in str(failed.value)
    assert "topic:notifications:publish: NOTIFICATIONS_TOPIC_ARN" in str(failed.value)
    # The local stage on LocalStack is deployed by the CDK app too: the same promise holds.
    with pytest.raises(needs.MissingConfiguration, match="db: DB_SECRET_ARN"):
        needs.check("functions.api.health", ("db", "jwt"),
                    {"STAGE": "local", "AWS_LAMBDA_FUNCTION_NAME": "Health", "JWT_SECRET_ARN": "arn:jwt"})
    # The dev stack and the tests run handlers on local defaults: nothing to check.
    needs.check("functions.api.rooms_create", ROOMS_CREATE, {"STAGE": "local"})
    # SES is a cloud promise; buckets are named in every deployed stage.
    assert needs.missing(("email:send", "bucket:knowledge:write"), {}, cloud=True) == \
        ["email:send: EMAIL_BACKEND", "bucket:knowledge:write: KNOWLEDGE_BUCKET"]
    assert needs.missing(("email:send",), {}, cloud=False) == []


def test_an_api_function_checks_its_needs_on_its_first_invocation(stage, monkeypatch):
    from devstack.apigw import LambdaContext
    from doctorlive.web import Endpoint
    from functions.api.routes import route_for

    for var in DEPLOYED:
        monkeypatch.delenv(var, raising=False)
    stage("prod", CORS_ORIGINS='["https://admin.example.org"]')
    ep = Endpoint(route_for("functions.api.rooms_create"))  # importing, as the OpenAPI function does, is fine
    with pytest.raises(needs.MissingConfiguration, match="db: DB_SECRET_ARN; jwt: JWT_SECRET_ARN"):
        ep.handler({}, LambdaContext(function_name="rooms_create", aws_request_id="first"))


def test_an_event_function_checks_its_needs_when_it_is_loaded():
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_SECRET_ARN", "_BUCKET", "_TOPIC_ARN"))}
    env.update(STAGE="dev", PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "layers" / "core")]))
    loaded = subprocess.run([sys.executable, "-c", "import functions.events.retention_purge"],
                            check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert loaded.returncode != 0
    assert "functions.events.retention_purge was deployed without what its needs promise " \
           "(db: DB_SECRET_ARN; bucket:recordings:delete: RECORDINGS_BUCKET)" in loaded.stderr
