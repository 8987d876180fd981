-- Uncollectible invoices: an open invoice whose amount due is written off as a bad debt. It
-- leaves the receivables and its reminders stop; a payment that still comes is recorded as
-- usual and recovers that much of the debt (paid in full, the invoice is paid).
ALTER TABLE invoices DROP CONSTRAINT invoices_status_known;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_known
    CHECK (status IN ('draft', 'sent', 'overdue', 'paid', 'void', 'uncollectible'));

-- The date of the write-off as the books have it (the owner's choice, from the issue date to
-- the day it was made), and why.
ALTER TABLE invoices
    ADD COLUMN uncollectible_on date,
    ADD COLUMN uncollectible_reason text,
    ADD CONSTRAINT invoices_uncollectible_dated
        CHECK (status <> 'uncollectible' OR (uncollectible_on IS NOT NULL
                                             AND uncollectible_reason IS NOT NULL));

-- Every movement of a bad debt, for statements and the books: the amount due written off
-- (positive), a payment that recovers part of it (negative, `payment_id`), a refund of a
-- recovered payment written off again (positive). While an invoice is uncollectible its rows
-- add up to its amount due; once it is paid in full they add up to zero. One row per timeline
-- entry, so a retried write adds none.
CREATE TABLE write_offs (
    invoice_id  uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    event_seq   int NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    currency    char(3) NOT NULL,
    amount      bigint NOT NULL CONSTRAINT write_offs_amount_nonzero CHECK (amount <> 0),
    -- The write-off's date, or the recovering payment's (refund's) day.
    occurred_on date NOT NULL,
    reason      text,
    payment_id  uuid REFERENCES payments (id) ON DELETE RESTRICT,
    created_at  timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT write_offs_pkey PRIMARY KEY (invoice_id, event_seq)
);

CREATE INDEX write_offs_by_account ON write_offs (user_id, occurred_on);
