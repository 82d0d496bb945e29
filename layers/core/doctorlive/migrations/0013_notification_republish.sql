-- Every notification published (issue 11 item 8). The API commits a `queued` row, then publishes
-- to SNS; a crash (or an SNS error) between the two used to leave the row `queued` forever. Now the
-- row keeps the message it publishes, and the scheduled notify-republish job publishes again what
-- is still unpublished once the publisher's claim has lapsed.
--
--   message                the JSON published to SNS (its secret part sealed, see sealing.py);
--                          cleared once the notification is sent or has finally failed
--   publish_claimed_until  whoever publishes owns the row until then: the API for its first
--                          minute, then the republish job for one lease at a time. The job takes
--                          rows whose claim lapsed, moving the claim in the same statement
--                          (FOR UPDATE SKIP LOCKED), so two runs never take the same row.
--   publish_attempts       SNS publishes tried; the job gives up (status failed) after a bound
ALTER TABLE notifications
    ADD COLUMN message text,
    ADD COLUMN publish_attempts integer NOT NULL DEFAULT 0 CHECK (publish_attempts >= 0),
    -- the default gives rows inserted without a claim (code of the previous release, during a
    -- deploy) the same one-minute grace as the API's own inserts
    ADD COLUMN publish_claimed_until timestamptz NOT NULL DEFAULT now() + interval '1 minute';

CREATE INDEX notifications_unpublished_idx ON notifications (publish_claimed_until)
    WHERE status = 'queued' AND published_at IS NULL;
