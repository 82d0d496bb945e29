"""One stack per stage: secrets, network and database (cloud) or their local stand-ins, the
REST API from the route table, the event wiring from the event table, the migrate job, and
(cloud stages with a NAT) the meeting assistant on Fargate."""
from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Annotations, Aws, CfnOutput, Duration, Stack, Tags, triggers
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from functions.api.routes import ROUTES, Route
from functions.events.wiring import BUCKETS, EVENTS, MIGRATE_NEEDS, TOPICS, EventRoute
from infra.agent import AgentService, why_no_agent
from infra.api import RouteApi
from infra.config import StageConfig
from infra.data import (
    AuroraDatabase,
    CloudNetwork,
    LocalDatabase,
    check_connection_budget,
    connection_budget,
)
from infra.events import EventWiring
from infra.functions import AssistantTarget, FunctionFactory
from infra.nag import acknowledge
from infra.operations import Operations
from infra.packaging import Packaging
from infra.recordings import RecordingsUploader
from infra.resources import SharedResources, bucket_name, logs_bucket
from infra.secrets import AppSecrets
from infra.sites import StaticSites


class DoctorLiveStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig,
                 routes: Sequence[Route] = ROUTES, events: Sequence[EventRoute] = EVENTS,
                 buckets: Sequence[str] = BUCKETS, topics: Sequence[str] = TOPICS, **kwargs):
        super().__init__(scope, id, description=f"doctor-live ({config.name})", **kwargs)
        self.config = config
        # CDK would also tag the proxy's target group, whose CloudFormation schema has no Tags.
        untaggable = ["AWS::RDS::DBProxyTargetGroup"]
        Tags.of(self).add("project", "doctor-live", exclude_resource_types=untaggable)
        Tags.of(self).add("stage", config.name, exclude_resource_types=untaggable)

        alarm_topic = sns.Topic(self, "AlarmTopic", display_name=f"doctor-live {config.name} alarms",
                                enforce_ssl=True)
        acknowledge(
            alarm_topic, "AwsSolutions-SNS2",
            reason="Alarm notifications carry no data beyond the alarm's name; CloudWatch cannot "
                   "publish to a topic under the AWS-managed SNS key, and a customer key costs $1/month.")
        if config.alarm_email:
            alarm_topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        alarm_action = cloudwatch_actions.SnsAction(alarm_topic)

        app_secrets = AppSecrets(self, "Secrets", config=config)
        self.network: CloudNetwork | None = None
        if config.cloud:
            self.network = CloudNetwork(
                self, "Network", config=config,
                endpoint_services=("secretsmanager", "sns") if topics else ("secretsmanager",))
            self.database = AuroraDatabase(self, "Database", config=config, network=self.network)
        else:
            self.database = LocalDatabase(self, "Database", config=config)
        # The sites (cloud only): their URLs go into links (function env) and CORS, so the
        # distributions come first; their files and config.json are deployed after the API.
        logs = logs_bucket(self, config) if buckets or config.cloud else None
        self.sites: StaticSites | None = None
        site_urls = {"room": config.room_site_url, "admin": config.admin_site_url}
        if config.cloud:
            # The platform's S3 client addresses buckets path style (doctorlive/aws.py), so the
            # browser talks to the S3 endpoint with the bucket as the path: PDF uploads POST to
            # exactly https://s3.<region>.<suffix>/<knowledge bucket> (a path without a trailing
            # slash matches only itself), recordings play from GETs under <recordings bucket>/.
            # Each names its bucket's own path on the regional endpoint (and the global one,
            # us-east-1's), never the whole endpoint.
            uploads = [f"https://s3{suffix}.{Aws.URL_SUFFIX}/{bucket_name(config, 'knowledge')}"
                       for suffix in (f".{Aws.REGION}", "")] if "knowledge" in buckets else []
            recordings = [f"https://s3{suffix}.{Aws.URL_SUFFIX}/{bucket_name(config, 'recordings')}/"
                          for suffix in (f".{Aws.REGION}", "")] if "recordings" in buckets else []
            self.sites = StaticSites(self, "Sites", config=config, logs_bucket=logs,
                                     admin_connect_src=uploads, admin_media_src=recordings)
            site_urls = {"room": config.room_site_url or self.sites.room_url,
                         "admin": config.admin_site_url or self.sites.admin_url}
        cors_origins = tuple(dict.fromkeys([
            *config.cors_origins,
            *((self.sites.room_url, self.sites.admin_url) if self.sites else ()),
            *(url for url in (config.room_site_url, config.admin_site_url) if url)]))
        self.resources = SharedResources(self, "Resources", config=config, bucket_keys=buckets,
                                         topic_keys=topics, access_logs=logs, cors_origins=cors_origins)
        extra_secrets = {}
        self.recordings: RecordingsUploader | None = None
        if "recordings" in self.resources.buckets:
            self.recordings = RecordingsUploader(self, "Recordings", config=config,
                                                 bucket=self.resources.buckets["recordings"])
            extra_secrets["recordings"] = self.recordings.secret
        self.functions = FunctionFactory(
            config=config,
            packaging=Packaging(self, config.layer_platforms),
            secrets={"db": self.database.secret, **app_secrets.secrets, **extra_secrets},
            resources=self.resources,
            network=self.network.for_functions if self.network else None,
            db_host_override=self.database.host_override,
            site_urls={k: v for k, v in site_urls.items() if v},
            cors_origins=cors_origins,
        )

        self.api = RouteApi(self, "Api", config=config, routes=routes, functions=self.functions,
                            alarm_action=alarm_action, cors_origins=cors_origins)
        if self.sites:
            self.sites.deploy(self.api.api)
        self.agent: AgentService | None = None
        no_agent = why_no_agent(config)
        if no_agent is None:
            self.agent = AgentService(self, "Agent", config=config, network=self.network,
                                      database=self.database, functions=self.functions,
                                      alarm_action=alarm_action)
            if self.agent.on_demand:  # the capacity job's need "assistant:scale"
                self.functions.assistant = AssistantTarget(
                    self.agent.resource_id, self.agent.service.service_arn, config.agent_max_count)
        elif config.cloud:
            Annotations.of(self).add_warning_v2("doctorlive:no-agent",
                                                f"No meeting assistant service: {no_agent}")
        self.events = EventWiring(self, "Events", config=config, rows=events, resources=self.resources,
                                  functions=self.functions, alarm_action=alarm_action)
        self.migrate = self._migrate_job(app_secrets)
        # New worker code meets the schema it was written for: migrations first.
        if self.agent is not None and self.migrate_trigger is not None:
            self.agent.service.node.add_dependency(self.migrate_trigger)
        self.operations = Operations(self, "Operations", config=config, api=self.api, events=self.events,
                                     agent=self.agent, alarm_action=alarm_action)

        if config.cloud and not config.db_proxy:
            self.connection_budget = connection_budget(config, routes, events, agent=self.agent is not None)
            warning = check_connection_budget(self.connection_budget)
            if warning:
                Annotations.of(self).add_warning_v2("doctorlive:connection-budget", warning)

        CfnOutput(self, "AlarmTopicArn", value=alarm_topic.topic_arn)
        CfnOutput(self, "DatabaseSecretArn", value=self.database.secret.secret_arn)

    def _migrate_job(self, app_secrets: AppSecrets) -> lambda_.Function:
        """functions/events/migrate.py: migrations, then the JWT key if its secret is empty."""
        jwt = app_secrets.secrets["jwt"]
        fn = self.functions.function(
            self, "MigrateFunction",
            module="functions.events.migrate",
            handler="functions.events.migrate.handler",
            description="Deploy job: apply SQL migrations, create the JWT signing key once",
            needs=MIGRATE_NEEDS,
            timeout=Duration.minutes(5),
        )
        # Reads and, the first time, writes the JWT key; no other secret beyond the database's.
        fn.add_environment("JWT_SECRET_ARN", jwt.secret_arn)
        fn.add_to_role_policy(iam.PolicyStatement(
            actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
                     "secretsmanager:PutSecretValue"],
            resources=[jwt.secret_arn]))
        self.migrate_trigger: triggers.Trigger | None = None
        if self.config.cloud:
            # Runs on the first deploy and whenever the function changes: its code, its
            # configuration or its layers (the migrations ship in the core layer; cdk.json sets
            # @aws-cdk/aws-lambda:recognizeLayerVersion), i.e. every deploy that can carry a
            # migration. The API is (re)deployed after it. LocalStack runs no custom resources:
            # infra/deploy_local.py invokes the function instead.
            self.migrate_trigger = triggers.Trigger(
                self, "MigrateOnDeploy",
                handler=fn,
                invocation_type=triggers.InvocationType.REQUEST_RESPONSE,
                timeout=Duration.minutes(5),
                execute_after=[self.network, self.database],
                execute_before=[self.api.api],
                execute_on_handler_change=True,
            )
        CfnOutput(self, "MigrateFunctionName", value=fn.function_name)
        return fn
