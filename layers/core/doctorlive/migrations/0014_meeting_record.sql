-- The meeting record (issue 13 items 2 and 4): the organiser gets the assistant's notes by
-- e-mail once per meeting, through the notifications fan-out.

-- A fourth kind of message: the meeting's notes, to its organiser (a user).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('invitation', 'cancellation', 'set_password', 'meeting_notes'));

-- Set by the one transaction that queues the notes e-mail: a summary written again (a retried
-- or second agent session) is not sent again.
ALTER TABLE meeting_summaries ADD COLUMN notes_notification_id uuid REFERENCES notifications (id) ON DELETE SET NULL;

-- The usage report filters by the meeting's entity and the session's start.
CREATE INDEX agent_usage_room_started_idx ON agent_usage (room_id, started_at);
