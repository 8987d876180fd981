-- Online payments through Stripe (issue 4).

-- A payment's id at its processor (the Stripe PaymentIntent), unique: the same money is never
-- recorded twice, whichever webhook or reconciliation run reports it first.
ALTER TABLE payments ADD COLUMN transaction_id text;
CREATE UNIQUE INDEX payments_transaction_id_unique ON payments (transaction_id)
    WHERE transaction_id IS NOT NULL;

-- How much of the payment went back to the payer. Refunds only grow (Stripe reports the
-- cumulative amount), so a late or repeated refund event never shrinks it.
ALTER TABLE payments ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0
    CONSTRAINT payments_refund_within_amount CHECK (amount_refunded BETWEEN 0 AND amount);
ALTER TABLE payments ADD COLUMN status text GENERATED ALWAYS AS (
    CASE
        WHEN amount_refunded = 0 THEN 'succeeded'
        WHEN amount_refunded < amount THEN 'partially_refunded'
        ELSE 'refunded'
    END
) STORED;

-- The account's payment history, newest first (GET /api/payments).
CREATE INDEX payments_recorded_idx ON payments (recorded_at DESC, id DESC);

-- Every Stripe webhook event received, verified, by its id. A redelivered event finds its row
-- and is acknowledged without being applied again. Events that match no invoice stay here
-- (outcome 'unmatched') for an operator to look at.
CREATE TABLE stripe_events (
    id              text PRIMARY KEY,
    type            text NOT NULL,
    -- The invoice the event names, when it names one we have (no foreign key: the row outlives
    -- a deleted draft and records events for invoices we do not know).
    invoice_id      uuid,
    -- 'pending' until handed to the invoice's workflow, then 'signaled'; 'unmatched' when no
    -- invoice matches; 'ignored' for types we do not handle.
    outcome         text NOT NULL CONSTRAINT stripe_events_outcome_known
                    CHECK (outcome IN ('pending', 'signaled', 'unmatched', 'ignored')),
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    signaled_at     timestamptz
);
CREATE INDEX stripe_events_invoice_idx ON stripe_events (invoice_id) WHERE invoice_id IS NOT NULL;

-- The Checkout Sessions (pay links) created for invoices.
CREATE TABLE stripe_checkouts (
    session_id      text PRIMARY KEY,
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount          bigint NOT NULL CONSTRAINT stripe_checkouts_amount_positive CHECK (amount > 0),
    currency        char(3) NOT NULL,
    url             text NOT NULL,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_checkouts_invoice_idx ON stripe_checkouts (invoice_id, created_at);

-- What Stripe says and the books do not: payments whose amount or currency does not match the
-- invoice, money received for an invoice that cannot take it, and succeeded payments the
-- payments table lacks. Recorded once per kind and transaction, however often it is seen.
CREATE TABLE payment_discrepancies (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            text NOT NULL CONSTRAINT payment_discrepancies_kind_known
                    CHECK (kind IN ('amount_mismatch', 'currency_mismatch', 'not_payable',
                                    'overpayment', 'missing_payment', 'unknown_invoice')),
    transaction_id  text NOT NULL,
    invoice_id      uuid,
    -- Who noticed: a webhook, the watchdog of a pay link, or the nightly reconciliation.
    source          text NOT NULL CONSTRAINT payment_discrepancies_source_known
                    CHECK (source IN ('webhook', 'watchdog', 'reconciliation')),
    expected_amount bigint,
    actual_amount   bigint,
    currency        text,
    detail          text NOT NULL,
    detected_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_discrepancies_once UNIQUE (kind, transaction_id)
);
CREATE INDEX payment_discrepancies_detected_idx ON payment_discrepancies (detected_at DESC, id DESC);
