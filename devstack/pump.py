"""The event pump: what Lambda's SQS event source mapping does in the cloud, done locally.

For each route of functions/events/wiring.py it receives from the route's queue, calls the
route's handler with a real SQS event, and deletes what succeeded. With ReportBatchItemFailures
semantics, messages listed in `batchItemFailures` (or the whole batch if the handler raises)
stay on the queue, come back after the visibility timeout, and after `max_receive_count`
deliveries SQS moves them to the dead-letter queue.

Schedule rows ("schedule:rate(1 minute)"): the pump also plays EventBridge, sending the row's
queue a Scheduled Event at the row's rate (`tick`), so `make dev` runs scheduled jobs as AWS
does. Cron expressions are not run locally (the pump says so).
"""
from __future__ import annotations

import importlib
import json
import re
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from devstack.apigw import LambdaContext
from devstack.localaws import LOCALSTACK_URL, Resources
from functions.events.wiring import EVENTS, EventRoute


def sqs_event(messages: list[dict], queue_arn: str) -> dict:
    records = []
    for m in messages:
        attrs = {k: {"stringValue": v.get("StringValue"), "binaryValue": v.get("BinaryValue"),
                     "stringListValues": [], "binaryListValues": [], "dataType": v["DataType"]}
                 for k, v in (m.get("MessageAttributes") or {}).items()}
        records.append({
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m.get("Attributes", {}), "messageAttributes": attrs,
            "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn, "awsRegion": "us-east-1",
        })
    return {"Records": records}


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int | None:
    """Seconds between runs of an EventBridge `rate(...)` expression; None for `cron(...)`."""
    m = _RATE.match(expression.strip())
    if m is None:
        if expression.startswith("cron("):
            return None
        raise ValueError(f"not an EventBridge schedule expression: {expression!r}")
    return int(m.group(1)) * _UNIT_SECONDS[m.group(2).rstrip("s")]


def scheduled_event(route: EventRoute) -> dict:
    """What EventBridge sends to a rule's target."""
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "000000000000",
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": "us-east-1",
            "resources": [f"arn:aws:events:us-east-1:000000000000:rule/{route.name}"], "detail": {}}


class Pump:
    def __init__(self, resources: Resources, routes: tuple[EventRoute, ...] = EVENTS,
                 log: Callable[[str], None] = print):
        import boto3

        self.resources = resources
        self.routes = {r.name: r for r in routes if r.name in resources.queues}
        self.sqs = boto3.client("sqs", endpoint_url=LOCALSTACK_URL, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test")
        self.log = log
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def run_once(self, name: str, wait_seconds: int = 0) -> int:
        """One receive → handler → delete round; returns how many messages were received."""
        route, queue = self.routes[name], self.resources.queues[name]
        got = self.sqs.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=min(route.batch_size, 10),
                                       WaitTimeSeconds=wait_seconds, AttributeNames=["All"],
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not got:
            return 0
        module = importlib.import_module(f"functions.events.{route.module}")
        try:
            result = module.handler(sqs_event(got, queue.arn), LambdaContext(function_name=route.name))
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception:  # noqa: BLE001 - a crashed invocation fails the whole batch, as in Lambda
            self.log(f"pump: {route.name} handler raised:\n{traceback.format_exc()}")
            failed = {m["MessageId"] for m in got}
        done = [m for m in got if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=queue.url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
        if failed:
            self.log(f"pump: {route.name}: {len(failed)} of {len(got)} failed; they will be retried")
        return len(got)

    def tick(self, name: str) -> None:
        """One scheduled event to a schedule row's queue, as its EventBridge rule would send."""
        route = self.routes[name]
        if route.kind != "schedule":
            raise ValueError(f"{name} is not a schedule row")
        self.sqs.send_message(QueueUrl=self.resources.queues[name].url,
                              MessageBody=json.dumps(scheduled_event(route)))

    def run_until(self, name: str, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Pump `name` until `condition()` holds (tests wait for a condition, never a fixed time)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}: condition not met within {timeout}s")
            self.run_once(name, wait_seconds=1)

    def start(self) -> None:
        for name, route in self.routes.items():
            t = threading.Thread(target=self._loop, args=(name,), name=f"pump-{name}", daemon=True)
            t.start()
            self._threads.append(t)
            if route.kind == "schedule":
                every = rate_seconds(route.resource)
                if every is None:
                    self.log(f"pump: {name}: {route.resource} is not run locally (rate() only)")
                    continue
                t = threading.Thread(target=self._schedule, args=(name, every), name=f"schedule-{name}",
                                     daemon=True)
                t.start()
                self._threads.append(t)

    def _schedule(self, name: str, every: float) -> None:
        while not self._stop.wait(every):  # the first tick one period after start, as EventBridge
            try:
                self.tick(name)
            except Exception:  # noqa: BLE001 - keep the schedule; LocalStack may be restarting
                self.log(f"pump: {name} schedule: {traceback.format_exc(limit=1)}")

    def _loop(self, name: str) -> None:
        while not self._stop.is_set():
            try:
                self.run_once(name, wait_seconds=2)
            except Exception:  # noqa: BLE001 - keep pumping; LocalStack may be restarting
                self.log(f"pump: {name}: {traceback.format_exc(limit=1)}")
                self._stop.wait(1)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
