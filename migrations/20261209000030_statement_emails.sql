-- Statements of account e-mailed to customers (POST /api/customers/{id}/statement/email), so
-- the books show which statement went out: who sent it (the account), when, for which period,
-- to whom, and the PDF that went (its key in the documents bucket).
CREATE TABLE statement_emails (
    -- The statement's own id: its workflow is `statement-{id}` and its PDF is stored at
    -- `statements/{customer_id}/{id}.pdf`. A retried activity finds its row by it.
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL,
    period_from     date NOT NULL,
    period_to       date NOT NULL,
    -- The customer's first address; its other addresses and its cc addresses got a copy.
    recipient       text NOT NULL,
    cc              text[] NOT NULL DEFAULT '{}',
    -- The language the PDF and the e-mail were written in (the customer's then).
    language        text NOT NULL
                    CONSTRAINT statement_emails_language_known
                    CHECK (language IN ('en', 'de', 'fr', 'es')),
    storage_key     text NOT NULL,
    -- When it was asked for (the workflow's time).
    requested_at    timestamptz NOT NULL,
    -- Calls to SES so far. Before each call the failure of the one before is cleared, so an
    -- attempt with neither an answer nor a failure is one whose worker died around the call.
    attempts        int NOT NULL DEFAULT 0,
    -- SES's answer: the message it accepted, or why it refused the message for good.
    message_id      text,
    refusal         text,
    -- Why the last call failed (SES unreachable, throttled): not sent, tried again.
    failure         text,
    answered_at     timestamptz,

    CONSTRAINT statement_emails_period CHECK (period_from <= period_to),
    CONSTRAINT statement_emails_one_answer CHECK (message_id IS NULL OR refusal IS NULL),
    -- A customer is deleted only while no invoice names it; one that was sent nothing but
    -- statements takes their records with it.
    CONSTRAINT statement_emails_customer_fkey FOREIGN KEY (user_id, customer_id)
        REFERENCES customers (user_id, id) ON DELETE CASCADE
);

-- A customer's statements, newest first (GET /api/customers/{id}/statement/emails).
CREATE INDEX statement_emails_customer_idx
    ON statement_emails (user_id, customer_id, requested_at DESC, id DESC);
