"""EventBridge schedule → SQS → here: delete recordings (S3 object, then row) at their purge
date and transcripts and summaries past their entity's retention (doctorlive.retention).

One run per invocation whatever the batch holds (several ticks queued while a run was down are
one run's work); a failure raises, so the messages come back, the function's Errors metric
counts it and the CDK app's alarm on it fires. Safe to re-run at any point.
"""
from __future__ import annotations

from doctorlive import db, needs
from doctorlive.aws import client
from doctorlive.observability import count, instrument
from doctorlive.retention.service import purge
from doctorlive.settings import get_settings
from functions.events.wiring import route_for

needs.check(__name__, route_for(__name__).needs)  # cold start: fail now, naming what is missing

# Metric names the CDK app and operators rely on (EMF, namespace DoctorLive).
PURGED_RECORDINGS = "PurgedRecordings"
PURGED_TRANSCRIPT_SEGMENTS = "PurgedTranscriptSegments"
PURGED_SUMMARIES = "PurgedSummaries"


@instrument
def handler(event: dict, context) -> dict:
    s = get_settings()
    done = purge(db.transaction, client("s3"), s.recordings_bucket,
                 batch_size=s.retention_batch_size, max_batches=s.retention_max_batches)
    count(PURGED_RECORDINGS, done.recordings)
    count(PURGED_TRANSCRIPT_SEGMENTS, done.transcript_segments)
    count(PURGED_SUMMARIES, done.summaries)
    return {"batchItemFailures": [], "purged": {
        "recordings": done.recordings, "objects": done.objects,
        "transcript_segments": done.transcript_segments, "summaries": done.summaries,
        "more": done.more}}
