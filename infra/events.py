"""The event side, generated from functions/events/wiring.py: each EventRoute row becomes
source -> queue (with a dead-letter queue and an alarm on it) -> function.

Sources: "s3:<bucket key>" (ObjectCreated under the row's key_prefix), "sns:<topic key>" (raw
message delivery, the row's filter policy) and "schedule:<expression>" (an EventBridge rule).
Like the dev stack (devstack/localaws.py), every row has its queue, so retries, the DLQ and the
concurrency cap work the same whatever the source.

S3 notifications use the bucket's own NotificationConfiguration (L1), not
`add_event_notification`, whose custom resource does not run on LocalStack's free edition.
"""
from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from functions.events.wiring import EventRoute
from infra import alarms
from infra.config import StageConfig
from infra.functions import FunctionFactory, needs_of
from infra.nag import acknowledge
from infra.resources import SharedResources, construct_id

DLQ_RETENTION = Duration.days(14)


class EventConsumer(Construct):
    """One EventRoute row: queue + dead-letter queue + alarm + function + event source mapping,
    and the subscription from its source."""

    def __init__(self, scope: Construct, id: str, *, config: StageConfig, row: EventRoute,
                 resources: SharedResources, functions: FunctionFactory,
                 alarm_action: cloudwatch.IAlarmAction | None):
        super().__init__(scope, id)
        if row.visibility_timeout_seconds < row.timeout_seconds:
            raise ValueError(f"event {row.name!r}: the queue's visibility timeout "
                             f"({row.visibility_timeout_seconds}s) must cover the function's "
                             f"timeout ({row.timeout_seconds}s)")
        self.row = row
        self.schedule = (config.job_schedule or row.resource) if row.kind == "schedule" else None
        self.dead_letter_queue = sqs.Queue(
            self, "DeadLetterQueue",
            retention_period=DLQ_RETENTION,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        acknowledge(self.dead_letter_queue, "AwsSolutions-SQS3",
                    reason="This is a dead-letter queue; its messages are inspected and redriven by hand.")
        self.queue = sqs.Queue(
            self, "Queue",
            visibility_timeout=Duration.seconds(row.visibility_timeout_seconds),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue,
                                                  max_receive_count=row.max_receive_count),
        )
        self.alarm = alarms.at_least(
            self, "DeadLettersAlarm",
            description=f"doctor-live {config.name}: messages of {row.name} reached its dead-letter queue",
            metric=self.dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(5), statistic="Maximum"),
            action=alarm_action)

        self.function: lambda_.Function = functions.function(
            self, "Function",
            module=f"functions.events.{row.module}",
            handler=row.handler,
            description=f"event {row.name} from {row.source}"[:256],
            needs=needs_of(row),
            timeout=Duration.seconds(row.timeout_seconds),
            memory_mb=row.memory_mb,
        )
        # A scheduled job has no sender to notice it failing: alarm on the function's errors
        # (each failed run raises), not only on the dead-letter queue that fills a few runs later.
        self.failures_alarm: cloudwatch.Alarm | None = None
        if row.kind == "schedule":
            self.failures_alarm = alarms.at_least(
                self, "FailuresAlarm",
                description=f"doctor-live {config.name}: the scheduled job {row.name} failed",
                metric=self.function.metric_errors(period=Duration.hours(1), statistic="Sum"),
                action=alarm_action)
        self.function.add_event_source(event_sources.SqsEventSource(
            self.queue,
            batch_size=row.batch_size,
            max_concurrency=row.max_concurrency,
            report_batch_item_failures=True,  # handlers use Powertools batch processing
        ))

    def subscribe(self, resources: SharedResources) -> s3.CfnBucket.QueueConfigurationProperty | None:
        """Connect the source to the queue; for S3, the notification entry for the bucket."""
        row = self.row
        if row.kind == "s3":
            self.queue.add_to_resource_policy(iam.PolicyStatement(
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": resources.bucket_arn(row.resource)},
                            "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            ))
            # S3 checks that it may send to the queue when the notification is put.
            resources.buckets[row.resource].node.add_dependency(self.queue)
            key_filter = None
            if row.key_prefix:
                key_filter = s3.CfnBucket.NotificationFilterProperty(
                    s3_key=s3.CfnBucket.S3KeyFilterProperty(rules=[
                        s3.CfnBucket.FilterRuleProperty(name="prefix", value=row.key_prefix)]))
            return s3.CfnBucket.QueueConfigurationProperty(
                event="s3:ObjectCreated:*", queue=self.queue.queue_arn, filter=key_filter)
        if row.kind == "sns":
            subscription = resources.topics[row.resource].add_subscription(
                subscriptions.SqsSubscription(self.queue, raw_message_delivery=True))
            if row.filter_policy:
                subscription.node.default_child.add_property_override("FilterPolicy", row.filter_policy)
            return None
        if row.kind == "schedule":
            events.Rule(self, "Schedule", schedule=events.Schedule.expression(self.schedule),
                        targets=[targets.SqsQueue(self.queue)])
            return None
        raise ValueError(f"event {row.name!r}: unknown source {row.source!r} "
                         "(expected s3:<bucket>, sns:<topic> or schedule:<expression>)")


class EventWiring(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, rows: Sequence[EventRoute],
                 resources: SharedResources, functions: FunctionFactory,
                 alarm_action: cloudwatch.IAlarmAction | None):
        super().__init__(scope, id)
        # A row that scales the on-demand assistant exists only where the stage runs it.
        rows = [r for r in rows if "assistant:scale" not in r.needs or functions.assistant is not None]
        self.rows = tuple(rows)
        for row in rows:
            if row.kind in ("s3", "sns"):
                known = resources.buckets if row.kind == "s3" else resources.topics
                if row.resource not in known:
                    raise ValueError(f"event {row.name!r}: {row.kind} source {row.resource!r} is not "
                                     f"in wiring.{'BUCKETS' if row.kind == 's3' else 'TOPICS'}")
        self.consumers: dict[str, EventConsumer] = {
            row.name: EventConsumer(self, construct_id(row.name), config=config, row=row,
                                    resources=resources, functions=functions, alarm_action=alarm_action)
            for row in rows
        }
        notifications: dict[str, list[s3.CfnBucket.QueueConfigurationProperty]] = {}
        for consumer in self.consumers.values():
            entry = consumer.subscribe(resources)
            if entry is not None:
                notifications.setdefault(consumer.row.resource, []).append(entry)
        for key, entries in notifications.items():  # one L1 property per bucket, every row in it
            bucket: s3.CfnBucket = resources.buckets[key].node.default_child
            bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
                queue_configurations=entries)
