"""One way to make a Lambda function here: same runtime, layers, logging, tracing and network,
and one list per function of what it may touch ("needs"), from which both its environment and
its IAM grants are made, so a function never sees an ARN it cannot read.

Needs, one string each:
  "db"                                the database: DB_SECRET_ARN (read), DB_SSLMODE, ...
  "jwt" | "livekit" | "openai" | "whatsapp" | "recordings"
                                      read that secret: <KEY>_SECRET_ARN ("recordings": where
                                      and with which key LiveKit's egress uploads, infra/recordings.py)
  "bucket:<key>:read|write|delete"    objects of a wiring.BUCKETS bucket: <KEY>_BUCKET
  "topic:<key>:publish"               a wiring.TOPICS topic: <KEY>_TOPIC_ARN
  "email:send"                        SES in the cloud (EMAIL_BACKEND=ses, EMAIL_FROM); the local
                                      stage keeps the SMTP default (the dev stack's sink)
  "assistant:scale"                   the meeting assistant's scalable target (ASSISTANT_SCALABLE_TARGET,
                                      ASSISTANT_MAX_TASKS): Application Auto Scaling on it; only
                                      where the stage runs the assistant on demand (`assistant`)

Also from needs: "notifications" adds ROOM_SITE_URL / ADMIN_SITE_URL (links in messages),
"whatsapp" the WhatsApp settings given by context (phone number id, template names).
Every function gets CORS_ORIGINS (the stack's: -c corsOrigins plus the stage's sites).

Every row of the route table (`Route.needs` in functions/api/routes.py, ("db", "jwt") unless
the row says otherwise) and of the event table (`EventRoute.needs` in functions/events/wiring.py,
("db",) unless it says otherwise) states its needs; an S3-sourced event also reads its bucket
without saying so (`needs_of`). The deploy-time jobs name theirs where they are made (infra/stack.py).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from doctorlive.needs import SECRET_KEYS
from functions.api.routes import Route
from functions.events.wiring import EventRoute, bucket_env, topic_env
from infra.config import StageConfig
from infra.nag import acknowledge
from infra.packaging import ARCHITECTURE, RUNTIME, Packaging
from infra.resources import SharedResources

OBJECT_ACTIONS = {"read": "s3:GetObject", "write": "s3:PutObject", "delete": "s3:DeleteObject"}
# Well inside API Gateway's 29 s integration limit, long enough for an auto-paused database.
API_TIMEOUT = Duration.seconds(25)
# Powertools' service name and metrics namespace of every function (doctorlive.observability
# reads them); the API's alarms on the application's own metrics name them too.
SERVICE_NAME = "doctor-live"
METRICS_NAMESPACE = "DoctorLive"


def needs_of(row: Route | EventRoute) -> tuple[str, ...]:
    """A route's or event row's needs, deduplicated in order."""
    needs = list(row.needs)
    if isinstance(row, EventRoute) and row.kind == "s3":  # an S3-sourced consumer reads what arrived
        needs.append(f"bucket:{row.resource}:read")
    return tuple(dict.fromkeys(needs))


@dataclass(frozen=True)
class AssistantTarget:
    """The on-demand assistant service, as the functions that scale it see it."""
    resource_id: str   # service/<cluster>/<service> (tokens)
    service_arn: str
    max_tasks: int


@dataclass(frozen=True)
class Network:
    """Where functions run in the cloud: VPC, subnets and the one security group the database
    (or its proxy) admits. None of it exists on the local stage."""
    vpc: ec2.IVpc
    subnets: ec2.SubnetSelection
    security_group: ec2.ISecurityGroup


class FunctionFactory:
    def __init__(self, *, config: StageConfig, packaging: Packaging,
                 secrets: Mapping[str, secretsmanager.ISecret], resources: SharedResources,
                 network: Network | None, db_host_override: str | None = None,
                 site_urls: Mapping[str, str] | None = None, cors_origins: Iterable[str] | None = None):
        """site_urls: {"room": url, "admin": url}, where links in messages point (cloud: the
        CloudFront URLs or -c roomSiteUrl/adminSiteUrl); cors_origins: default config's."""
        self.config = config
        self.site_urls = dict(site_urls or {})
        self.cors_origins = tuple(config.cors_origins if cors_origins is None else cors_origins)
        self.packaging = packaging
        self.secrets = secrets
        self.resources = resources
        self.network = network
        self.db_host_override = db_host_override
        self.created: list[lambda_.Function] = []
        self._roles: dict[tuple[str, ...], iam.Role] = {}
        self._role_scope: Construct | None = None
        self._api_logs: logs.LogGroup | None = None
        # Set by the stack when the stage runs the assistant on demand (infra/agent.py).
        self.assistant: AssistantTarget | None = None

    def _parse(self, needs: Iterable[str]) -> tuple[list[str], list[tuple[str, str]], list[str]]:
        """(secret keys, (bucket key, access) pairs, topic keys); unknown needs fail the synth.
        "email:send" is handled apart (see environment and _grant)."""
        secrets, objects, topics = [], [], []
        for need in needs:
            parts = need.split(":")
            if need == "email:send":
                continue
            if need == "assistant:scale":
                if self.assistant is None:
                    raise ValueError("need 'assistant:scale': the stage runs no on-demand assistant "
                                     "(infra/events.py leaves such rows out)")
                continue
            if len(parts) == 1 and need in SECRET_KEYS:
                secrets.append(need)
            elif len(parts) == 3 and parts[0] == "bucket" and parts[1] in self.resources.buckets \
                    and parts[2] in OBJECT_ACTIONS:
                objects.append((parts[1], parts[2]))
            elif len(parts) == 3 and parts[0] == "topic" and parts[1] in self.resources.topics \
                    and parts[2] == "publish":
                topics.append(parts[1])
            else:
                raise ValueError(
                    f"unknown need {need!r}: expected one of {SECRET_KEYS}, "
                    f"bucket:<{'|'.join(self.resources.buckets)}>:<read|write|delete> or "
                    f"topic:<{'|'.join(self.resources.topics)}>:publish or email:send")
        return secrets, objects, topics

    def environment(self, needs: Iterable[str], *, serves_http: bool = False) -> dict[str, str]:
        c, needs = self.config, tuple(needs)
        secrets, objects, topics = self._parse(needs)
        env = {
            "STAGE": c.name,
            "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "LOG_LEVEL": c.log_level,
        }
        if serves_http:
            # API functions only: it names the sites' distributions, and a function the API's
            # deployment waits for (the migrate job) must not depend on them (their CSP names
            # the API: a cycle).
            env["CORS_ORIGINS"] = json.dumps(list(self.cors_origins))
        if "db" in secrets:
            # Cloud connections are TLS; the local stage talks to the embedded Postgres on 127.0.0.1.
            env["DB_SSLMODE"] = "require" if c.cloud else "disable"
            env["DB_CONNECT_TIMEOUT"] = str(c.db_connect_timeout)
            if self.db_host_override:
                env["DB_HOST_OVERRIDE"] = self.db_host_override
        for key in SECRET_KEYS:
            if key in secrets:
                env[f"{key.upper()}_SECRET_ARN"] = self.secrets[key].secret_arn
        if "notifications" in secrets:  # the functions that put links in messages
            for site, setting in (("room", "ROOM_SITE_URL"), ("admin", "ADMIN_SITE_URL")):
                if self.site_urls.get(site):
                    env[setting] = self.site_urls[site]
        if "whatsapp" in secrets:
            for setting in ("whatsapp_phone_number_id", "whatsapp_template_invitation",
                            "whatsapp_template_cancellation"):
                if getattr(c, setting):
                    env[setting.upper()] = getattr(c, setting)
        for key in dict.fromkeys(k for k, _ in objects):
            env[bucket_env(key)] = self.resources.buckets[key].bucket_name
        for key in topics:
            env[topic_env(key)] = self.resources.topics[key].topic_arn
        if "assistant:scale" in needs and self.assistant:
            env["ASSISTANT_SCALABLE_TARGET"] = self.assistant.resource_id
            env["ASSISTANT_MAX_TASKS"] = str(self.assistant.max_tasks)
        if "email:send" in needs and c.cloud:
            env["EMAIL_BACKEND"] = "ses"
            if c.email_from:
                env["EMAIL_FROM"] = c.email_from
        return env

    def shared_role(self, needs: tuple[str, ...]) -> iam.Role:
        """One execution role per distinct set of needs, for API functions: the same grants
        either way, and ~2 CloudFormation resources fewer per route (a stack holds 500)."""
        key = tuple(sorted(needs))
        if key not in self._roles:
            if self._role_scope is None:
                self._role_scope = Construct(Stack.of(self.packaging.scope), "ApiRoles")
            managed = ["service-role/AWSLambdaBasicExecutionRole"]
            if self.network:
                managed.append("service-role/AWSLambdaVPCAccessExecutionRole")
            self._roles[key] = iam.Role(
                self._role_scope, f"Role{len(self._roles) + 1}",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"doctor-live API functions that need: {', '.join(key) or 'nothing'}"[:1000],
                managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(m) for m in managed],
            )
        return self._roles[key]

    def function(self, scope: Construct, id: str, *, module: str, handler: str, description: str,
                 needs: Iterable[str], timeout: Duration | None = None, memory_mb: int = 512,
                 share_role: bool = False, serves_http: bool = False) -> lambda_.Function:
        """A function; with share_role, its execution role is the one of its needs set (never
        for event consumers: their event source mapping grants read access to their queue);
        serves_http: an API function (CORS_ORIGINS), logging to the API functions' shared group."""
        needs = tuple(needs)
        log_group = self.api_log_group(scope) if serves_http else logs.LogGroup(
            scope, f"{id}Logs", retention=self.config.log_retention, removal_policy=self.config.removal_policy)
        network = self.network
        fn = lambda_.Function(
            scope, id,
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=handler,
            code=self.packaging.function_code(module),
            layers=self.packaging.layers,
            memory_size=memory_mb,
            timeout=timeout or API_TIMEOUT,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            environment=self.environment(needs, serves_http=serves_http),
            vpc=network.vpc if network else None,
            vpc_subnets=network.subnets if network else None,
            security_groups=[network.security_group] if network else None,
            role=self.shared_role(needs) if share_role else None,
            # The API functions' bound on containers, hence on database connections without a
            # proxy (infra/data.py: connection_budget); 0 = the account's unreserved pool.
            reserved_concurrent_executions=(self.config.api_reserved_concurrency or None)
            if serves_http else None,
        )
        if "db" in needs and self.config.cloud:
            # A container serves one request at a time: one connection is all its pool needs.
            fn.add_environment("DB_POOL_MAX", str(self.config.db_pool_max))
        self.grant(fn.role, needs)
        self._acknowledge(fn)
        self.created.append(fn)
        return fn

    def api_log_group(self, scope: Construct) -> logs.LogGroup:
        """One log group for every API function: Lambda names each stream after its function when
        a group is shared, and every record carries function_name (Powertools), so Logs Insights
        reads one route or all. One group instead of one per route also keeps the stack well
        inside CloudFormation's 500 resources (tests/infra checks the margin)."""
        if self._api_logs is None:
            self._api_logs = logs.LogGroup(Stack.of(scope), "ApiFunctionLogs", retention=self.config.log_retention,
                                           removal_policy=self.config.removal_policy)
        return self._api_logs

    def grant(self, role: iam.IRole, needs: Iterable[str]) -> None:
        """What `needs` may touch, granted to `role` (a function's, or the agent task's)."""
        needs = tuple(needs)
        secrets, objects, topics = self._parse(needs)
        for key in secrets:
            self.secrets[key].grant_read(role)
        if "assistant:scale" in needs and self.assistant:
            # Application Auto Scaling takes no resource-level permission on these two actions;
            # registering the target checks the caller may read and update the ECS service.
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=["application-autoscaling:DescribeScalableTargets",
                         "application-autoscaling:RegisterScalableTarget"],
                resources=["*"]))
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=["ecs:DescribeServices", "ecs:UpdateService"],
                resources=[self.assistant.service_arn]))
            acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                        reason="Application Auto Scaling's DescribeScalableTargets and "
                               "RegisterScalableTarget take no resource; the ECS actions are scoped "
                               "to the assistant's service.")
        by_bucket: dict[str, list[str]] = {}
        for key, access in objects:
            by_bucket.setdefault(key, []).append(OBJECT_ACTIONS[access])
        for key, actions in by_bucket.items():
            bucket = self.resources.buckets[key]
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=sorted(actions), resources=[bucket.arn_for_objects("*")]))
            logical_id = Stack.of(bucket).get_logical_id(bucket.node.default_child)
            acknowledge(role, f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>/*]",
                        reason=f"Object keys in the {key} bucket are per entity and document, "
                               "made at run time; the actions are the object ones this function uses.")
        for key in topics:
            # Not grant_publish: that adds KMS statements, which the AWS-managed aws/sns key
            # does not need (its key policy admits SNS callers in the account).
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=["sns:Publish"], resources=[self.resources.topics[key].topic_arn]))
        if "email:send" in needs and self.config.cloud:
            identities = f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/*"
            role.add_to_principal_policy(iam.PolicyStatement(actions=["ses:SendEmail"],
                                                             resources=[identities]))
            acknowledge(role, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:"
                                 "<AWS::AccountId>:identity/*]",
                        reason="SES checks the sending identity (the EMAIL_FROM domain or address), "
                               "verified by an operator outside the stack; sending is the only action.")

    def _acknowledge(self, fn: lambda_.Function) -> None:
        role = fn.role  # its own (a child of fn) or a shared one
        managed = "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{}]"
        acknowledge(role, managed.format("AWSLambdaBasicExecutionRole"),
                    reason="AWS's minimal Lambda policy: CloudWatch Logs writes only.")
        if self.network:
            acknowledge(role, managed.format("AWSLambdaVPCAccessExecutionRole"),
                        reason="AWS's policy for the network interfaces of a function in a VPC.")
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                    reason="X-Ray's PutTraceSegments/PutTelemetryRecords (active tracing) take no "
                           "resource; tests/infra checks that no data action is granted on '*'.")
        acknowledge(fn, "AwsSolutions-L1",
                    reason="Python 3.11 on purpose: the local Lambda executor runs the same layer "
                           "wheels on the host's Python 3.11; move all stages together.")
