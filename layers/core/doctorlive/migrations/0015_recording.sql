-- Recording, opt-in: off per entity by default; a meeting may turn it off (never on when its
-- entity has it off: the API refuses, and joining records only when both are on, so an entity
-- that turns recording off stops it for the meetings already scheduled too).
ALTER TABLE entities ADD COLUMN record_meetings boolean NOT NULL DEFAULT false;
ALTER TABLE rooms ADD COLUMN record boolean NOT NULL DEFAULT false;

-- The retention job looks for what is past its date: recordings by purge_at (indexed in 0004),
-- transcripts and summaries by their meeting's end.
CREATE INDEX rooms_ended_at_idx ON rooms (ended_at) WHERE ended_at IS NOT NULL;
