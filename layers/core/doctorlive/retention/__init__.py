"""Retention: what a meeting leaves behind (recordings, transcripts, summaries) is deleted when
its entity's retention runs out (functions/events/retention_purge.py, on a schedule)."""
