-- The invoice timeline. Entries are numbered per invoice by the workflow (the API writes entry
-- 0, "created"); the pair is unique, so an activity retried after a crash appends nothing twice.
CREATE TABLE invoice_events (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    seq             integer NOT NULL,
    kind            text NOT NULL,
    data            jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoice_events_seq_unique UNIQUE (invoice_id, seq)
);
