-- Hardening (issue 11).

-- Revocation at once: an access token issued before this instant is refused, checked on every
-- authenticated request by primary key. Role changes, deactivation and password changes move it.
ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz NOT NULL DEFAULT '-infinity';
