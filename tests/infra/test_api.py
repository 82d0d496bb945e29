"""The REST API is the route table: one method and one Lambda per row, nothing else."""
from __future__ import annotations

import pytest

from functions.api.routes import ROUTES
from tests.infra.cfn import api_methods, app_functions, props, ref_id, refs_in, resources
from tests.infra.conftest import STAGES


def integration_function(method: dict) -> str:
    """The logical id of the Lambda an AWS_PROXY integration invokes."""
    ids = sorted(refs_in(method["Integration"]["Uri"]))
    assert len(ids) == 1, method["Integration"]["Uri"]
    return ids[0]


@pytest.mark.parametrize("stage", STAGES)
def test_api_methods_are_exactly_the_route_table(synth, stage):
    methods = api_methods(synth.templates[stage])
    served = {key for key, m in methods.items() if key[0] != "OPTIONS"}
    assert served == {(r.method, r.path) for r in ROUTES}
    # The rest are CORS preflights answered by the gateway itself.
    assert all(m["Integration"]["Type"] == "MOCK" for key, m in methods.items() if key[0] == "OPTIONS")


@pytest.mark.parametrize("stage", STAGES)
def test_each_method_invokes_its_own_function_with_the_rows_handler(synth, stage):
    template = synth.templates[stage]
    methods = api_methods(template)
    seen = set()
    for route in ROUTES:
        method = methods[(route.method, route.path)]
        assert method["Integration"]["Type"] == "AWS_PROXY"
        assert method["AuthorizationType"] == "NONE"  # bearer JWTs are checked in the function
        fn = integration_function(method)
        assert props(template, fn)["Handler"] == route.handler
        seen.add(fn)
    assert len(seen) == len(ROUTES), "one Lambda per route"


def test_every_python_function_gets_the_dependency_and_core_layers(synth):
    for stage in STAGES:
        template = synth.templates[stage]
        # The cloud stages also hold CDK's AWS CLI layers (BucketDeployment, infra/sites.py).
        layers = {k: v for k, v in resources(template, "AWS::Lambda::LayerVersion").items()
                  if "CompatibleRuntimes" in v["Properties"]}
        assert len(layers) == 2
        for layer in layers.values():
            assert layer["Properties"]["CompatibleRuntimes"] == ["python3.11"]
        for fn in app_functions(template).values():
            p = fn["Properties"]
            assert p["Runtime"] == "python3.11" and p["Architectures"] == ["x86_64"]
            assert {ref_id(x) for x in p["Layers"]} == set(layers)


def test_functions_of_one_module_share_one_asset_and_others_differ(synth):
    template = synth.templates["dev"]
    methods = api_methods(template)
    keys = {props(template, integration_function(methods[(r.method, r.path)]))["Code"]["S3Key"]
            for r in ROUTES}
    assert len(keys) == len(ROUTES), "each route's function has its own code asset"


@pytest.mark.parametrize("stage", STAGES)
def test_api_stage_logs_traces_and_throttles(synth, stage):
    template = synth.templates[stage]
    (stage_props,) = [s["Properties"] for s in resources(template, "AWS::ApiGateway::Stage").values()]
    assert stage_props["StageName"] == stage
    assert stage_props["TracingEnabled"] is True
    assert stage_props["AccessLogSetting"]["Format"].startswith("{")  # JSON lines
    assert refs_in(stage_props["AccessLogSetting"]["DestinationArn"]) & set(resources(template, "AWS::Logs::LogGroup"))
    (settings,) = [m for m in stage_props["MethodSettings"] if m["HttpMethod"] == "*"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings.get("DataTraceEnabled") is False  # bodies carry passwords and tokens
    alarms = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()]
    assert any(a["MetricName"] == "5XXError" and a["Namespace"] == "AWS/ApiGateway" for a in alarms)


@pytest.mark.parametrize("stage", STAGES)
def test_functions_log_with_retention_and_trace(synth, stage):
    template = synth.templates[stage]
    groups = resources(template, "AWS::Logs::LogGroup")
    for lid, fn in app_functions(template).items():  # not CDK's own custom-resource providers
        p = fn["Properties"]
        assert p["TracingConfig"] == {"Mode": "Active"}, lid
        assert groups[ref_id(p["LoggingConfig"]["LogGroup"])]["Properties"]["RetentionInDays"] > 0
        env = p["Environment"]["Variables"]
        assert env["POWERTOOLS_SERVICE_NAME"] == "doctor-live" and env["LOG_LEVEL"]
        assert env["STAGE"] == stage


@pytest.mark.parametrize("stage", STAGES)
def test_stack_stays_well_under_cloudformations_500_resources(synth, stage):
    count = len(synth.templates[stage]["Resources"])
    # ~5 resources per route; past this, move the API functions into nested stacks.
    assert count <= 450, f"{stage}: {count} resources"


@pytest.mark.parametrize("stage", STAGES)
def test_a_burst_of_failed_logins_raises_an_alarm_on_the_login_metric(synth, stage):
    """The alarm watches the metric the login function emits (EMF: namespace, `service`
    dimension and name as doctorlive.observability writes them), summed over 5 minutes."""
    from doctorlive.observability import FAILED_LOGINS
    from infra.config import stage_config

    template = synth.templates[stage]
    [alarm] = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()
               if a["Properties"].get("MetricName") == FAILED_LOGINS]
    login_fn = next(fn["Properties"] for fn in app_functions(template).values()
                    if fn["Properties"]["Handler"] == "functions.api.auth_login.handler")
    env = login_fn["Environment"]["Variables"]
    assert alarm["Namespace"] == env["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": env["POWERTOOLS_SERVICE_NAME"]}]
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Threshold"] == stage_config({"stage": stage}.get).failed_login_alarm_threshold == 50
    assert alarm["TreatMissingData"] == "notBreaching"
    topics = set(resources(template, "AWS::SNS::Topic"))
    assert any(refs_in(action) & topics for action in alarm.get("AlarmActions", [])), "someone is told"


@pytest.mark.parametrize("stage", STAGES)
def test_browsers_may_send_an_idempotency_key(synth, stage):
    methods = api_methods(synth.templates[stage])
    preflight = methods[("OPTIONS", "/api/v1/rooms")]
    [response] = preflight["Integration"]["IntegrationResponses"]
    allowed = response["ResponseParameters"]["method.response.header.Access-Control-Allow-Headers"]
    assert "Idempotency-Key" in allowed.strip("'").split(",")


@pytest.mark.parametrize("stage", STAGES)
def test_recordings_are_private_encrypted_and_only_their_route_reads_them(synth, stage):
    """GET /api/v1/rooms/{id}/recordings presigns GETs of the recordings bucket: its function may
    read objects there (and nothing else of S3); no other API function may."""
    from tests.infra.cfn import as_list, role_policies

    template, stack = synth.templates[stage], synth.stacks[stage]
    bucket = stack.get_logical_id(stack.resources.buckets["recordings"].node.default_child)
    b = props(template, bucket)
    assert b["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert b["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] \
        == {"SSEAlgorithm": "AES256"}
    methods = api_methods(template)
    for route in ROUTES:
        fn = props(template, integration_function(methods[(route.method, route.path)]))
        s3 = [st for st in role_policies(template, ref_id(fn["Role"]))
              if any(a.startswith("s3:") for a in as_list(st["Action"])) and bucket in refs_in(st["Resource"])]
        if route.module == "rooms_recordings":
            assert [as_list(st["Action"]) for st in s3] == [["s3:GetObject"]]
            assert "RECORDINGS_BUCKET" in fn["Environment"]["Variables"]
        else:
            assert s3 == [], route.module


def test_every_stack_fits_cloudformations_resource_limit_with_room_to_grow(synth):
    """CloudFormation refuses a stack of more than 500 resources (the dev stage with the fake event
    rows reached 503 before the API functions shared one log group). Every route adds ~4
    (function, method, permission, path part): past this guard, move the API into a nested stack."""
    sizes = {key: len(template["Resources"]) for key, template in synth.templates.items()}
    assert all(n <= 470 for n in sizes.values()), sizes


@pytest.mark.parametrize("stage", STAGES)
def test_api_functions_share_one_log_group_with_the_stages_retention(synth, stage):
    template = synth.templates[stage]
    api = {lid: fn for lid, fn in app_functions(template).items()
           if fn["Properties"]["Handler"].startswith("functions.api.")}
    groups = {ref_id(fn["Properties"]["LoggingConfig"]["LogGroup"]) for fn in api.values()}
    assert len(api) > 40 and len(groups) == 1


@pytest.mark.parametrize("stage", STAGES)
def test_every_function_is_deployed_with_what_its_needs_promise(synth, stage):
    """What each function checks at its cold start (doctorlive.needs) is what the CDK app gives
    it, in every stage: a route or event row whose promise the app does not keep fails here,
    not on its first invocation after a deploy."""
    from doctorlive import needs
    from doctorlive.stages import is_cloud
    from functions.events.wiring import MIGRATE_NEEDS

    # Every event row, but the on-demand assistant's where the stage has none (infra/events.py).
    rows = {r.handler: r.needs for r in (*ROUTES, *synth.stacks[stage].events.rows)}
    rows["functions.events.migrate.handler"] = MIGRATE_NEEDS
    functions = app_functions(synth.templates[stage]).values()
    assert {fn["Properties"]["Handler"] for fn in functions} == set(rows)
    for fn in functions:
        handler, env = fn["Properties"]["Handler"], fn["Properties"]["Environment"]["Variables"]
        assert env["STAGE"] == stage
        assert needs.missing(rows[handler], env, cloud=is_cloud(stage)) == [], handler
