-- Invoices and their line items. PostgreSQL is the system of record for the invoice's data and
-- the read model of its lifecycle; the invoice's Temporal workflow decides every transition
-- and writes it here through idempotent activities.
CREATE TABLE invoices (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          text NOT NULL
                    CONSTRAINT invoices_status_known
                    CHECK (status IN ('draft', 'sent', 'overdue', 'paid', 'void')),
    -- Assigned when the invoice is sent (the n-th invoice the account sent). Drafts have none;
    -- invoices voided while still drafts keep none.
    number          bigint,
    client_name     text NOT NULL,
    client_email    text NOT NULL,
    -- ISO 4217 code; amounts are integer counts of this currency's minor unit.
    currency        char(3) NOT NULL,
    issue_date      date NOT NULL,
    due_date        date NOT NULL,
    notes           text,
    subtotal        bigint NOT NULL CONSTRAINT invoices_subtotal_positive CHECK (subtotal > 0),
    total           bigint NOT NULL CONSTRAINT invoices_total_positive CHECK (total > 0),
    amount_paid     bigint NOT NULL DEFAULT 0,
    -- Every write made by the workflow carries the version after it; an older write that
    -- arrives late (a retried activity) does not overwrite a newer one.
    version         bigint NOT NULL DEFAULT 0,
    sent_at         timestamptz,
    paid_at         timestamptz,
    voided_at       timestamptz,
    void_reason     text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT invoices_amount_paid_within_total CHECK (amount_paid >= 0 AND amount_paid <= total),
    CONSTRAINT invoices_due_after_issue CHECK (due_date >= issue_date),
    CONSTRAINT invoices_numbered_once_sent
        CHECK (status IN ('draft', 'void') OR number IS NOT NULL),
    CONSTRAINT invoices_drafts_unnumbered CHECK (status <> 'draft' OR number IS NULL),
    CONSTRAINT invoices_paid_in_full CHECK (status <> 'paid' OR amount_paid = total)
);

-- Gapless numbering per account: the pair is unique, and the account's counter hands them out.
CREATE UNIQUE INDEX invoices_user_number_unique ON invoices (user_id, number)
    WHERE number IS NOT NULL;

-- The invoice list: an account's invoices, newest first, optionally by status, paged by
-- (created_at, id).
CREATE INDEX invoices_user_created_idx ON invoices (user_id, created_at DESC, id DESC);
CREATE INDEX invoices_user_status_created_idx ON invoices (user_id, status, created_at DESC, id DESC);

CREATE TABLE invoice_items (
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    -- Order of the line on the invoice, from 0.
    position        integer NOT NULL,
    description     text NOT NULL,
    quantity        bigint NOT NULL CONSTRAINT invoice_items_quantity_positive CHECK (quantity > 0),
    unit_amount     bigint NOT NULL CONSTRAINT invoice_items_unit_amount_non_negative CHECK (unit_amount >= 0),
    amount          bigint NOT NULL,
    CONSTRAINT invoice_items_amount_is_product CHECK (amount = quantity * unit_amount),
    PRIMARY KEY (invoice_id, position)
);
