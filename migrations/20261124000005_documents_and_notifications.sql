-- Documents, notifications and reminders (issue 3).

-- The latest PDF rendered for an invoice; `pdf_url` is offered once it is set. Renders only
-- move it forward, so a late retry of an older render cannot hide a newer one.
ALTER TABLE invoices ADD COLUMN document_version integer;

-- The account's reminder schedule as it was when the invoice was sent: a later change of the
-- account's schedule applies to invoices sent afterwards, not to this one.
ALTER TABLE invoices ADD COLUMN reminder_days integer[];

-- Every PDF version of an invoice, as stored in S3.
CREATE TABLE invoice_documents (
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    version         integer NOT NULL CONSTRAINT invoice_documents_version_positive CHECK (version > 0),
    storage_key     text NOT NULL,
    size_bytes      bigint NOT NULL,
    -- PAID or VOID stamped on this version, if any.
    mark            text CONSTRAINT invoice_documents_mark_known CHECK (mark IN ('paid', 'void')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (invoice_id, version)
);

-- Side effects outside PostgreSQL (an e-mail sent, an event published) recorded by their
-- idempotency key: an activity checks its key before acting, so a retried or replayed activity
-- does not act twice.
CREATE TABLE side_effects (
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    -- What was done: `email:invoice_sent`, `email:reminder:-3`, `event:<event id>`, ...
    step            text NOT NULL,
    outcome         jsonb NOT NULL,
    performed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (invoice_id, step)
);

-- An account's reminder schedule: days relative to the due date (negative = before it). No row
-- means the default schedule. Applies to invoices sent after it changes.
CREATE TABLE reminder_policies (
    user_id             uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    days_from_due_date  integer[] NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
