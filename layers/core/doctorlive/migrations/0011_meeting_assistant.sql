-- The meeting assistant: its switches, what it hears (transcript segments), what it leaves
-- (summary with action items), one claim per room so a room never has two assistants, and a
-- usage ledger rich enough to cost every model it used.

-- On/off per entity (default on) and per meeting (set when scheduling, default: the entity's).
-- The agent is dispatched only when both are on.
ALTER TABLE entities ADD COLUMN assistant_enabled boolean NOT NULL DEFAULT true;
ALTER TABLE rooms ADD COLUMN assistant_enabled boolean NOT NULL DEFAULT true;

-- One final speech-to-text segment per row, attributed to the participant who spoke it.
CREATE TABLE transcript_segments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id        uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant_id uuid REFERENCES participants (id),
    speaker_name   text NOT NULL CHECK (length(speaker_name) BETWEEN 1 AND 200),
    segment_id     text NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz NOT NULL,
    text           text NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    language       text,
    stt_model      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transcript_segments_key UNIQUE (room_id, segment_id),
    CONSTRAINT transcript_segments_order CHECK (ended_at >= started_at)
);
CREATE INDEX transcript_segments_room_idx ON transcript_segments (room_id, started_at);

-- What the assistant writes when the meeting ends.
CREATE TABLE meeting_summaries (
    room_id      uuid PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    summary      text NOT NULL CHECK (length(summary) <= 20000),
    action_items jsonb NOT NULL DEFAULT '[]'::jsonb,
    mode         text NOT NULL CHECK (mode IN ('generative', 'extractive')),
    model        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER meeting_summaries_updated_at BEFORE UPDATE ON meeting_summaries
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- At most one assistant per room: a job claims the room with a lease it renews while it is
-- there. A second job for the same room is refused while the lease holds; a crashed worker's
-- lease simply runs out.
CREATE TABLE agent_claims (
    room_id     uuid PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    job_id      text NOT NULL,
    worker_id   text NOT NULL DEFAULT '',
    lease_until timestamptz NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now()
);

-- The usage ledger: one row per agent session (job), with every model's figures.
ALTER TABLE agent_usage
    ADD COLUMN job_id            text UNIQUE,
    ADD COLUMN llm_model         text,
    ADD COLUMN stt_model         text,
    ADD COLUMN embedding_model   text,
    ADD COLUMN stt_seconds       numeric(12, 3) NOT NULL DEFAULT 0 CHECK (stt_seconds >= 0),
    ADD COLUMN embedding_tokens  integer NOT NULL DEFAULT 0 CHECK (embedding_tokens >= 0),
    ADD COLUMN cost_breakdown    jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN usage_detail      jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX agent_usage_started_idx ON agent_usage (started_at);
