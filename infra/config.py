"""What differs between stages, in one place. Chosen with `-c stage=dev|prod|local`.

Each field can also be overridden on the command line in camelCase, e.g.
`cdk deploy -c stage=dev -c dbProxy=true -c alarmEmail=ops@example.org`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs

from devstack import ports
from doctorlive.stages import STAGES, Stage, is_cloud
from infra.packaging import CLOUD_PLATFORMS, HOST_PLATFORMS

RETENTION = {1: logs.RetentionDays.ONE_DAY, 3: logs.RetentionDays.THREE_DAYS,
             7: logs.RetentionDays.ONE_WEEK, 14: logs.RetentionDays.TWO_WEEKS,
             30: logs.RetentionDays.ONE_MONTH, 90: logs.RetentionDays.THREE_MONTHS,
             180: logs.RetentionDays.SIX_MONTHS, 365: logs.RetentionDays.ONE_YEAR}


@dataclass(frozen=True)
class StageConfig:
    name: Stage

    # Aurora Serverless v2, in ACUs (1 ACU ~ 2 GiB). 0 = auto-pause when idle (resumes in ~15 s
    # on the next connection), so the idle database costs storage only.
    db_min_acu: float = 0.0
    db_max_acu: float = 2.0
    db_auto_pause_minutes: int = 10
    # Seconds after which the server closes a connection that sits idle outside a transaction
    # (Postgres' idle_session_timeout; 0 = never). A frozen Lambda container never closes its
    # pool's connection, and any open connection keeps Aurora from pausing: where the stage
    # pauses, the server closes them instead (the pool checks a connection before lending it and
    # reconnects, so the next request pays a new connection).
    db_idle_session_timeout_seconds: int = 0
    # RDS Proxy pools connections from many Lambda containers, but on Serverless v2 it bills a
    # minimum of 8 ACUs (~$88/month) and its open connections keep the database from pausing.
    # Worth it where concurrency is real (prod); dev Lambdas connect to the writer directly.
    db_proxy: bool = False
    db_backup_days: int = 1
    db_deletion_protection: bool = False
    # Seconds a Lambda waits for a database connection; covers an auto-paused cluster resuming.
    db_connect_timeout: int = 20

    # RDS Proxy off: each Lambda container holds at most `db_pool_max` connections (it serves one
    # request at a time) and `api_reserved_concurrency` caps the API functions' containers, so
    # the worst case stays under the cluster's max_connections (infra/data.py:
    # connection_budget, checked at synth; infra/README.md).
    db_pool_max: int = 1
    # Reserved concurrency of each API function (0 = none, the account's unreserved pool): the
    # bound on their connections when there is no proxy. Event functions are bounded by their
    # rows' max_concurrency.
    api_reserved_concurrency: int = 0

    # Egress to the internet (OpenAI, LiveKit, WhatsApp) for the app subnets: how many NATs
    # (0 = none) and which kind. "instance": one EC2 NAT instance per NAT (CDK's
    # NatProvider.instanceV2, Amazon Linux 2023, `nat_instance_type`; ~$7.40/month with its
    # public IPv4 and disk; no managed failover: EC2 recovers it on host failure, a deploy
    # replaces it). "gateway": a managed NAT gateway (~$36.50/month with its IPv4). With 0 the
    # functions reach Secrets Manager (and SNS) through interface endpoints instead and nothing
    # that calls OpenAI, LiveKit or WhatsApp works.
    nat_gateways: int = 1
    nat_provider: str = "instance"
    nat_instance_type: str = "t4g.nano"
    # When the NAT instance runs, e.g. "MON-FRI 07-19" (as agent_hours), in nat_time_zone: an
    # EventBridge Scheduler schedule starts it at the first hour and stops it at the second, so
    # outside the hours neither the instance nor its public IPv4 (released when it stops) is
    # billed, and nothing in the app subnets reaches the internet (OpenAI, LiveKit, WhatsApp,
    # Secrets Manager, SNS: requests fail until it starts). Empty: always running. Instance
    # NAT only (a NAT gateway cannot be stopped).
    nat_hours: str = ""
    nat_time_zone: str = "UTC"
    # AZs that get an ENI of each interface endpoint, when there is no NAT (~$7.30/month each).
    endpoint_azs: int = 1

    log_retention_days: int = 14
    log_level: str = "INFO"
    throttle_rate: int = 50     # requests/s, stage-wide
    throttle_burst: int = 100
    # When the scheduled jobs (notify-republish, retention-purge) run, as an EventBridge schedule
    # expression for both (UTC); empty: each row's own (functions/events/wiring.py: republish
    # every minute, purge hourly). Each run wakes the database: a stage that should pause runs
    # them together, rarely, and inside nat_hours (republishing needs SNS, through the NAT).
    job_schedule: str = ""
    # The stage's CloudWatch dashboard (infra/operations.py; $3/month beyond an account's first
    # three). The alarms are there either way.
    dashboard: bool = True
    api_5xx_alarm_threshold: int = 5  # 5xx responses per 5 minutes
    # Failed logins (wrong credentials, all accounts) per 5 minutes: a burst means someone is
    # guessing passwords or trying leaked ones (the per-account and per-address limits slow
    # them down; this tells a person)
    failed_login_alarm_threshold: int = 50
    # Refresh tokens presented again after their grace window, per 5 minutes: each one revoked
    # a session (a copied token, or a client that keeps old tokens); a few mean theft or a bug.
    refresh_reuse_alarm_threshold: int = 5
    # Invitation links locked by wrong passwords, per 5 minutes (someone guessing passwords).
    magic_link_lock_alarm_threshold: int = 5
    alarm_email: str = ""
    # Sender of notification e-mails through SES (a verified identity); empty: settings' default.
    email_from: str = ""
    # Origins the API answers (CORS) besides the stage's own sites: the cloud stages add their
    # CloudFront URLs (infra/sites.py) to this list, so their default is none; the local stage
    # (no sites) answers any origin.
    cors_origins: tuple[str, ...] = ("*",)
    # Where links in messages point (ROOM_SITE_URL / ADMIN_SITE_URL on the functions that need
    # "notifications"); empty: the stage's CloudFront URL (cloud) or the settings' default (local).
    # Set them when the sites get custom domains.
    room_site_url: str = ""
    admin_site_url: str = ""
    # LiveKit hosts the room site may connect to (CSP connect-src, as wss:// and https://).
    livekit_hosts: tuple[str, ...] = ("*.livekit.cloud",)
    # WhatsApp Cloud API settings of notify_whatsapp (functions that need "whatsapp"); empty:
    # not set (the settings' defaults; the phone number id may also come from the secret).
    whatsapp_phone_number_id: str = ""
    whatsapp_template_invitation: str = ""
    whatsapp_template_cancellation: str = ""
    # The meeting assistant (infra/agent.py): a livekit-agents worker on Fargate, cloud stages
    # with a NAT only. Tasks at deploy and the scaling floor (0 = none: the first deploy, before
    # the LiveKit secret is filled in), the scaling ceiling, the CPU target; size in Fargate
    # units (1024 = 1 vCPU) and MiB: 2 vCPU / 4 GiB runs Whisper base on CPU for a few speakers.
    agent_desired_count: int = 1
    agent_max_count: int = 2
    # When the assistant runs, e.g. "MON-FRI 07-19" (days as cron's day-of-week, hours 0-23):
    # scheduled scaling raises the floor to agent_desired_count at the first hour and takes the
    # service to 0 tasks at the second, in agent_time_zone (IANA name). Empty: always at
    # agent_desired_count. Each task-hour costs ~$0.099 (2 vCPU / 4 GiB, infra/README.md).
    agent_hours: str = ""
    agent_time_zone: str = "UTC"
    # The assistant on demand: no task while no meeting needs one. A job (assistant-capacity,
    # every minute; doctorlive.assistant.capacity) sets the floor to the meetings due (from 15
    # minutes before a meeting's start to 15 after its end, or while it runs), one task per
    # `assistant_meetings_per_task` of them, up to agent_max_count; 0 tasks when none. Excludes
    # agent_hours; agent_desired_count is then only the first deploy's count (0 is fine).
    agent_on_demand: bool = False
    agent_cpu_target_percent: int = 60
    agent_cpu: int = 2048
    agent_memory_mib: int = 4096
    # Container Insights (~$6/month for the cluster and its one service): task counts and
    # per-task figures; the service's own CPU/memory metrics and the alarms work without it.
    # Off in every stage by default (idle cost); -c agentContainerInsights=true.
    agent_container_insights: bool = False
    # Where the local stage's functions find the embedded Postgres (host side of LocalStack).
    local_db_port: int = ports.POSTGRES_DEV
    # Wheel platforms of the dependency layer: what the stage's Lambda runtime can load
    # (infra/packaging.py: AWS's python3.11 = manylinux2014; LocalStack's executor = this host).
    layer_platforms: tuple[str, ...] = CLOUD_PLATFORMS

    @property
    def cloud(self) -> bool:
        """False for `local` (LocalStack): no VPC, no Aurora, no RDS Proxy, no custom resources."""
        return is_cloud(self.name)

    @property
    def removal_policy(self) -> RemovalPolicy:
        return RemovalPolicy.RETAIN if self.name == "prod" else RemovalPolicy.DESTROY

    @property
    def log_retention(self) -> logs.RetentionDays:
        try:
            return RETENTION[self.log_retention_days]
        except KeyError:
            raise ValueError(f"log retention must be one of {sorted(RETENTION)} days") from None

    @property
    def stack_name(self) -> str:
        return f"DoctorLive-{self.name}"


DEFAULTS: dict[Stage, StageConfig] = {
    # dev: no assistant task unless asked for (-c agentDesiredCount=1, or agentHours=...):
    # a task idles at ~$72/month, seven times dev's target.
    # Its database pauses when idle: 5 idle minutes (Aurora's least), connections of frozen
    # containers closed after a minute, the jobs together three times a working day (a
    # notification that could not be published waits up to that long, over a weekend until
    # Monday; recordings are purged up to that late).
    # Its NAT instance runs in working hours only (-c natHours= keeps it running: +$4.32/month);
    # outside them dev's functions reach nothing outside the VPC and fail.
    # No dashboard (-c dashboard=true adds it). Idle cost: infra/README.md.
    "dev": StageConfig(name="dev", cors_origins=(), agent_desired_count=0, api_reserved_concurrency=2,
                       db_auto_pause_minutes=5, db_idle_session_timeout_seconds=60,
                       job_schedule="cron(0 8,12,16 ? * MON-FRI *)", dashboard=False,
                       nat_hours="MON-FRI 07-19"),
    "prod": StageConfig(
        name="prod",
        cors_origins=(),
        db_min_acu=0.5,  # no auto-pause: a first request never waits for a resume
        db_max_acu=8.0,
        db_backup_days=14,
        db_deletion_protection=True,
        db_connect_timeout=5,
        # No RDS Proxy (its 8-ACU minimum is $87.60/month): the connection budget instead
        # (infra/data.py: connection_budget), every API function capped at 10 containers.
        api_reserved_concurrency=10,
        endpoint_azs=2,
        log_retention_days=90,
        throttle_rate=200,
        throttle_burst=400,
        api_5xx_alarm_threshold=1,
        agent_max_count=4,
        # The assistant on demand: a task only while a meeting needs it (nothing idle). Instead,
        # -c agentOnDemand=false -c agentDesiredCount=1 -c agentHours="MON-FRI 07-19" runs one in
        # clinic hours (Europe/Berlin; ~261 task-hours, ~$25.80 a month), without agentHours
        # around the clock.
        agent_on_demand=True,
        agent_desired_count=0,
        agent_time_zone="Europe/Berlin",
    ),
    "local": StageConfig(
        name="local", db_connect_timeout=5, log_retention_days=1, log_level="DEBUG",
        api_5xx_alarm_threshold=1, layer_platforms=HOST_PLATFORMS,
    ),
}


HOURS = re.compile(r"^(?P<days>[A-Z]{3}(?:-[A-Z]{3})?(?:,[A-Z]{3}(?:-[A-Z]{3})?)*) "
                   r"(?P<start>\d{1,2})-(?P<stop>\d{1,2})$")


def parse_hours(option: str, text: str) -> tuple[str, int, int] | None:
    """(cron days, start hour, stop hour) of an hours option such as "MON-FRI 07-19", or None
    (empty: always on). `option` names the context key in the error."""
    text = text.strip().upper()
    if not text:
        return None
    match = HOURS.match(text)
    if not match or not 0 <= int(match["start"]) < int(match["stop"]) <= 23:
        raise ValueError(f"{option}={text!r}: expected e.g. 'MON-FRI 07-19' "
                         "(cron days, start hour < stop hour, 0-23)")
    return match["days"], int(match["start"]), int(match["stop"])


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _coerce(value: Any, like: Any) -> Any:
    if not isinstance(value, str):
        return tuple(value) if isinstance(like, tuple) else value
    if isinstance(like, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    if isinstance(like, tuple):
        text = value.strip()
        return tuple(json.loads(text)) if text.startswith("[") else tuple(
            v.strip() for v in text.split(",") if v.strip())
    return value


def stage_config(get: Callable[[str], Any]) -> StageConfig:
    """The stage's defaults with any camelCase context overrides applied; `get` looks a context
    key up (App.node.try_get_context, or dict.get)."""
    stage = str(get("stage") or "dev")
    if stage not in DEFAULTS:
        raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
    config = DEFAULTS[stage]
    overrides = {}
    for f in fields(StageConfig):
        key = _camel(f.name)
        value = get(key)
        if f.name not in ("name", "layer_platforms") and value is not None:
            overrides[f.name] = _coerce(value, getattr(config, f.name))
    config = replace(config, **overrides)
    if config.cloud and "*" in config.cors_origins:
        # A dev convenience (doctorlive.stages): the cloud API answers its sites and named origins.
        raise ValueError(f"the cloud stage {stage!r} does not answer every origin: "
                         "name them in -c corsOrigins instead of '*'")
    return config
