-- What the serverless design keeps in Postgres instead of Redis.

-- Refresh tokens: only a SHA-256 of the opaque token is stored. Rotation marks the used
-- token (used_at, replaced_by); presenting a used token again revokes its whole family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    replaced_by uuid REFERENCES refresh_tokens (id),
    created_ip  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Sliding-window rate limits: one row per counted hit of a bucket (e.g. failed logins of
-- an e-mail+IP pair). Rows older than the longest window are purged.
CREATE TABLE rate_limit_hits (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket  text NOT NULL,
    hit_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limit_hits_bucket_idx ON rate_limit_hits (bucket, hit_at);
