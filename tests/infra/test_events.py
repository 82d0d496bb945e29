"""Each row of the event table becomes queue + DLQ + alarm + function + event source mapping,
and its source is wired to the queue. Checked on the real table (dev) and on the table with
fake rows of every source kind added (fake-events)."""
from __future__ import annotations

import json

import pytest

from functions.events.wiring import BUCKETS, EVENTS, TOPICS
from tests.infra.cfn import as_list, props, ref_id, refs_in, resources
from tests.infra.conftest import fake_event_rows

# The row that scales the on-demand assistant is only where the stage runs it (prod's default).
ON_DEMAND = {r.name for r in EVENTS if "assistant:scale" in r.needs}
ELSEWHERE = tuple(r for r in EVENTS if r.name not in ON_DEMAND)
TABLES = {"dev": ELSEWHERE, "fake-events": (*ELSEWHERE, *fake_event_rows()), "prod": EVENTS}


def _id(stack, construct) -> str:
    return stack.get_logical_id(construct.node.default_child)


@pytest.mark.parametrize("key", TABLES)
def test_every_row_gets_queue_dlq_alarm_function_and_mapping(synth, key):
    stack, template, rows = synth.stacks[key], synth.templates[key], TABLES[key]
    assert set(stack.events.consumers) == {r.name for r in rows}
    dlq_alarms = {}
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        a = alarm["Properties"]
        if a["MetricName"] == "ApproximateNumberOfMessagesVisible":
            (dimension,) = a["Dimensions"]
            dlq_alarms[ref_id(dimension["Value"])] = a
    mappings = resources(template, "AWS::Lambda::EventSourceMapping")
    for row in rows:
        consumer = stack.events.consumers[row.name]
        queue, dlq, fn = (_id(stack, c) for c in (consumer.queue, consumer.dead_letter_queue, consumer.function))
        q = props(template, queue)
        assert refs_in(q["RedrivePolicy"]["deadLetterTargetArn"]) == {dlq}
        assert q["RedrivePolicy"]["maxReceiveCount"] == row.max_receive_count
        assert q["VisibilityTimeout"] == row.visibility_timeout_seconds
        assert props(template, dlq)["MessageRetentionPeriod"] == 14 * 24 * 3600
        alarm = dlq_alarms[dlq]
        assert alarm["Threshold"] == 1 and alarm["AlarmActions"]
        f = props(template, fn)
        assert f["Handler"] == row.handler
        assert f["Timeout"] == row.timeout_seconds and f["MemorySize"] == row.memory_mb
        (mapping,) = [m["Properties"] for m in mappings.values()
                      if refs_in(m["Properties"]["EventSourceArn"]) == {queue}]
        assert ref_id(mapping["FunctionName"]) == fn
        assert mapping["BatchSize"] == row.batch_size
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        if row.max_concurrency:
            assert mapping["ScalingConfig"]["MaximumConcurrency"] == row.max_concurrency


@pytest.mark.parametrize("key", TABLES)
def test_sources_deliver_to_the_rows_queues(synth, key):
    stack, template, rows = synth.stacks[key], synth.templates[key], TABLES[key]
    queue_of = {r.name: _id(stack, stack.events.consumers[r.name].queue) for r in rows}
    for bucket_key in BUCKETS:
        bucket = _id(stack, stack.resources.buckets[bucket_key])
        expected = {(queue_of[r.name], r.key_prefix) for r in rows if r.kind == "s3" and r.resource == bucket_key}
        configs = props(template, bucket).get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        got = {(ref_id(c["Queue"]), next(iter(c.get("Filter", {}).get("S3Key", {}).get("Rules", [])),
                                         {}).get("Value", "")) for c in configs}
        assert got == expected, bucket_key  # the L1 property: works on LocalStack too
        for c in configs:
            assert c["Event"] == "s3:ObjectCreated:*"
    assert resources(template, "Custom::S3BucketNotifications") == {}
    subscriptions = [s["Properties"] for s in resources(template, "AWS::SNS::Subscription").values()]
    for row in rows:
        if row.kind == "sns":
            topic = _id(stack, stack.resources.topics[row.resource])
            (sub,) = [s for s in subscriptions if refs_in(s["Endpoint"]) == {queue_of[row.name]}]
            assert ref_id(sub["TopicArn"]) == topic and sub["Protocol"] == "sqs"
            assert sub["RawMessageDelivery"] is True
            assert sub.get("FilterPolicy", {}) == row.filter_policy
        if row.kind == "schedule":
            rules = [r["Properties"] for r in resources(template, "AWS::Events::Rule").values()
                     if any(refs_in(t["Arn"]) == {queue_of[row.name]} for t in r["Properties"]["Targets"])]
            # The row's own schedule unless the stage runs its jobs on one (dev: test_cost.py).
            assert [r["ScheduleExpression"] for r in rules] == [stack.config.job_schedule or row.resource]
    if key == "fake-events":
        assert {r.kind for r in rows} >= {"s3", "sns", "schedule"}


def test_queues_accept_only_their_sources(synth):
    stack, template = synth.stacks["fake-events"], synth.templates["fake-events"]
    policies = resources(template, "AWS::SQS::QueuePolicy")
    for row in TABLES["fake-events"]:
        queue = _id(stack, stack.events.consumers[row.name].queue)
        statements = [st for p in policies.values() if queue in refs_in(p["Properties"]["Queues"])
                      for st in p["Properties"]["PolicyDocument"]["Statement"] if st["Effect"] == "Allow"]
        principals = {json.dumps(st["Principal"], sort_keys=True) for st in statements}
        expected = {"s3": "s3.amazonaws.com", "sns": "sns.amazonaws.com", "schedule": "events.amazonaws.com"}
        assert principals == {json.dumps({"Service": expected[row.kind]})}, row.name
        for st in statements:
            actions = set(as_list(st["Action"]))
            assert "sqs:SendMessage" in actions
            assert actions <= {"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}
            assert st.get("Condition"), "each grant is bound to its source"


def test_buckets_and_topics_of_the_wiring_module_exist(synth):
    stack = synth.stacks["dev"]
    assert set(stack.resources.buckets) == set(BUCKETS)
    assert set(stack.resources.topics) == set(TOPICS)


def test_the_republish_job_runs_every_minute_and_may_publish_to_the_notifications_topic(synth):
    """Issue 11 item 8: rule (rate 1 minute) → its queue → the notify_republish function, which
    gets the topic's ARN and sns:Publish on that topic only, and no notification key (the stored
    messages are already sealed). In prod: dev runs its jobs three times a working day (test_cost.py)."""
    from tests.infra.cfn import role_policies

    stack, template = synth.stacks["prod"], synth.templates["prod"]
    [row] = [r for r in EVENTS if r.module == "notify_republish"]
    assert row.kind == "schedule" and row.resource == "rate(1 minute)"
    consumer = stack.events.consumers[row.name]
    queue, fn = _id(stack, consumer.queue), _id(stack, consumer.function)
    [rule] = [r["Properties"] for r in resources(template, "AWS::Events::Rule").values()
              if any(refs_in(t["Arn"]) == {queue} for t in r["Properties"]["Targets"])]
    assert rule["ScheduleExpression"] == "rate(1 minute)" and rule.get("State", "ENABLED") == "ENABLED"
    [mapping] = [m["Properties"] for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
                 if refs_in(m["Properties"]["EventSourceArn"]) == {queue}]
    assert ref_id(mapping["FunctionName"]) == fn
    f = props(template, fn)
    assert f["Handler"] == "functions.events.notify_republish.handler"
    env = f["Environment"]["Variables"]
    topic = _id(stack, stack.resources.topics["notifications"])
    assert refs_in(env["NOTIFICATIONS_TOPIC_ARN"]) == {topic}
    assert not any(k.startswith("NOTIFICATION_KEY") or k == "NOTIFICATIONS_SECRET_ARN" for k in env)
    publishes = [st for st in role_policies(template, ref_id(f["Role"]))
                 if "sns:Publish" in as_list(st["Action"])]
    assert publishes and all(refs_in(st["Resource"]) == {topic} for st in publishes)
