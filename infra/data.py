"""The cloud network and database: Aurora PostgreSQL Serverless v2 in isolated subnets,
optionally behind RDS Proxy, and the functions in private subnets; plus the local stage's
stand-in secret.

Idle cost is the design constraint (estimates in infra/README.md):
- one NAT per stage (StageConfig.nat_gateways), a t4g.nano NAT instance by default
  (nat_provider="instance", ~$7.40/month) or a NAT gateway (~$36.50): the knowledge-base
  functions need the database and OpenAI at once. With `-c natGateways=0` there is none, and
  the functions reach Secrets Manager through an interface endpoint instead. S3 always goes
  through the free gateway endpoint; CloudWatch Logs and X-Ray are delivered by the Lambda
  service itself;
- Aurora scales to 0 ACUs (auto-pause) on dev (not reached today, see infra/README.md), 0.5 on prod;
- RDS Proxy only where the context says so (`-c dbProxy=true`); without it the connection
  budget (connection_budget below) must fit the cluster's max_connections, or the synth fails.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, SecretValue, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from functions.api.routes import Route
from functions.events.wiring import EventRoute
from infra.config import StageConfig, parse_hours
from infra.functions import Network
from infra.nag import acknowledge

DB_NAME = "doctorlive"
DB_USER = "doctorlive"
ENGINE_VERSION = rds.AuroraPostgresEngineVersion.VER_17_5  # ships pgvector 0.8; supports 0 ACU


# Aurora PostgreSQL's default max_connections is LEAST(DBInstanceClassMemory / 9531392, 5000);
# a Serverless v2 instance is sized by its maximum ACUs (2 GiB each). DBInstanceClassMemory is
# what the instance has after the OS and RDS processes: 80 % of 2 GiB per ACU is assumed.
MEMORY_PER_CONNECTION = 9531392
USABLE_MEMORY = 0.8
RESERVED_CONNECTIONS = 5  # superuser_reserved_connections (3) + rds.rds_superuser_reserved_connections (2)
# The meeting assistant's pool (doctorlive.settings db_pool_max, not overridden for the agent).
AGENT_POOL_MAX = 4


def max_connections(max_acu: float) -> int:
    """The cluster's default max_connections at `max_acu` (estimated, see above)."""
    return min(5000, int(max_acu * 2 * 1024 ** 3 * USABLE_MEMORY / MEMORY_PER_CONNECTION))


@dataclass(frozen=True)
class ConnectionBudget:
    """The most connections the stage's clients can open at once, without a proxy."""
    api: int | None        # None: an API function without reserved concurrency (unbounded)
    events: int | None     # None: an event row without max_concurrency
    migrate: int
    agent: int
    limit: int             # max_connections minus the reserved superuser connections

    @property
    def total(self) -> int | None:
        if self.api is None or self.events is None:
            return None
        return self.api + self.events + self.migrate + self.agent


def connection_budget(config: StageConfig, routes: Sequence[Route], events: Sequence[EventRoute],
                      agent: bool) -> ConnectionBudget:
    """Lambda containers x connections per container (DB_POOL_MAX), against max_connections:
    the API functions' reserved concurrency, the event rows' max_concurrency (SQS event source
    maximum concurrency), one migrate job, and the assistant's tasks x its pool."""
    db_events = [e for e in events if "db" in getattr(e, "needs", ("db",))]
    return ConnectionBudget(
        api=(len(routes) * config.api_reserved_concurrency * config.db_pool_max
             if config.api_reserved_concurrency else None),
        events=(None if any(e.max_concurrency is None for e in db_events)
                else sum(e.max_concurrency for e in db_events) * config.db_pool_max),
        migrate=config.db_pool_max,
        agent=config.agent_max_count * AGENT_POOL_MAX if agent else 0,
        limit=max_connections(config.db_max_acu) - RESERVED_CONNECTIONS,
    )


def check_connection_budget(budget: ConnectionBudget) -> str | None:
    """Refuse (ValueError) a budget over the limit; a warning (str) when it is unbounded."""
    if budget.total is None:
        return ("the API functions have no reserved concurrency (-c apiReservedConcurrency=N) or an "
                "event row has no max_concurrency: database connections are bounded only by the "
                f"account's Lambda concurrency, against max_connections ~{budget.limit}; "
                "set one, or deploy with -c dbProxy=true")
    if budget.total > budget.limit:
        raise ValueError(
            f"database connection budget {budget.total} (API {budget.api} + events {budget.events} "
            f"+ migrate {budget.migrate} + assistant {budget.agent}) exceeds max_connections "
            f"~{budget.limit} at dbMaxAcu: lower apiReservedConcurrency, raise dbMaxAcu, or -c dbProxy=true")
    return None


def nat_hours(config: StageConfig) -> tuple[str, int, int] | None:
    """(cron days, start hour, stop hour) of -c natHours="MON-FRI 07-19", or None (always on)."""
    return parse_hours("natHours", config.nat_hours)


# Interface endpoints the functions need when there is no NAT gateway, by service.
ENDPOINT_SERVICES = {
    "secretsmanager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "sns": ec2.InterfaceVpcEndpointAwsService.SNS,
}


class CloudNetwork(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig,
                 endpoint_services: tuple[str, ...] = ("secretsmanager",)):
        super().__init__(scope, id)
        app_subnet_type = (ec2.SubnetType.PRIVATE_WITH_EGRESS if config.nat_gateways
                           else ec2.SubnetType.PRIVATE_ISOLATED)
        subnets = [
            ec2.SubnetConfiguration(name="app", subnet_type=app_subnet_type, cidr_mask=22),
            ec2.SubnetConfiguration(name="db", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24),
        ]
        if config.nat_gateways:
            subnets.append(ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC,
                                                   cidr_mask=24))
        flow_logs = logs.LogGroup(self, "FlowLogs", retention=config.log_retention,
                                  removal_policy=config.removal_policy)
        self.vpc = ec2.Vpc(
            self, "Vpc",
            ip_addresses=ec2.IpAddresses.cidr("10.40.0.0/16"),
            max_azs=2,  # Aurora's subnet group needs two AZs
            nat_gateways=config.nat_gateways,
            nat_gateway_provider=self._nat_provider(config) if config.nat_gateways else None,
            subnet_configuration=subnets,
            gateway_endpoints={"S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)},
            flow_logs={"All": ec2.FlowLogOptions(
                destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
                traffic_type=ec2.FlowLogTrafficType.ALL)},
        )
        self.nat_instances: list[ec2.Instance] = []
        if isinstance(self._nat, ec2.NatInstanceProviderV2):
            self._secure_nat_instances(self._nat, config)
            self._schedule_nat_instances(config)
        self.app_subnets = ec2.SubnetSelection(subnet_group_name="app")
        self.db_subnets = ec2.SubnetSelection(subnet_group_name="db")
        self.lambda_security_group = ec2.SecurityGroup(
            self, "FunctionsSecurityGroup", vpc=self.vpc,
            description="doctor-live Lambda functions (the database admits only this group)")

        self.endpoints: dict[str, ec2.InterfaceVpcEndpoint] = {}
        if not config.nat_gateways:
            # Without a NAT, the AWS APIs the functions call are reached through interface
            # endpoints (~$7.30/month each per AZ), in `endpoint_azs` AZs.
            app = self.vpc.select_subnets(subnet_group_name="app").subnets
            endpoint_sg = ec2.SecurityGroup(
                self, "EndpointsSecurityGroup", vpc=self.vpc, allow_all_outbound=False,
                description="doctor-live interface endpoints: HTTPS from the functions only")
            endpoint_sg.add_ingress_rule(self.lambda_security_group, ec2.Port.tcp(443),
                                         "HTTPS from the functions")
            for name in endpoint_services:
                self.endpoints[name] = self.vpc.add_interface_endpoint(
                    name.title(), service=ENDPOINT_SERVICES[name],
                    subnets=ec2.SubnetSelection(subnets=app[:max(1, config.endpoint_azs)]),
                    private_dns_enabled=True, open=False, security_groups=[endpoint_sg])

    def _nat_provider(self, config: StageConfig) -> ec2.NatProvider:
        self._nat: ec2.NatProvider | None = None
        if nat_hours(config) and config.nat_provider != "instance":
            raise ValueError(f"natHours={config.nat_hours!r} needs natProvider=instance: "
                             "a NAT gateway cannot be stopped")
        if config.nat_provider == "gateway":
            self._nat = ec2.NatProvider.gateway()
        elif config.nat_provider == "instance":
            # Amazon Linux 2023 (the SSM parameter of the latest AMI, resolved at deploy: no
            # context lookup), its user data sets up iptables masquerading. Inbound only from
            # the VPC: the default (INBOUND_AND_OUTBOUND) would open it to the internet.
            self._nat = ec2.NatProvider.instance_v2(
                instance_type=ec2.InstanceType(config.nat_instance_type),
                default_allowed_traffic=ec2.NatTrafficDirection.OUTBOUND_ONLY,
                associate_public_ip_address=True,
            )
        else:
            raise ValueError(f"natProvider={config.nat_provider!r}: expected 'instance' or 'gateway'")
        return self._nat

    def _secure_nat_instances(self, nat: ec2.NatInstanceProviderV2, config: StageConfig) -> None:
        nat.security_group.add_ingress_rule(ec2.Peer.ipv4(self.vpc.vpc_cidr_block), ec2.Port.all_traffic(),
                                            "Traffic from the VPC's subnets to the internet")
        for instance in nat.gateway_instances:
            self.nat_instances.append(instance)
            cfn = instance.instance
            # An encrypted root volume (8 GiB gp3, the AMI's size).
            cfn.add_property_override("BlockDeviceMappings", [{
                "DeviceName": "/dev/xvda",
                "Ebs": {"VolumeSize": 8, "VolumeType": "gp3", "Encrypted": True,
                        "DeleteOnTermination": True}}])
            acknowledge(
                instance, "AwsSolutions-EC26",
                reason="The root volume is encrypted by the BlockDeviceMappings override above "
                       "(instanceV2 has no block-device option, so cdk-nag reads the default); "
                       "tests/infra checks the template.")
            acknowledge(
                instance, "AwsSolutions-EC28",
                reason="A NAT instance (t4g.nano) for the stage's egress: basic monitoring is enough; "
                       "detailed monitoring would cost more than the instance.")
            acknowledge(
                instance, "AwsSolutions-EC29",
                reason="A stateless NAT instance, replaced by a deploy (or by EC2's automatic "
                       "recovery): termination protection would only block stack updates.")
        acknowledge(
            nat.security_group, "AwsSolutions-EC23",
            reason="The NAT instance admits the VPC's own CIDR (every port: it forwards the "
                   "subnets' traffic); nothing from the internet.")

    def _schedule_nat_instances(self, config: StageConfig) -> None:
        """With natHours, EventBridge Scheduler starts the NAT instances at the first hour and
        stops them at the second (its universal target: EC2's StartInstances/StopInstances,
        no function). A stopped instance releases its public IPv4 and gets a new one when it
        starts; the routes point at the instance, so they work again once it runs. The root
        volume is encrypted with the account's EBS key (aws/ebs), which EC2 may use on the
        role's behalf without a KMS grant; a customer-managed default key would need one."""
        hours = nat_hours(config)
        if not hours or not self.nat_instances:
            return
        days, start, stop = hours
        stack = Stack.of(self)
        role = iam.Role(
            self, "NatScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}}),
            description="EventBridge Scheduler: starts and stops the NAT instance in natHours")
        role.add_to_policy(iam.PolicyStatement(
            actions=["ec2:StartInstances", "ec2:StopInstances"],
            resources=[stack.format_arn(service="ec2", resource="instance", resource_name=i.instance_id)
                       for i in self.nat_instances]))
        instance_ids = stack.to_json_string({"InstanceIds": [i.instance_id for i in self.nat_instances]})
        self.nat_schedules: dict[str, scheduler.CfnSchedule] = {}
        for action, hour in (("start", start), ("stop", stop)):
            self.nat_schedules[action] = scheduler.CfnSchedule(
                self, f"Nat{action.title()}",
                description=f"doctor-live {config.name}: {action} the NAT instance ({config.nat_hours}, "
                            f"{config.nat_time_zone})",
                schedule_expression=f"cron(0 {hour} ? * {days} *)",
                schedule_expression_timezone=config.nat_time_zone,
                flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
                target=scheduler.CfnSchedule.TargetProperty(
                    arn=f"arn:{stack.partition}:scheduler:::aws-sdk:ec2:{action}Instances",
                    role_arn=role.role_arn,
                    input=instance_ids,
                    # A call EC2 refused (throttled, capacity) is retried for up to an hour.
                    retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                        maximum_event_age_in_seconds=3600, maximum_retry_attempts=20)),
            )

    @property
    def for_functions(self) -> Network:
        return Network(self.vpc, self.app_subnets, self.lambda_security_group)


class AuroraDatabase(Construct):
    """Aurora PostgreSQL Serverless v2, encrypted, in isolated subnets, with its RDS-generated
    secret (JSON host/port/username/password/dbname, what settings.py expects)."""

    def __init__(self, scope: Construct, id: str, *, config: StageConfig, network: CloudNetwork):
        super().__init__(scope, id)
        vpc = network.vpc
        self.security_group = ec2.SecurityGroup(
            self, "SecurityGroup", vpc=vpc, allow_all_outbound=False,
            description="doctor-live Aurora cluster: PostgreSQL from the functions (or the proxy) only")
        identifier = f"doctorlive-{config.name}"
        # Made here rather than by `cloudwatch_logs_retention`, which adds a custom-resource Lambda.
        postgres_logs = logs.LogGroup(
            self, "PostgresLogs", log_group_name=f"/aws/rds/cluster/{identifier}/postgresql",
            retention=config.log_retention, removal_policy=config.removal_policy)
        self.cluster = rds.DatabaseCluster(
            self, "Cluster",
            cluster_identifier=identifier,
            engine=rds.DatabaseClusterEngine.aurora_postgres(version=ENGINE_VERSION),
            credentials=rds.Credentials.from_generated_secret(DB_USER),
            default_database_name=DB_NAME,
            writer=rds.ClusterInstance.serverless_v2("Writer", publicly_accessible=False,
                                                     auto_minor_version_upgrade=True),
            serverless_v2_min_capacity=config.db_min_acu,
            serverless_v2_max_capacity=config.db_max_acu,
            serverless_v2_auto_pause_duration=(Duration.minutes(config.db_auto_pause_minutes)
                                               if config.db_min_acu == 0 else None),
            vpc=vpc,
            vpc_subnets=network.db_subnets,
            security_groups=[self.security_group],
            storage_encrypted=True,
            iam_authentication=False,
            deletion_protection=config.db_deletion_protection,
            backup=rds.BackupProps(retention=Duration.days(config.db_backup_days)),
            cloudwatch_logs_exports=["postgresql"],
            # The exported log keeps an error's message, not its DETAIL ("Failing row contains
            # (...)" would write row data, password hashes among them, to CloudWatch).
            parameters={"log_error_verbosity": "terse",
                        **({"idle_session_timeout": str(config.db_idle_session_timeout_seconds * 1000)}
                           if config.db_idle_session_timeout_seconds else {})},
            # Deleting the stack leaves a final snapshot (prod also has deletion protection).
            removal_policy=RemovalPolicy.SNAPSHOT,
        )
        self.cluster.node.add_dependency(postgres_logs)
        self.secret: secretsmanager.ISecret = self.cluster.secret
        self.host_override: str | None = None

        # Security group descriptions stay as first deployed: changing one replaces the group.
        self.proxy: rds.DatabaseProxy | None = None
        if config.db_proxy:
            proxy_sg = ec2.SecurityGroup(
                self, "ProxySecurityGroup", vpc=vpc, allow_all_outbound=False,
                description="doctor-live RDS Proxy: PostgreSQL from the functions only")
            self.proxy = rds.DatabaseProxy(
                self, "Proxy",
                proxy_target=rds.ProxyTarget.from_cluster(self.cluster),
                secrets=[self.cluster.secret],
                vpc=vpc, vpc_subnets=network.db_subnets, security_groups=[proxy_sg],
                require_tls=True, iam_auth=False, debug_logging=False,
                borrow_timeout=Duration.seconds(30),
            )
            self.cluster.connections.allow_default_port_from(proxy_sg, "PostgreSQL from RDS Proxy")
            self.host_override = self.proxy.endpoint
        self.allow_client(network.lambda_security_group, "PostgreSQL from the functions")

        acknowledge(
            self.cluster, "AwsSolutions-RDS6",
            reason="Password authentication with the RDS-managed secret (and TLS); IAM auth "
                   "tokens would add a signing call per connection and cap new connections/s.")
        acknowledge(
            self.cluster, "AwsSolutions-RDS11",
            reason="Default port 5432: the cluster sits in isolated subnets and admits only the "
                   "functions' (or proxy's) security group; a custom port adds no protection.")
        acknowledge(
            self.cluster, "AwsSolutions-SMG4",
            reason="Rotation of the database password is not enabled yet: warm Lambda pools "
                   "hold the password read at cold start and would fail after a rotation "
                   "until the settings re-read the secret on an authentication error.")
        if not config.db_deletion_protection:
            acknowledge(
                self.cluster, "AwsSolutions-RDS10",
                reason=f"Stage {config.name} is disposable; prod enables deletion protection. "
                       "Deleting the stack still leaves a final snapshot.")

    def allow_client(self, clients: ec2.ISecurityGroup, description: str) -> None:
        """Admit a security group on 5432: to the proxy where there is one (DB_HOST_OVERRIDE
        points there), else to the cluster."""
        if self.proxy is not None:
            self.proxy.connections.allow_from(clients, ec2.Port.tcp(5432), description)
        else:
            self.cluster.connections.allow_default_port_from(clients, description)


class LocalDatabase(Construct):
    """The local stage: a LocalStack secret in the RDS secret's shape, pointing at the embedded
    Postgres on the host (the host-process Lambda executor reaches 127.0.0.1)."""

    def __init__(self, scope: Construct, id: str, *, config: StageConfig):
        super().__init__(scope, id)
        plain = SecretValue.unsafe_plain_text
        self.secret: secretsmanager.ISecret = secretsmanager.Secret(
            self, "Secret",
            description="doctor-live local stage: the embedded dev Postgres (no password, 127.0.0.1)",
            secret_object_value={
                "engine": plain("postgres"), "host": plain("127.0.0.1"),
                "port": plain(str(config.local_db_port)), "username": plain(DB_USER),
                "password": plain(""), "dbname": plain(DB_NAME),
            },
            removal_policy=config.removal_policy,
        )
        self.host_override: str | None = None
        acknowledge(
            self.secret, "AwsSolutions-SMG4",
            reason="Local stage only: points at a passwordless embedded Postgres on 127.0.0.1.")
