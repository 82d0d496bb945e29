-- Notifications: one row per message and channel (meeting invitations, cancellations,
-- set-password e-mails). The row is the message's identity: its id travels in the SNS message
-- and is the notifiers' idempotency key, so a redelivered or twice-published message is sent once.

-- The calendar invitation's SEQUENCE: raised when the meeting changes (cancellation), so
-- calendar clients apply a METHOD:CANCEL with the same UID over the earlier METHOD:REQUEST.
ALTER TABLE rooms ADD COLUMN ics_sequence integer NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0);

CREATE TABLE notifications (
    id                  uuid PRIMARY KEY,
    seq                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- creation order
    kind                text NOT NULL CHECK (kind IN ('invitation', 'cancellation', 'set_password')),
    channel             text NOT NULL CHECK (channel IN ('email', 'whatsapp')),
    status              notification_status NOT NULL DEFAULT 'queued',
    entity_id           uuid REFERENCES entities (id),
    room_participant_id uuid REFERENCES room_participants (id) ON DELETE CASCADE,
    user_id             uuid REFERENCES users (id) ON DELETE CASCADE,
    recipient           text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error          text CHECK (length(last_error) <= 1000),
    provider_message_id text,
    published_at        timestamptz,
    sent_at             timestamptz,
    failed_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_has_subject CHECK (room_participant_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX notifications_room_participant_idx ON notifications (room_participant_id, channel, seq);
CREATE INDEX notifications_user_idx ON notifications (user_id);
CREATE INDEX notifications_status_idx ON notifications (status, created_at);

CREATE TRIGGER notifications_updated_at BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- room_participants.email_status / whatsapp_status show the participant's latest message on
-- that channel: a status change of an older message (e.g. a late failure of the invitation
-- after a cancellation was queued) does not overwrite the newer one's.
CREATE FUNCTION notifications_mirror_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.room_participant_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM notifications n
                WHERE n.room_participant_id = NEW.room_participant_id
                  AND n.channel = NEW.channel AND n.seq > NEW.seq) THEN
        RETURN NULL;
    END IF;
    UPDATE room_participants
       SET email_status = CASE WHEN NEW.channel = 'email' THEN NEW.status ELSE email_status END,
           whatsapp_status = CASE WHEN NEW.channel = 'whatsapp' THEN NEW.status ELSE whatsapp_status END
     WHERE id = NEW.room_participant_id;
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_mirror_status AFTER INSERT OR UPDATE OF status ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_mirror_status();
