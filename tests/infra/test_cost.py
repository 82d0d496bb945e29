"""Idle cost options (infra/README.md's cost table): a NAT instance instead of a NAT gateway,
no RDS Proxy but a connection budget, the assistant only in its hours; and the costlier
options still there by context (the prod-options stack: -c dbProxy=true -c natProvider=gateway)."""
from __future__ import annotations

import pytest

from functions.api.routes import ROUTES
from functions.events.wiring import EVENTS
from infra.agent import agent_hours
from infra.config import stage_config
from infra.data import check_connection_budget, connection_budget, max_connections, nat_hours
from tests.infra.cfn import app_functions, props, ref_id, refs_in, resources

DEFAULT_CLOUD = ("dev", "prod")


def _env(fn: dict) -> dict:
    return fn["Properties"].get("Environment", {}).get("Variables", {})


def _app_subnet_routes(template: dict) -> list[dict]:
    """Default routes of the subnets the functions run in."""
    (fn, *_) = app_functions(template).values()
    subnets = {ref_id(s) for s in fn["Properties"]["VpcConfig"]["SubnetIds"]}
    tables = {ref_id(a["Properties"]["RouteTableId"])
              for a in resources(template, "AWS::EC2::SubnetRouteTableAssociation").values()
              if ref_id(a["Properties"]["SubnetId"]) in subnets}
    return [r["Properties"] for r in resources(template, "AWS::EC2::Route").values()
            if ref_id(r["Properties"]["RouteTableId"]) in tables
            and r["Properties"].get("DestinationCidrBlock") == "0.0.0.0/0"]


@pytest.mark.parametrize("stage", DEFAULT_CLOUD)
def test_egress_goes_through_one_nat_instance_not_a_nat_gateway(synth, stage):
    template = synth.templates[stage]
    assert resources(template, "AWS::EC2::NatGateway") == {}
    (instance_id, instance), = resources(template, "AWS::EC2::Instance").items()
    p = instance["Properties"]
    assert p["InstanceType"] == "t4g.nano" and p["SourceDestCheck"] is False
    assert [m["Ebs"]["Encrypted"] for m in p["BlockDeviceMappings"]] == [True]
    (nic,) = p["NetworkInterfaces"]
    assert nic["AssociatePublicIpAddress"] is True
    assert props(template, ref_id(nic["SubnetId"]))["MapPublicIpOnLaunch"] is True  # a public subnet
    # Every app subnet (functions, assistant) sends internet traffic to it.
    routes = _app_subnet_routes(template)
    assert routes and all(ref_id(r["InstanceId"]) == instance_id for r in routes)
    # It admits the VPC's own addresses only, never the internet.
    (sg_id,) = {ref_id(g) for g in nic["GroupSet"]}
    ingress = props(template, sg_id)["SecurityGroupIngress"]
    assert [refs_in(r["CidrIp"]) for r in ingress] == [{ref_id(props(template, sg_id)["VpcId"])}]
    # No interface endpoints (hourly cost) when there is a NAT.
    assert resources(template, "AWS::EC2::VPCEndpoint").keys() == {
        k for k, v in resources(template, "AWS::EC2::VPCEndpoint").items()
        if v["Properties"].get("VpcEndpointType", "Gateway") == "Gateway"}


def test_the_gateway_and_the_proxy_remain_options(synth):
    template = synth.templates["prod-options"]
    assert resources(template, "AWS::EC2::Instance") == {}
    (nat_id,) = resources(template, "AWS::EC2::NatGateway")
    assert all(ref_id(r["NatGatewayId"]) == nat_id for r in _app_subnet_routes(template))
    (proxy_id,) = resources(template, "AWS::RDS::DBProxy")
    for fn in app_functions(template).values():
        if "DB_SECRET_ARN" in _env(fn):
            assert refs_in(_env(fn)["DB_HOST_OVERRIDE"]) == {proxy_id}
        assert "ReservedConcurrentExecutions" not in fn["Properties"]  # -c apiReservedConcurrency=0
    # Always on: the assistant keeps its desired count and its no-task alarm.
    (service,) = resources(template, "AWS::ECS::Service").values()
    assert service["Properties"]["DesiredCount"] == 1
    (target,) = resources(template, "AWS::ApplicationAutoScaling::ScalableTarget").values()
    assert "ScheduledActions" not in target["Properties"]


@pytest.mark.parametrize("stage", DEFAULT_CLOUD)
def test_no_proxy_one_connection_per_container_and_capped_api_functions(synth, stage):
    template, config = synth.templates[stage], synth.stacks[stage].config
    assert resources(template, "AWS::RDS::DBProxy") == {}
    assert config.api_reserved_concurrency > 0
    db_functions = [fn for fn in app_functions(template).values() if "DB_SECRET_ARN" in _env(fn)]
    assert db_functions
    for fn in db_functions:
        assert "DB_HOST_OVERRIDE" not in _env(fn)
        assert _env(fn)["DB_POOL_MAX"] == "1"
    for fn in app_functions(template).values():
        reserved = fn["Properties"].get("ReservedConcurrentExecutions")
        if fn["Properties"]["Handler"].startswith("functions.api."):
            assert reserved == config.api_reserved_concurrency
        else:  # event functions: their rows' max_concurrency bounds them
            assert reserved is None


@pytest.mark.parametrize("stage", DEFAULT_CLOUD)
def test_connection_budget_fits_the_clusters_max_connections(synth, stage):
    budget = synth.stacks[stage].connection_budget
    config = synth.stacks[stage].config
    assert budget.api == len(ROUTES) * config.api_reserved_concurrency
    assert budget.total is not None and budget.total <= budget.limit
    assert budget.limit < max_connections(config.db_max_acu)


def test_connection_budget_refuses_too_many_and_warns_when_unbounded():
    def budget(**context):
        config = stage_config({"stage": "dev", **context}.get)
        return connection_budget(config, ROUTES, EVENTS, agent=True)

    assert max_connections(2) < max_connections(8) <= 5000
    with pytest.raises(ValueError, match="exceeds max_connections"):
        check_connection_budget(budget(apiReservedConcurrency="50", dbMaxAcu="1"))
    assert "apiReservedConcurrency" in check_connection_budget(budget(apiReservedConcurrency="0"))
    assert check_connection_budget(budget()) is None
    # An event consumer without max_concurrency is unbounded too.
    from dataclasses import replace
    config = stage_config({"stage": "dev"}.get)
    uncapped = (*EVENTS[:-1], replace(EVENTS[-1], max_concurrency=None))
    assert connection_budget(config, ROUTES, uncapped, agent=True).total is None


def test_prod_runs_the_assistant_on_demand_scaled_by_its_capacity_job(synth):
    """No task while no meeting needs one: the service starts at 0/0 and the assistant-capacity
    job (every minute) sets the bounds through Application Auto Scaling, on that service only."""
    template, stack = synth.templates["prod"], synth.stacks["prod"]
    (service_id, service), = resources(template, "AWS::ECS::Service").items()
    assert "DesiredCount" not in service["Properties"]  # a deploy keeps the job's count
    (target,) = resources(template, "AWS::ApplicationAutoScaling::ScalableTarget").values()
    p = target["Properties"]
    assert (p["MinCapacity"], p["MaxCapacity"]) == (0, 0) and "ScheduledActions" not in p
    assert refs_in(p["ResourceId"]) == {service_id, ref_id(service["Properties"]["Cluster"])}
    # No "no task" alarm: no task is the normal idle state.
    assert not [a for a in resources(template, "AWS::CloudWatch::Alarm").values()
                if a["Properties"].get("Statistic") == "SampleCount"]
    consumer = stack.events.consumers["assistant-capacity"]
    fn = props(template, stack.get_logical_id(consumer.function.node.default_child))
    env = fn["Environment"]["Variables"]
    assert refs_in(env["ASSISTANT_SCALABLE_TARGET"]) == refs_in(p["ResourceId"])
    assert env["ASSISTANT_MAX_TASKS"] == "4" and "LIVEKIT_SECRET_ARN" in env
    assert _job_schedules(template) >= {"rate(1 minute)"}
    role_id = ref_id(fn["Role"])
    statements = [st for pol in resources(template, "AWS::IAM::Policy").values()
                  if role_id in {ref_id(r) for r in pol["Properties"].get("Roles", [])}
                  for st in pol["Properties"]["PolicyDocument"]["Statement"]]
    by_action = {a: st for st in statements for a in (st["Action"] if isinstance(st["Action"], list) else [st["Action"]])}
    assert by_action["application-autoscaling:RegisterScalableTarget"]["Resource"] == "*"
    assert refs_in(by_action["ecs:UpdateService"]["Resource"]) == {service_id}
    assert "ecs:StopTask" not in by_action and "ecs:RunTask" not in by_action


def test_only_an_on_demand_stage_has_the_capacity_job(synth):
    for key in ("dev", "local", "fake-events", "prod-options"):
        assert "assistant-capacity" not in synth.stacks[key].events.consumers, key
    assert "assistant-capacity" in synth.stacks["prod"].events.consumers


def test_the_clinic_hours_remain_an_option():
    """-c agentOnDemand=false -c agentHours=...: scheduled scaling instead (checked at synth)."""
    hours = stage_config({"stage": "prod", "agentOnDemand": "false", "agentDesiredCount": "1",
                          "agentHours": "MON-FRI 07-19"}.get)
    assert agent_hours(hours) == ("MON-FRI", 7, 19) and not hours.agent_on_demand
    from infra.agent import check_agent_config
    with pytest.raises(ValueError, match="choose one"):
        check_agent_config(stage_config({"stage": "prod", "agentHours": "MON-FRI 07-19"}.get))
    with pytest.raises(ValueError, match="agentMaxCount"):
        check_agent_config(stage_config({"stage": "prod", "agentMaxCount": "0"}.get))


def test_dev_runs_no_assistant_task_unless_asked(synth):
    (service,) = resources(synth.templates["dev"], "AWS::ECS::Service").values()
    assert service["Properties"]["DesiredCount"] == 0
    (target,) = resources(synth.templates["dev"], "AWS::ApplicationAutoScaling::ScalableTarget").values()
    assert target["Properties"]["MinCapacity"] == 0


def test_cost_context_values_are_checked():
    assert agent_hours(stage_config({"stage": "dev", "agentHours": "mon-sat 6-22"}.get)) == ("MON-SAT", 6, 22)
    assert agent_hours(stage_config({"stage": "prod", "agentHours": ""}.get)) is None
    for bad in ("MON-FRI 19-07", "weekdays 7-19", "MON-FRI 7-24"):
        with pytest.raises(ValueError, match="agentHours"):
            agent_hours(stage_config({"stage": "dev", "agentHours": bad}.get))
    from aws_cdk import App

    from infra.stack import DoctorLiveStack
    config = stage_config({"stage": "dev", "natProvider": "nat-box"}.get)
    with pytest.raises(ValueError, match="natProvider"):
        DoctorLiveStack(App(context={"aws:cdk:bundling-stacks": []}), "Bad", config=config)


def _job_schedules(template: dict) -> set[str]:
    return {r["Properties"]["ScheduleExpression"] for r in resources(template, "AWS::Events::Rule").values()}


def _cluster_parameters(template: dict) -> dict:
    (group,) = resources(template, "AWS::RDS::DBClusterParameterGroup").values()
    return group["Properties"]["Parameters"]


def test_dev_lets_its_database_pause_when_nobody_uses_it(synth):
    """Aurora pauses only after `SecondsUntilAutoPause` with no connection at all: dev's jobs
    wake it together three times a working day (not every minute), the server closes the
    connection a frozen container keeps, and nothing else (no proxy) holds one open."""
    template = synth.templates["dev"]
    (cluster,) = resources(template, "AWS::RDS::DBCluster").values()
    scaling = cluster["Properties"]["ServerlessV2ScalingConfiguration"]
    assert scaling["MinCapacity"] == 0 and scaling["SecondsUntilAutoPause"] == 300
    assert _cluster_parameters(template)["idle_session_timeout"] == "60000"
    assert _job_schedules(template) == {"cron(0 8,12,16 ? * MON-FRI *)"}
    assert not resources(template, "AWS::RDS::DBProxy")


def test_prod_keeps_its_jobs_own_schedules_and_its_connections(synth):
    """prod never pauses (0.5 ACU floor): republish every minute, the purge hourly, and warm
    containers keep their connection."""
    template = synth.templates["prod"]
    assert _job_schedules(template) == {"rate(1 minute)", "rate(1 hour)"}
    assert "idle_session_timeout" not in _cluster_parameters(template)
    job_rows = {r.source.removeprefix("schedule:") for r in EVENTS if r.kind == "schedule"}
    assert job_rows == {"rate(1 minute)", "rate(1 hour)"}


def test_the_job_schedule_and_the_dashboard_are_stage_options():
    dev = stage_config({"stage": "dev"}.get)
    assert (dev.dashboard, dev.job_schedule) == (False, "cron(0 8,12,16 ? * MON-FRI *)")
    asked = stage_config({"stage": "dev", "dashboard": "true", "jobSchedule": "rate(1 hour)",
                          "dbIdleSessionTimeoutSeconds": "0"}.get)
    assert (asked.dashboard, asked.job_schedule, asked.db_idle_session_timeout_seconds) == (True, "rate(1 hour)", 0)
    assert stage_config({"stage": "prod"}.get).dashboard


def _nat_schedules(template: dict) -> dict[str, dict]:
    """The NAT instance's EventBridge Scheduler schedules, by EC2 action."""
    return {s["Properties"]["Target"]["Arn"]["Fn::Join"][1][-1].rsplit(":", 1)[-1]: s["Properties"]
            for s in resources(template, "AWS::Scheduler::Schedule").values()}


def test_dev_runs_its_nat_instance_in_working_hours_only(synth):
    """Outside natHours the instance is stopped: no instance-hours, and its auto-assigned
    public IPv4 (no Elastic IP) is released, so neither is billed."""
    template = synth.templates["dev"]
    (instance_id,) = resources(template, "AWS::EC2::Instance")
    assert resources(template, "AWS::EC2::EIP") == {}
    schedules = _nat_schedules(template)
    assert schedules.keys() == {"startInstances", "stopInstances"}
    assert schedules["startInstances"]["ScheduleExpression"] == "cron(0 7 ? * MON-FRI *)"
    assert schedules["stopInstances"]["ScheduleExpression"] == "cron(0 19 ? * MON-FRI *)"
    for schedule in schedules.values():
        assert schedule["ScheduleExpressionTimezone"] == "UTC"
        assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
        target = schedule["Target"]
        # The input names the NAT instance (a token, joined into the JSON at deploy).
        assert refs_in(target["Input"]) == {instance_id}
        assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == 3600
        # Its role may start and stop that instance and nothing else.
        role = props(template, ref_id(target["RoleArn"]))
        (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
        assert "aws:SourceAccount" in trust["Condition"]["StringEquals"]
    policies = [p for p in resources(template, "AWS::IAM::Policy").values()
                if ref_id(schedules["startInstances"]["Target"]["RoleArn"]) in
                {ref_id(r) for r in p["Properties"].get("Roles", [])}]
    ((statement,),) = [p["Properties"]["PolicyDocument"]["Statement"] for p in policies]
    assert sorted(statement["Action"]) == ["ec2:StartInstances", "ec2:StopInstances"]
    assert refs_in(statement["Resource"]) == {instance_id}


def test_dev_jobs_run_while_its_nat_runs(synth):
    """Republishing needs SNS, reached through the NAT: dev's jobs (UTC, as every EventBridge
    rule) fall on the NAT's days and inside its hours."""
    config = synth.stacks["dev"].config
    days, start, stop = nat_hours(config)
    assert config.nat_time_zone == "UTC"
    minute, hours, _, _, weekdays, _ = config.job_schedule.removeprefix("cron(").removesuffix(")").split()
    assert weekdays == days and minute == "0"
    assert all(start <= int(h) < stop for h in hours.split(","))


def test_prod_and_the_options_keep_their_nat_running(synth):
    for key in ("prod", "prod-options"):
        assert resources(synth.templates[key], "AWS::Scheduler::Schedule") == {}
        assert nat_hours(synth.stacks[key].config) is None


def test_nat_hours_are_checked():
    assert nat_hours(stage_config({"stage": "prod", "natHours": "mon-sun 0-23"}.get)) == ("MON-SUN", 0, 23)
    assert nat_hours(stage_config({"stage": "dev", "natHours": ""}.get)) is None
    with pytest.raises(ValueError, match="natHours"):
        nat_hours(stage_config({"stage": "dev", "natHours": "nights"}.get))
    from aws_cdk import App

    from infra.stack import DoctorLiveStack
    config = stage_config({"stage": "dev", "natProvider": "gateway"}.get)
    with pytest.raises(ValueError, match="natHours.*cannot be stopped"):
        DoctorLiveStack(App(context={"aws:cdk:bundling-stacks": []}), "Bad", config=config)
