"""S3 ObjectCreated → SQS → here: chunk and embed uploaded PDFs into pgvector.

Powertools batch processing reports partial failures (only failed records are redelivered) and
idempotency on the S3 object (key, ETag, sequencer) makes a duplicated event a no-op.
"""
from __future__ import annotations

import json

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from doctorlive import needs
from doctorlive.aws import client
from doctorlive.idempotency import idempotent_record, register_context
from doctorlive.knowledge.ingest import ObjectRef, ingest
from doctorlive.observability import instrument
from doctorlive.providers.embeddings import get_provider
from functions.events.wiring import route_for

ROUTE = route_for(__name__)
needs.check(__name__, ROUTE.needs)  # cold start: fail now, naming what the deploy left out
processor = BatchProcessor(event_type=EventType.SQS)


@idempotent_record("[s3.bucket.name, s3.object.key, s3.object.eTag, s3.object.sequencer]")
def ingest_object(record: dict, final_attempt: bool = False) -> str:
    return ingest(ObjectRef.from_s3_record(record), client("s3"), get_provider(), final_attempt)


def handle_message(record: SQSRecord) -> None:
    message = record
    body = json.loads(message.body)
    if body.get("Event") == "s3:TestEvent":  # S3 sends one when the notification is configured
        return
    final = int(message.attributes.approximate_receive_count or 1) >= ROUTE.max_receive_count
    for s3_record in body.get("Records", []):
        if s3_record.get("eventName", "").startswith("ObjectCreated"):
            ingest_object(record=s3_record, final_attempt=final)


@instrument
def handler(event: dict, context) -> dict:
    register_context(context)
    return process_partial_response(event=event, record_handler=handle_message, processor=processor,
                                    context=context)
