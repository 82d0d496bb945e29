"""Meetings: scheduling, participants with magic links and passwords, cancellation, and the
LiveKit webhook events that move a room through ACTIVE and COMPLETED."""
