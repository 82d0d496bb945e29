"""The platform's AWS resources on LocalStack, made from the same tables the CDK app reads
(functions/events/wiring.py): buckets, topics, one queue + dead-letter queue per event route,
SNS subscriptions with their filter policies (raw delivery) and S3 → SQS notifications.
Schedule rows get their queue too; the event pump (devstack/pump.py) plays EventBridge and
sends their ticks.

Idempotent: provisioning twice with the same prefix reuses what exists.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from devstack import ports
from functions.events.wiring import BUCKETS, EVENTS, TOPICS, EventRoute, bucket_env, topic_env

LOCALSTACK_URL = os.environ.get("LOCALSTACK_URL") or \
    f"http://127.0.0.1:{os.environ.get('LOCALSTACK_PORT', ports.LOCALSTACK)}"
AWS_ENV = {
    "AWS_ENDPOINT_URL": LOCALSTACK_URL,
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@dataclass
class Queue:
    url: str
    arn: str
    dlq_url: str


@dataclass
class Resources:
    env: dict[str, str] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)


def _clients():
    import boto3

    kw = {"endpoint_url": LOCALSTACK_URL, "region_name": "us-east-1",
          "aws_access_key_id": "test", "aws_secret_access_key": "test"}
    return boto3.client("s3", **kw), boto3.client("sns", **kw), boto3.client("sqs", **kw)


def provision(prefix: str, routes: tuple[EventRoute, ...] = EVENTS,
              visibility_timeout: int | None = None) -> Resources:
    """Create everything; `visibility_timeout` overrides the routes' (short retries in tests)."""
    s3, sns, sqs = _clients()
    res = Resources(env=dict(AWS_ENV))
    buckets = {}
    for key in BUCKETS:
        name = f"{prefix}-{key}"
        s3.create_bucket(Bucket=name)
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [{
            "AllowedOrigins": ["*"], "AllowedMethods": ["POST", "PUT", "GET"], "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 3000}]})
        buckets[key] = name
        res.env[bucket_env(key)] = name
    if "recordings" in buckets:
        # LiveKit's egress (the stand-in's, or a real server's that reaches LocalStack) uploads
        # recordings with these, as it would with the uploader's keys in the cloud.
        res.env.update({"RECORDINGS_S3_ENDPOINT": LOCALSTACK_URL, "RECORDINGS_ACCESS_KEY_ID": "test",
                        "RECORDINGS_SECRET_ACCESS_KEY": "test", "RECORDINGS_REGION": "us-east-1"})
    topics = {}
    for key in TOPICS:
        topics[key] = sns.create_topic(Name=f"{prefix}-{key}")["TopicArn"]
        res.env[topic_env(key)] = topics[key]
    notifications: dict[str, list[dict]] = {}
    for route in routes:  # every row has its queue, as in the CDK app; the pump ticks schedules
        dlq_url = sqs.create_queue(QueueName=f"{prefix}-{route.name}-dlq",
                                   Attributes={"MessageRetentionPeriod": "1209600"})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        url = sqs.create_queue(QueueName=f"{prefix}-{route.name}", Attributes={
            "VisibilityTimeout": str(visibility_timeout or route.visibility_timeout_seconds),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn,
                                         "maxReceiveCount": str(route.max_receive_count)}),
        })["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        res.queues[route.name] = Queue(url, arn, dlq_url)
        if route.kind == "schedule":
            continue
        if route.kind == "sns":
            attrs = {"RawMessageDelivery": "true"}
            if route.filter_policy:
                attrs["FilterPolicy"] = json.dumps(route.filter_policy)
            sns.subscribe(TopicArn=topics[route.resource], Protocol="sqs", Endpoint=arn,
                          Attributes=attrs, ReturnSubscriptionArn=True)
        else:
            rule = {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}
            if route.key_prefix:
                rule["Filter"] = {"Key": {"FilterRules": [{"Name": "prefix", "Value": route.key_prefix}]}}
            notifications.setdefault(buckets[route.resource], []).append(rule)
    for bucket, rules in notifications.items():
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"QueueConfigurations": rules})
    return res


def purge(res: Resources) -> None:
    _, _, sqs = _clients()
    for q in res.queues.values():
        for url in (q.url, q.dlq_url):
            sqs.purge_queue(QueueUrl=url)
