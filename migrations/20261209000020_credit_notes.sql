-- Credit notes: a document that takes back part or all of a sent invoice (EN 16931 type 381).
-- It lowers the invoice's amount due; what it takes back beyond the amount due (the invoice
-- was paid) is the credit note's excess, either refunded on the invoice's payments or moved
-- to the customer's credit balance. The arithmetic is the domain's
-- (workflows/src/domain/credit.rs); the workflow decides, these rows record.

-- Credit notes have their own gapless number series, formatted like the invoices'.
ALTER TABLE seller_profiles
    ADD COLUMN credit_note_pattern text NOT NULL DEFAULT 'CN-{SEQ:6}',
    ADD COLUMN credit_note_reset text NOT NULL DEFAULT 'never',
    ADD CONSTRAINT seller_profiles_credit_note_reset CHECK (credit_note_reset IN ('never', 'yearly'));
ALTER TABLE users ADD COLUMN last_credit_note_number bigint NOT NULL DEFAULT 0;
CREATE TABLE credit_note_number_sequences (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    year        integer NOT NULL,
    last_number bigint NOT NULL CONSTRAINT credit_note_number_sequences_positive
                CHECK (last_number > 0),
    PRIMARY KEY (user_id, year)
);

-- A fully credited invoice is `credited`: cancelled by its credit notes, nothing due, final.
ALTER TABLE invoices DROP CONSTRAINT invoices_status_known;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_known
    CHECK (status IN ('draft', 'sent', 'overdue', 'paid', 'void', 'uncollectible', 'credited'));

-- `amount_credited`: the credit notes' gross totals. `amount_to_balance`: what of their excess
-- went to the customer's credit balance (the excess refunded lowers `amount_paid` instead, as
-- every refund does). `credited`: which quantities and amounts the notes took, for the next
-- note's arithmetic. The amount due is what is left, never negative.
ALTER TABLE invoices
    ADD COLUMN amount_credited bigint NOT NULL DEFAULT 0,
    ADD COLUMN amount_to_balance bigint NOT NULL DEFAULT 0,
    ADD COLUMN credited jsonb NOT NULL DEFAULT '{}',
    ADD CONSTRAINT invoices_credit_within_total
        CHECK (amount_credited BETWEEN 0 AND total AND amount_to_balance BETWEEN 0 AND amount_credited),
    -- Only money paid can move to the balance; a refund at Stripe of money the balance holds
    -- takes it out of the balance first.
    ADD CONSTRAINT invoices_balance_within_paid CHECK (amount_to_balance <= amount_paid);
ALTER TABLE invoices
    ADD COLUMN amount_due bigint GENERATED ALWAYS AS
        (total - amount_paid - amount_credited + amount_to_balance) STORED,
    ADD CONSTRAINT invoices_amount_due_non_negative
        CHECK (total - amount_paid - amount_credited + amount_to_balance >= 0);
ALTER TABLE invoices DROP CONSTRAINT invoices_paid_in_full;
ALTER TABLE invoices ADD CONSTRAINT invoices_settled_in_full
    CHECK (status NOT IN ('paid', 'credited')
           OR total - amount_paid - amount_credited + amount_to_balance = 0);
ALTER TABLE invoices ADD CONSTRAINT invoices_credited_in_full
    CHECK ((status = 'credited') = (amount_credited = total));

CREATE TABLE credit_notes (
    id              uuid PRIMARY KEY,
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    -- The invoice's timeline entry that records it: a retried write adds no second note.
    event_seq       integer NOT NULL,
    number          bigint NOT NULL CONSTRAINT credit_notes_number_positive CHECK (number > 0),
    number_year     integer,
    number_text     text NOT NULL,
    issue_date      date NOT NULL,
    reason          text NOT NULL CONSTRAINT credit_notes_reason_length
                    CHECK (char_length(reason) BETWEEN 1 AND 500),
    -- What was asked (`CreditScope`) and what it came to (`CreditNote`: lines, adjustments,
    -- breakdown), as the domain serialises them.
    scope           jsonb NOT NULL,
    content         jsonb NOT NULL,
    currency        char(3) NOT NULL,
    net_total       bigint NOT NULL CONSTRAINT credit_notes_net_non_negative CHECK (net_total >= 0),
    tax_total       bigint NOT NULL CONSTRAINT credit_notes_tax_non_negative CHECK (tax_total >= 0),
    gross_total     bigint NOT NULL CONSTRAINT credit_notes_gross_positive CHECK (gross_total > 0),
    -- What it took beyond the invoice's amount due, and where that went.
    excess          bigint NOT NULL DEFAULT 0,
    excess_to       text,
    -- The PDF, and the XML e-invoice beside it for a customer who receives one in XML (a
    -- Factur-X customer's XML is inside the PDF), once rendered.
    pdf_key         text,
    e_invoice_format text,
    e_invoice_key   text,
    issued_at       timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT credit_notes_totals_add_up CHECK (gross_total = net_total + tax_total),
    CONSTRAINT credit_notes_excess_within_gross CHECK (excess BETWEEN 0 AND gross_total),
    CONSTRAINT credit_notes_excess_goes_somewhere
        CHECK ((excess = 0) = (excess_to IS NULL)
               AND (excess_to IS NULL OR excess_to IN ('credit_balance', 'refund'))),
    CONSTRAINT credit_notes_one_per_entry UNIQUE (invoice_id, event_seq),
    CONSTRAINT credit_notes_number_unique UNIQUE (user_id, number_text)
);

CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice_id, number);
CREATE INDEX credit_notes_by_account ON credit_notes (user_id, issue_date);
CREATE INDEX credit_notes_by_customer ON credit_notes (customer_id, issue_date);

-- The tax breakdown of each credit note (BG-23), for the tax report.
CREATE TABLE credit_note_tax_subtotals (
    credit_note_id  uuid NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    category        text NOT NULL,
    percent         numeric(7, 4) NOT NULL,
    taxable_amount  bigint NOT NULL,
    tax_amount      bigint NOT NULL,
    PRIMARY KEY (credit_note_id, position)
);

-- The excess refunded: which payment gave back how much. A refund of a Stripe payment is
-- made at Stripe with the credit note's id as its idempotency key.
CREATE TABLE credit_note_refunds (
    credit_note_id  uuid NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    payment_id      uuid NOT NULL REFERENCES payments (id) ON DELETE RESTRICT,
    amount          bigint NOT NULL CONSTRAINT credit_note_refunds_positive CHECK (amount > 0),
    PRIMARY KEY (credit_note_id, payment_id)
);

-- A customer's credit balance, per currency: what credit notes moved to it from an invoice
-- (positive, `credit_note_id`), and what left it since (negative, `payment_id`): a refund at
-- Stripe of a payment whose money the balance held. One row per timeline entry of the invoice
-- the money moved from or to, so a retried write adds none.
CREATE TABLE customer_credits (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    event_seq       integer NOT NULL,
    currency        char(3) NOT NULL,
    amount          bigint NOT NULL CONSTRAINT customer_credits_nonzero CHECK (amount <> 0),
    credit_note_id  uuid UNIQUE REFERENCES credit_notes (id) ON DELETE RESTRICT,
    payment_id      uuid REFERENCES payments (id) ON DELETE RESTRICT,
    occurred_on     date NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT customer_credits_one_per_entry UNIQUE (invoice_id, event_seq),

    CONSTRAINT customer_credits_explained CHECK (
        (amount > 0 AND credit_note_id IS NOT NULL AND payment_id IS NULL)
        OR (amount < 0 AND payment_id IS NOT NULL AND credit_note_id IS NULL))
);

CREATE INDEX customer_credits_by_customer ON customer_credits (customer_id, currency);

-- The list's "amount due" order, now that credit notes lower it too.
DROP INDEX invoices_user_amount_due_idx;
CREATE INDEX invoices_user_amount_due_idx ON invoices (user_id, amount_due DESC, id DESC);
