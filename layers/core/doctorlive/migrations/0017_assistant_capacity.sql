-- The assistant on demand (doctorlive.assistant.capacity): each minute a job counts the
-- meetings that need the assistant now. Open meetings (SCHEDULED, ACTIVE) by their end, so the
-- count reads the few around now, not every meeting ever scheduled and never held.
CREATE INDEX rooms_due_idx ON rooms (scheduled_end) WHERE status IN ('SCHEDULED', 'ACTIVE');
