-- Powertools idempotency records (our Postgres persistence layer instead of DynamoDB):
-- a redelivered or duplicated event finds its record and does not do the work twice.
CREATE TABLE idempotency_records (
    id                    text PRIMARY KEY,
    status                text NOT NULL,
    expiry                bigint NOT NULL,          -- epoch seconds
    in_progress_expiry    bigint,                   -- epoch milliseconds
    response_data         text,
    payload_hash          text,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_records_expiry_idx ON idempotency_records (expiry);
