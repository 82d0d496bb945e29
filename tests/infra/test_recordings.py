"""Recordings in the CDK app: the bucket, who may write to it (LiveKit's egress, through a
put-only uploader whose key only the join function reads), and the retention job's alarm."""
from __future__ import annotations

import pytest

from functions.events.wiring import EVENTS
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


def _id(stack, construct) -> str:
    return stack.get_logical_id(construct.node.default_child)


@pytest.mark.parametrize("stage", STAGES)
def test_recordings_bucket_expires_objects_as_a_backstop_to_the_job(synth, stage):
    stack, template = synth.stacks[stage], synth.templates[stage]
    bucket = props(template, _id(stack, stack.resources.buckets["recordings"]))
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] > 365


@pytest.mark.parametrize("stage", ("dev", "prod"))
def test_the_uploader_may_only_put_recordings_and_its_key_is_never_in_the_template(synth, stage):
    stack, template = synth.stacks[stage], synth.templates[stage]
    user = _id(stack, stack.recordings.user)
    bucket = _id(stack, stack.resources.buckets["recordings"])
    statements = [st for owner, st in policy_statements(template)
                  if user in refs_in(props(template, owner).get("Users", [])) or owner == user]
    assert statements and all(as_list(st["Action"]) == ["s3:PutObject"] for st in statements)
    assert all(refs_in(st["Resource"]) == {bucket} and "/recordings/*" in str(st["Resource"])
               for st in statements)
    secret = props(template, _id(stack, stack.recordings.secret))
    (key,) = resources(template, "AWS::IAM::AccessKey")
    assert {"Fn::GetAtt": [key, "SecretAccessKey"]} in secret["SecretString"]["Fn::Join"][1]
    assert "GenerateSecretString" not in secret


@pytest.mark.parametrize("stage", STAGES)
def test_only_the_join_function_reads_the_uploader_key(synth, stage):
    stack, template = synth.stacks[stage], synth.templates[stage]
    secret = _id(stack, stack.recordings.secret)
    readers = {lid for lid, fn in resources(template, "AWS::Lambda::Function").items()
               if secret in refs_in(fn["Properties"].get("Environment", {}).get("Variables", {})
                                    .get("RECORDINGS_SECRET_ARN", ""))}
    assert readers == {_id(stack, stack.api.functions["rooms_join"])}


@pytest.mark.parametrize("stage", STAGES)
def test_the_retention_job_runs_hourly_deletes_recordings_and_alarms_when_it_fails(synth, stage):
    stack, template = synth.stacks[stage], synth.templates[stage]
    consumer = stack.events.consumers["retention-purge"]
    fn = _id(stack, consumer.function)
    env = props(template, fn)["Environment"]["Variables"]
    assert refs_in(env["RECORDINGS_BUCKET"]) == {_id(stack, stack.resources.buckets["recordings"])}
    role = ref_id(props(template, fn)["Role"])
    actions = {a for st in role_policies(template, role) for a in as_list(st["Action"]) if a.startswith("s3:")}
    assert actions == {"s3:DeleteObject"}
    (rule,) = [r["Properties"] for r in resources(template, "AWS::Events::Rule").values()
               if refs_in(r["Properties"]["Targets"]) & {_id(stack, consumer.queue)}]
    # Hourly, unless the stage runs its jobs together (dev: three times a working day, test_cost.py).
    assert rule["ScheduleExpression"] == (stack.config.job_schedule or "rate(1 hour)")
    alarm = props(template, _id(stack, consumer.failures_alarm))
    assert alarm["MetricName"] == "Errors" and alarm["Namespace"] == "AWS/Lambda"
    assert alarm["Threshold"] == 1 and alarm["AlarmActions"]
    assert refs_in(alarm["Dimensions"]) == {fn}


def test_every_schedule_row_alarms_on_its_failures(synth):
    stack = synth.stacks["fake-events"]
    schedules = [c for c in stack.events.consumers.values() if c.row.kind == "schedule"]
    assert {c.row.name for c in schedules} >= {"fake-nightly", *(r.name for r in EVENTS if r.kind == "schedule"
                                                                  and "assistant:scale" not in r.needs)}
    assert all(c.failures_alarm is not None for c in schedules)
    assert all(c.failures_alarm is None for c in stack.events.consumers.values() if c.row.kind != "schedule")
