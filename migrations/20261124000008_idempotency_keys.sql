-- Idempotency-Key (api/src/idempotency.rs): the first successful answer to a POST, replayed
-- for 24 hours to any retry with the same key from the same account. Kept in PostgreSQL, not
-- Redis: a retry must never create a second invoice or payment because a cache was flushed.
CREATE TABLE idempotency_keys (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL,
    -- SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint  bytea NOT NULL,
    -- NULL while the first request is still being answered.
    status_code  smallint,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (user_id, key)
);

-- For purging keys older than 24 hours.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
