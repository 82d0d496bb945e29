"""What an operator is told: an alarm (to the alarm topic) on each platform metric that needs a
person, on the metric exactly as doctorlive.observability writes it, and one dashboard (cloud
stages) with the API's latency and errors, every dead-letter queue and those metrics."""
from __future__ import annotations

import json

import pytest

from tests.infra.cfn import app_functions, refs_in, resources
from tests.infra.conftest import STAGES


def _alarm_on(template: dict, metric: str) -> dict:
    [alarm] = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()
               if a["Properties"].get("MetricName") == metric]
    return alarm


def test_the_names_watched_are_the_names_written():
    from doctorlive import observability as obs
    from infra import agent, operations

    for name in ("FAILED_LOGINS", "REFUSED_LOGINS", "REFRESH_TOKEN_REUSE", "MAGIC_LINK_LOCKS",
                 "NOTIFICATIONS_FAILED", "NOTIFICATIONS_UNPUBLISHABLE", "AGENT_ERRORS"):
        assert getattr(operations, name) == getattr(obs, name)
    assert agent.SERVICE_NAME == obs.AGENT_SERVICE


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("metric", "period", "threshold"), [
    ("RefreshTokenReuse", 300, "refresh_reuse_alarm_threshold"),
    ("MagicLinkLocks", 300, "magic_link_lock_alarm_threshold"),
    ("NotificationsUnpublishable", 3600, None),
])
def test_each_security_and_delivery_metric_has_an_alarm_that_tells_someone(synth, stage, metric, period, threshold):
    from infra.config import stage_config

    template = synth.templates[stage]
    alarm = _alarm_on(template, metric)
    env = next(iter(app_functions(template).values()))["Properties"]["Environment"]["Variables"]
    assert alarm["Namespace"] == env["POWERTOOLS_METRICS_NAMESPACE"] == "DoctorLive"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": env["POWERTOOLS_SERVICE_NAME"]}]
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", period, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    expected = getattr(stage_config({"stage": stage}.get), threshold) if threshold else 1
    assert alarm["Threshold"] == expected
    topics = set(resources(template, "AWS::SNS::Topic"))
    assert any(refs_in(action) & topics for action in alarm["AlarmActions"]), "someone is told"


def test_a_threshold_can_be_set_from_the_context():
    from infra.config import stage_config

    config = stage_config({"stage": "prod", "refreshReuseAlarmThreshold": "2",
                           "magicLinkLockAlarmThreshold": "9"}.get)
    assert (config.refresh_reuse_alarm_threshold, config.magic_link_lock_alarm_threshold) == (2, 9)


def test_agent_errors_alarm_on_the_assistants_own_service(synth):
    """The fake-events stack has the assistant (its context sizes it): its errors alarm."""
    template = synth.templates["fake-events"]
    alarm = _alarm_on(template, "AgentErrors")
    [task] = resources(template, "AWS::ECS::TaskDefinition").values()
    [container] = task["Properties"]["ContainerDefinitions"]
    env = {e["Name"]: e["Value"] for e in container["Environment"]}
    assert alarm["Dimensions"] == [{"Name": "service", "Value": env["POWERTOOLS_SERVICE_NAME"]}]
    assert alarm["Namespace"] == env["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["AlarmActions"]


def _dashboard_body(template: dict) -> dict:
    [dashboard] = resources(template, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]
    # {"Fn::Join": ["", [parts...]]}: the references (queue names, the API's name) are tokens;
    # a placeholder stands for each.
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    return json.loads("".join(p if isinstance(p, str) else "TOKEN" for p in parts))


@pytest.mark.parametrize("stage", ["prod", "prod-options"])
def test_the_cloud_stages_have_one_dashboard_with_api_dlqs_and_platform_metrics(synth, stage):
    template = synth.templates[stage]
    body = _dashboard_body(template)
    metrics = [m for w in body["widgets"] for m in w["properties"].get("metrics", [])]
    names = {(m[0], m[1]) for m in metrics}
    assert {("AWS/ApiGateway", "Latency"), ("AWS/ApiGateway", "5XXError"),
            ("AWS/ApiGateway", "4XXError")} <= names
    dlq = [m for m in metrics if m[1] == "ApproximateNumberOfMessagesVisible"]
    assert len(dlq) == len(synth.stacks[stage].events.consumers)
    for name in ("FailedLogins", "RefreshTokenReuse", "MagicLinkLocks", "NotificationsFailed",
                 "NotificationsUnpublishable", "AgentErrors"):
        assert ("DoctorLive", name) in names, name
    [status] = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert len(status["properties"]["alarms"]) == len(resources(template, "AWS::CloudWatch::Alarm"))


def test_dev_has_its_alarms_but_no_dashboard_by_default(synth):
    """$3 a month beyond the account's first three dashboards: dev's idle cost (-c dashboard=true)."""
    template = synth.templates["dev"]
    assert not resources(template, "AWS::CloudWatch::Dashboard")
    assert _alarm_on(template, "MagicLinkLocks") and _alarm_on(template, "RefreshTokenReuse")


def test_the_local_stage_has_no_dashboard(synth):
    """LocalStack's free edition cannot create one; the alarms are there all the same."""
    template = synth.templates["local"]
    assert not resources(template, "AWS::CloudWatch::Dashboard")
    assert _alarm_on(template, "MagicLinkLocks")
