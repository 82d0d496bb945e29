"""The meeting assistant on Fargate: one ECS service running agent-container/Dockerfile, a
livekit-agents worker that LiveKit dispatches to each meeting's room.

- Where: the VPC's app subnets, which must have egress (the worker dials LiveKit over
  WebSocket/WebRTC and calls OpenAI), so the service exists only in cloud stages with a NAT
  gateway (`why_no_agent`). Its security group admits nothing; the database admits it on 5432.
- What it gets: the environment and the secret read grants of AGENT_NEEDS, made by the same
  FunctionFactory helpers as the Lambdas' (secrets by ARN; doctorlive.settings resolves them).
- Deploys never drop capacity (min healthy 100 %, max 200 %), a failing deploy rolls back
  (circuit breaker), and a stopped task has 120 s (Fargate's maximum) to drain its sessions.
- Scaling: CPU target tracking between agentDesiredCount and agentMaxCount; alarms when no
  task runs and when CPU stays high.
"""
from __future__ import annotations

from pathlib import Path

from aws_cdk import Aws, CfnOutput, Duration, IgnoreMode, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import alarms
from infra.config import StageConfig, parse_hours
from infra.data import AuroraDatabase, CloudNetwork
from infra.functions import FunctionFactory
from infra.nag import acknowledge

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = "agent-container/Dockerfile"  # relative to the build context, the repository root
# "notifications" + the topic: the organiser's notes e-mail is queued, sealed and published by
# the worker when it saves the summary (doctorlive.records.notes), as the API queues invitations.
AGENT_NEEDS = ("db", "livekit", "openai", "notifications", "topic:notifications:publish")
# The name LiveKit dispatches by: AGENT_NAME is what doctorlive.settings.agent_name reads (the
# worker passes it to rtc_session, which outranks livekit-agents' own LIVEKIT_AGENT_NAME); the
# dispatching functions use the settings' default, the same name (tests/infra checks it).
AGENT_NAME = "doctorlive-assistant"
SERVICE_NAME = "doctor-live-agent"  # POWERTOOLS_SERVICE_NAME: the agent's logs and metrics apart
HEALTH_PORT = 8081
# The worker's own health route (GET / -> 200); slim images have no curl. The Dockerfile's
# HEALTHCHECK runs the same probe.
HEALTH_PROBE = (f"import urllib.request; "
                f"urllib.request.urlopen('http://127.0.0.1:{HEALTH_PORT}/', timeout=4)")
STOP_TIMEOUT = Duration.seconds(120)  # SIGTERM, drain, then SIGKILL; 120 s is Fargate's maximum
CPU_HIGH_PERCENT = 85

# Fargate CPU units -> the memory sizes (MiB) it runs them with.
FARGATE_MEMORY: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}


def agent_hours(config: StageConfig) -> tuple[str, int, int] | None:
    """(cron days, start hour, stop hour) of -c agentHours="MON-FRI 07-19", or None (always on)."""
    return parse_hours("agentHours", config.agent_hours)


def why_no_agent(config: StageConfig) -> str | None:
    """Why the stage has no agent service, or None when it has one."""
    if not config.cloud:
        return "the local stage: LocalStack's free edition answers 501 for ECS"
    if not config.nat_gateways:
        return ("natGateways=0: the app subnets have no route out, and the meeting assistant "
                "must reach LiveKit and OpenAI; deploy with a NAT gateway to get it")
    return None


def check_agent_config(config: StageConfig) -> None:
    """Sizes and counts Fargate and the scaling would refuse only at deploy, refused at synth."""
    if config.agent_memory_mib not in FARGATE_MEMORY.get(config.agent_cpu, ()):
        sizes = ", ".join(f"{cpu}: {m[0]}-{m[-1]}" for cpu, m in FARGATE_MEMORY.items())
        raise ValueError(f"agentCpu={config.agent_cpu} with agentMemoryMiB={config.agent_memory_mib} is "
                         f"not a Fargate size (CPU units: MiB, in steps: {sizes})")
    if not 0 <= config.agent_desired_count <= config.agent_max_count:
        raise ValueError(f"need 0 <= agentDesiredCount ({config.agent_desired_count}) <= "
                         f"agentMaxCount ({config.agent_max_count})")
    if not 10 <= config.agent_cpu_target_percent <= 90:
        raise ValueError(f"agentCpuTargetPercent={config.agent_cpu_target_percent}: expected 10-90")
    hours = agent_hours(config)
    if config.agent_on_demand and hours:
        raise ValueError("agentOnDemand=true and agentHours: choose one (the capacity job sets the "
                         "floor on demand; the hours set it by the clock)")
    if config.agent_on_demand and config.agent_max_count < 1:
        raise ValueError("agentOnDemand=true needs agentMaxCount >= 1")


class AgentService(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, network: CloudNetwork,
                 database: AuroraDatabase, functions: FunctionFactory,
                 alarm_action: cloudwatch.IAlarmAction | None):
        super().__init__(scope, id)
        check_agent_config(config)
        self.hours = agent_hours(config) if config.agent_desired_count > 0 else None
        self.on_demand = config.agent_on_demand
        self.cluster = ecs.Cluster(
            self, "Cluster", vpc=network.vpc,
            container_insights_v2=(ecs.ContainerInsights.ENABLED if config.agent_container_insights
                                   else ecs.ContainerInsights.DISABLED))
        self.log_group = logs.LogGroup(self, "Logs", retention=config.log_retention,
                                       removal_policy=config.removal_policy)
        self.task_definition = ecs.FargateTaskDefinition(
            self, "Task",
            cpu=config.agent_cpu,
            memory_limit_mib=config.agent_memory_mib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX),
        )
        environment = {
            **functions.environment(AGENT_NEEDS),
            "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
            "AGENT_NAME": AGENT_NAME,
            "AWS_DEFAULT_REGION": Aws.REGION,
        }
        self.container = self.task_definition.add_container(
            "Worker",
            container_name="worker",
            image=ecs.ContainerImage.from_asset(
                str(REPO), file=DOCKERFILE, platform=ecr_assets.Platform.LINUX_AMD64,
                ignore_mode=IgnoreMode.DOCKER),  # the repository's .dockerignore
            environment=environment,
            logging=ecs.LogDrivers.aws_logs(stream_prefix="agent", log_group=self.log_group),
            health_check=ecs.HealthCheck(
                command=["CMD", "python", "-c", HEALTH_PROBE],
                interval=Duration.seconds(30), timeout=Duration.seconds(5), retries=3,
                # Loading the VAD and Whisper models and registering with LiveKit.
                start_period=Duration.seconds(60)),
            stop_timeout=STOP_TIMEOUT,
            # An init process as PID 1 forwards SIGTERM to the worker and reaps its job processes.
            linux_parameters=ecs.LinuxParameters(self, "LinuxParameters", init_process_enabled=True),
        )
        functions.grant(self.task_definition.task_role, AGENT_NEEDS)

        self.security_group = ec2.SecurityGroup(
            self, "SecurityGroup", vpc=network.vpc, allow_all_outbound=True,
            description="doctor-live meeting assistant: no ingress; out to LiveKit (WebRTC over "
                        "UDP/TCP), OpenAI, AWS APIs and the database")
        database.allow_client(self.security_group, "PostgreSQL from the meeting assistant")

        self.service = ecs.FargateService(
            self, "Service",
            cluster=self.cluster,
            task_definition=self.task_definition,
            # With agentHours, the schedule sets the count and a deploy keeps the current one
            # (no DesiredCount: CloudFormation leaves it; a new service starts with 1).
            # On demand, the capacity job sets it likewise.
            desired_count=None if self.hours or self.on_demand else config.agent_desired_count,
            vpc_subnets=network.app_subnets,
            security_groups=[self.security_group],
            assign_public_ip=False,
            platform_version=ecs.FargatePlatformVersion.LATEST,
            # A deploy starts the new tasks before it stops any old one.
            min_healthy_percent=100,
            max_healthy_percent=200,
            # A deploy whose tasks never get healthy fails fast and rolls back, instead of
            # CloudFormation waiting hours for the service to stabilize.
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            propagate_tags=ecs.PropagatedTagSource.SERVICE,
            enable_execute_command=False,
        )
        if config.agent_max_count > 0:
            # On demand, the capacity job moves both bounds (0/0 when nothing is due). A deploy
            # leaves them unless it changes this target (then it writes 0/0 back and the job
            # corrects it within a minute); drift detection reports the job's values.
            scaling = self.service.auto_scale_task_count(
                min_capacity=0 if self.on_demand else config.agent_desired_count,
                max_capacity=0 if self.on_demand else config.agent_max_count)
            scaling.scale_on_cpu_utilization(
                "CpuScaling", target_utilization_percent=config.agent_cpu_target_percent,
                scale_out_cooldown=Duration.minutes(2),
                # Removing a task ends the assistant in its meetings after the 120 s drain.
                scale_in_cooldown=Duration.minutes(15))
            if self.hours:
                # Outside the hours, no task (no cost); at the start, the floor back to
                # agentDesiredCount. A task stopped at the end drains for its 120 s.
                days, start, stop = self.hours
                zone = TimeZone.of(config.agent_time_zone)
                scaling.scale_on_schedule(
                    "Start", time_zone=zone,
                    schedule=appscaling.Schedule.cron(minute="0", hour=str(start), week_day=days),
                    min_capacity=config.agent_desired_count, max_capacity=config.agent_max_count)
                scaling.scale_on_schedule(
                    "Stop", time_zone=zone,
                    schedule=appscaling.Schedule.cron(minute="0", hour=str(stop), week_day=days),
                    min_capacity=0, max_capacity=0)

        self.alarms: list[cloudwatch.Alarm] = []
        if config.agent_desired_count > 0 and not self.hours and not self.on_demand:
            # ECS publishes a service's CPU metric only while a task runs: no data = no task.
            self.alarms.append(cloudwatch.Alarm(
                self, "NoRunningTaskAlarm",
                alarm_description=f"doctor-live {config.name}: no meeting-assistant task is running "
                                  "(meetings get no assistant)",
                metric=self.service.metric_cpu_utilization(period=Duration.minutes(1),
                                                           statistic="SampleCount"),
                threshold=1, evaluation_periods=5,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING))
        self.alarms.append(alarms.at_least(
            self, "CpuHighAlarm",
            description=f"doctor-live {config.name}: meeting-assistant CPU >= {CPU_HIGH_PERCENT}% "
                        "for 15 minutes (transcription falls behind; raise agentMaxCount or agentCpu)",
            metric=self.service.metric_cpu_utilization(period=Duration.minutes(5), statistic="Average"),
            threshold=CPU_HIGH_PERCENT, periods=3))
        if alarm_action:
            for alarm in self.alarms:
                alarm.add_alarm_action(alarm_action)

        # What the capacity job scales (Application Auto Scaling's resource id of the service).
        self.resource_id = f"service/{self.cluster.cluster_name}/{self.service.service_name}"
        CfnOutput(scope, "AgentClusterName", value=self.cluster.cluster_name)
        CfnOutput(scope, "AgentServiceName", value=self.service.service_name)
        CfnOutput(scope, "AgentLogGroupName", value=self.log_group.log_group_name)

        acknowledge(
            self.task_definition, "AwsSolutions-ECS2",
            reason="The environment holds names, settings and Secrets Manager ARNs only, never a "
                   "secret value (tests/infra checks it); doctorlive.settings reads the values by ARN.")
        acknowledge(
            self.task_definition.execution_role, "AwsSolutions-IAM5[Resource::*]",
            reason="ecr:GetAuthorizationToken takes no resource; the image pull and log writes are "
                   "scoped to the asset repository and this service's log group.")
        if not config.agent_container_insights:
            acknowledge(
                self.cluster, "AwsSolutions-ECS4",
                reason=f"Stage {config.name}: Container Insights (~$6/month) is off to keep the idle "
                       "cost down; the service's CPU/memory metrics and its alarms work without it "
                       "(-c agentContainerInsights=true turns it on; prod has it).")
