-- Meetings, their participants, what happened in them, the agent's work and recordings.
CREATE TABLE rooms (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id           uuid NOT NULL REFERENCES entities (id),
    department_id       uuid REFERENCES departments (id),
    organizer_id        uuid NOT NULL REFERENCES users (id),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description         text CHECK (length(description) <= 4000),
    scheduled_start     timestamptz NOT NULL,
    scheduled_end       timestamptz NOT NULL,
    timezone            text NOT NULL DEFAULT 'UTC',
    custom_instructions text CHECK (length(custom_instructions) <= 8000),
    max_participants    integer NOT NULL CHECK (max_participants BETWEEN 1 AND 100),
    status              room_status NOT NULL DEFAULT 'SCHEDULED',
    livekit_room_name   text UNIQUE,
    actual_participants integer NOT NULL DEFAULT 0 CHECK (actual_participants >= 0),
    started_at          timestamptz,
    ended_at            timestamptz,
    cancelled_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rooms_end_after_start CHECK (scheduled_end > scheduled_start)
);
CREATE INDEX rooms_entity_start_idx ON rooms (entity_id, scheduled_start DESC);
CREATE INDEX rooms_organizer_idx ON rooms (organizer_id, scheduled_start DESC);
CREATE INDEX rooms_status_idx ON rooms (status);
CREATE INDEX rooms_department_idx ON rooms (department_id);

CREATE TABLE participants (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type             participant_type NOT NULL DEFAULT 'HUMAN',
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email            text CHECK (length(email) <= 254),
    phone            text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    livekit_identity text UNIQUE,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX participants_email_idx ON participants (lower(email));

CREATE TABLE room_participants (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id           uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant_id    uuid NOT NULL REFERENCES participants (id),
    -- Magic link: only a SHA-256 of the token and a bcrypt hash of the 8-digit password are kept.
    magic_token_hash  text UNIQUE,
    password_hash     text,
    token_expires_at  timestamptz,
    -- Brute-force state of this magic link (what the seed kept in Redis).
    failed_attempts   integer NOT NULL DEFAULT 0,
    locked_until      timestamptz,
    joined_at         timestamptz,
    left_at           timestamptz,
    duration_seconds  integer,
    email_status      notification_status,
    whatsapp_status   notification_status,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT room_participants_key UNIQUE (room_id, participant_id)
);
CREATE INDEX room_participants_participant_idx ON room_participants (participant_id);

CREATE TABLE room_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id          uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    event_type       text NOT NULL,
    event_data       jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- LiveKit webhook id: each delivered event is applied once.
    source_event_id  text UNIQUE,
    occurred_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX room_events_room_idx ON room_events (room_id, occurred_at);

CREATE TABLE agent_session_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id          uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant_id   uuid REFERENCES participants (id),
    event_type       text NOT NULL,
    interaction_type text,
    content          text,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_session_events_room_idx ON agent_session_events (room_id, occurred_at);
CREATE INDEX agent_session_events_participant_idx ON agent_session_events (participant_id);

CREATE TABLE agent_usage (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id           uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant_id    uuid REFERENCES participants (id),
    model             text,
    started_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    duration_seconds  integer,
    prompt_tokens     integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    total_tokens      integer NOT NULL DEFAULT 0,
    cost_usd          numeric(12, 6) NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_usage_room_idx ON agent_usage (room_id);
CREATE INDEX agent_usage_participant_idx ON agent_usage (participant_id);

CREATE TABLE recordings (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id           uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    livekit_egress_id text NOT NULL UNIQUE,
    s3_key            text,
    duration_seconds  integer,
    file_size_bytes   bigint,
    started_at        timestamptz,
    ended_at          timestamptz,
    purge_at          timestamptz,
    metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recordings_room_idx ON recordings (room_id);
CREATE INDEX recordings_purge_idx ON recordings (purge_at);

-- Agent usage: duration and total tokens follow from the row itself.
CREATE FUNCTION agent_usage_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.ended_at IS NOT NULL THEN
        NEW.duration_seconds := GREATEST(0, floor(extract(epoch FROM NEW.ended_at - NEW.started_at)))::integer;
    END IF;
    NEW.total_tokens := NEW.prompt_tokens + NEW.completion_tokens;
    RETURN NEW;
END $$;
CREATE TRIGGER agent_usage_derive BEFORE INSERT OR UPDATE ON agent_usage FOR EACH ROW EXECUTE FUNCTION agent_usage_derive();

-- Recordings: purge date from the owning entity's retention setting.
CREATE FUNCTION recordings_set_purge_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.purge_at IS NULL OR (TG_OP = 'UPDATE' AND NEW.ended_at IS DISTINCT FROM OLD.ended_at) THEN
        SELECT COALESCE(NEW.ended_at, NEW.started_at, now()) + make_interval(days => e.recording_retention_days)
          INTO NEW.purge_at
          FROM rooms r JOIN entities e ON e.id = r.entity_id
         WHERE r.id = NEW.room_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER recordings_set_purge_at BEFORE INSERT OR UPDATE ON recordings FOR EACH ROW EXECUTE FUNCTION recordings_set_purge_at();

CREATE TRIGGER rooms_updated_at BEFORE UPDATE ON rooms FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER participants_updated_at BEFORE UPDATE ON participants FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER room_participants_updated_at BEFORE UPDATE ON room_participants FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER agent_usage_updated_at BEFORE UPDATE ON agent_usage FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER recordings_updated_at BEFORE UPDATE ON recordings FOR EACH ROW EXECUTE FUNCTION set_updated_at();
