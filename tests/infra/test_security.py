"""Least privilege and no secret values anywhere in the templates; cdk-nag clean."""
from __future__ import annotations

import json
import re

import pytest

from tests.infra.cfn import (
    as_list,
    policy_statements,
    props,
    ref_id,
    refs_in,
    resources,
    role_policies,
)
from tests.infra.conftest import STAGES

# Services whose actions touch data; never granted on "*".
DATA_SERVICES = ("s3", "secretsmanager", "sqs", "sns", "kms", "rds-data", "rds-db", "dynamodb",
                 "ssm", "lambda", "logs")
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|API_KEY|CREDENTIAL", re.IGNORECASE)


@pytest.mark.parametrize("stage", [*STAGES, "fake-events"])
def test_no_wildcard_actions_and_no_data_actions_on_every_resource(synth, stage):
    for owner, st in policy_statements(synth.templates[stage]):
        if st.get("Effect") != "Allow":
            continue
        actions = as_list(st.get("Action", []))
        assert not any(a == "*" or a.endswith(":*") for a in actions), (owner, st)
        if "*" in as_list(st.get("Resource", [])):
            data = [a for a in actions if a.split(":")[0] in DATA_SERVICES]
            assert not data, f"{owner} grants {data} on '*'"


def _secret_ids(template: dict) -> set[str]:
    return set(resources(template, "AWS::SecretsManager::Secret")) | \
        set(resources(template, "AWS::SecretsManager::SecretTargetAttachment"))


@pytest.mark.parametrize("stage", STAGES)
def test_functions_get_secret_arns_and_read_exactly_those(synth, stage):
    template = synth.templates[stage]
    secrets = _secret_ids(template)
    for lid, fn in resources(template, "AWS::Lambda::Function").items():
        p = fn["Properties"]
        if not p.get("Runtime", "").startswith("python"):
            continue
        env = p.get("Environment", {}).get("Variables", {})
        in_env = set()
        for name, value in env.items():
            if name.endswith("_SECRET_ARN"):
                (target,) = refs_in(value)
                assert target in secrets, (lid, name)
                in_env.add(target)
            elif SECRETISH.search(name):
                pytest.fail(f"{lid}: {name} looks like a secret value in the environment")
            else:
                assert not (isinstance(value, str) and len(value) > 200), (lid, name)
        readable = set()
        for st in role_policies(template, ref_id(p["Role"])):
            if any(a.startswith("secretsmanager:") for a in as_list(st["Action"])):
                readable |= refs_in(st["Resource"]) & secrets
        assert readable == in_env, f"{lid}: reads {sorted(readable)}, env names {sorted(in_env)}"


@pytest.mark.parametrize("stage", ("dev", "prod"))
def test_cloud_secrets_are_generated_never_literal(synth, stage):
    # The recordings uploader's secret refers to its access key resource (no literal value
    # either): tests/infra/test_recordings.py.
    stack = synth.stacks[stage]
    uploader = stack.get_logical_id(stack.recordings.secret.node.default_child)
    for lid, secret in resources(synth.templates[stage], "AWS::SecretsManager::Secret").items():
        if lid == uploader:
            continue
        p = secret["Properties"]
        assert "SecretString" not in p, lid
        assert "GenerateSecretString" in p, lid
        # The fields a person or the migrate job fills in start empty; RDS's holds the user name.
        template = json.loads(p["GenerateSecretString"].get("SecretStringTemplate", "{}"))
        assert all(v == "" for k, v in template.items() if k != "username"), lid


def test_local_stage_holds_only_the_passwordless_local_database_secret(synth):
    literal = [s["Properties"] for s in resources(synth.templates["local"], "AWS::SecretsManager::Secret").values()
               if "SecretString" in s["Properties"]]
    assert len(literal) == 1


def test_migrate_job_writes_only_the_jwt_secret(synth):
    for stage in STAGES:
        stack = synth.stacks[stage]
        template = synth.templates[stage]
        fn_id = stack.get_logical_id(stack.migrate.node.default_child)
        role = ref_id(props(template, fn_id)["Role"])
        writes = [st for st in role_policies(template, role)
                  if "secretsmanager:PutSecretValue" in as_list(st["Action"])]
        jwt = stack.get_logical_id(stack.node.find_child("Secrets").node.find_child("Jwt").node.default_child)
        assert len(writes) == 1 and refs_in(writes[0]["Resource"]) == {jwt}, stage
        env = props(template, fn_id)["Environment"]["Variables"]
        assert refs_in(env["JWT_SECRET_ARN"]) == {jwt}


def test_cloud_stages_migrate_on_deploy_local_does_not(synth):
    for stage in ("dev", "prod"):
        stack, template = synth.stacks[stage], synth.templates[stage]
        (trigger,) = resources(template, "Custom::Trigger").values()
        fn_id = stack.get_logical_id(stack.migrate.node.default_child)
        versions = {k for k, v in resources(template, "AWS::Lambda::Version").items()
                    if ref_id(v["Properties"]["FunctionName"]) == fn_id}
        assert refs_in(trigger["Properties"]["HandlerArn"]) & versions
    assert resources(synth.templates["local"], "Custom::Trigger") == {}


def test_nag_report_is_clean(synth, validation_report):
    # The synth would have raised on any unacknowledged finding; the report says the same.
    violations = [v for r in validation_report.get("pluginReports", []) for v in r.get("violations", [])]
    assert violations == []


def test_every_acknowledgment_states_its_reason(synth):
    acknowledged = 0
    for stack in synth.stacks.values():
        metadata = json.loads((synth.outdir / f"{stack.artifact_id}.metadata.json").read_text())
        for path, entries in metadata.items():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":  # {rule id: reason}
                    for rule, reason in entry["data"].items():
                        assert len(reason.strip()) >= 30, (path, rule, reason)
                        acknowledged += rule.startswith("AwsSolutions::")
    assert acknowledged > 0


def test_nag_fails_a_synth_with_an_unacknowledged_finding(tmp_path):
    """The check is live: the same plugin registration rejects a plainly non-compliant queue."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_sqs as sqs

    from infra.nag import check_with_nag

    app = App(outdir=str(tmp_path), builtin_cloud_formation_validation=False)
    sqs.Queue(Stack(app, "Bad"), "NoDlqNoTls")
    check_with_nag(app)
    with pytest.raises(RuntimeError, match="AwsSolutions-SQS3"):
        app.synth()
