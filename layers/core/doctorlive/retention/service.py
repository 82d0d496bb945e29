"""The retention rules, in bounded batches, each batch its own transaction.

Recordings: the S3 object is deleted first, then the row, so a run that dies in between leaves
a row whose object is already gone; the next run deletes it again (S3's DeleteObject of a
missing key succeeds) and then the row. Nothing is ever left pointing nowhere for longer than
one run, and nothing is deleted twice in a way that matters. Transcript segments and summaries
of meetings past their entity's retention are plain deletes.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import psycopg

from doctorlive.observability import logger
from doctorlive.retention.repo import RetentionRepo


@dataclass
class Purged:
    recordings: int = 0
    objects: int = 0
    transcript_segments: int = 0
    summaries: int = 0
    more: bool = False   # the batch limit stopped the run with work left (the next run goes on)

    def total(self) -> int:
        return self.recordings + self.transcript_segments + self.summaries


Transaction = Callable[[], AbstractContextManager[psycopg.Connection]]


def purge(transaction: Transaction, s3, bucket: str, *, batch_size: int = 100,
          max_batches: int = 20) -> Purged:
    """Delete what is due. `transaction()` opens one transaction; `s3` is a boto3 S3 client."""
    done = Purged()
    for _ in range(max_batches):
        with transaction() as conn:
            repo = RetentionRepo(conn)
            rows = repo.due_recordings(batch_size)
            for row in rows:
                if row.s3_key:
                    s3.delete_object(Bucket=bucket, Key=row.s3_key)
                    done.objects += 1
            done.recordings += repo.delete_recordings([r.id for r in rows]) if rows else 0
        if len(rows) < batch_size:
            break
    else:
        done.more = True
    for kind in ("transcript_segments", "summaries"):
        for _ in range(max_batches):
            with transaction() as conn:
                repo = RetentionRepo(conn)
                n = repo.delete_expired_transcript_segments(batch_size) if kind == "transcript_segments" \
                    else repo.delete_expired_summaries(batch_size)
            setattr(done, kind, getattr(done, kind) + n)
            if n < batch_size:
                break
        else:
            done.more = True
    logger.info("retention purge", extra={"recordings": done.recordings, "objects": done.objects,
                                          "transcript_segments": done.transcript_segments,
                                          "summaries": done.summaries, "more": done.more})
    return done
