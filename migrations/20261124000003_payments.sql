-- Payments recorded against invoices. The id is chosen before the payment reaches the workflow
-- (it is also the Temporal update id), so recording the same payment twice inserts one row.
CREATE TABLE payments (
    id              uuid PRIMARY KEY,
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount          bigint NOT NULL CONSTRAINT payments_amount_positive CHECK (amount > 0),
    currency        char(3) NOT NULL,
    method          text NOT NULL,
    -- The payer's reference: a bank transfer reference, a cheque number.
    reference       text,
    recorded_at     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_invoice_idx ON payments (invoice_id, recorded_at);
