-- A customer's credit balance applied to an invoice: a payment of method `credit_balance` on
-- that invoice, and a negative `customer_credits` row that takes the amount out of the balance.
-- The invoice's workflow takes the credit first (locking the customer row, so two invoices
-- of one customer never spend the same credit), then records the payment.

-- The payment the taken credit paid. No foreign key: the payment row is written right after,
-- by another transaction (the workflow's write of the payment); the credit is taken first so
-- that a balance too small refuses the payment before anything is stored. Unique: a payment
-- takes its credit once, however often its update is retried.
ALTER TABLE customer_credits ADD COLUMN applied_payment_id uuid
    CONSTRAINT customer_credits_applied_once UNIQUE;

-- Positive rows: a credit note's excess (or what a credit note gave back on a payment made
-- from the balance). Negative rows: a Stripe refund paid out of the balance (`payment_id`, the
-- refunded payment), or the balance applied to an invoice (`applied_payment_id`).
ALTER TABLE customer_credits DROP CONSTRAINT customer_credits_explained;
ALTER TABLE customer_credits ADD CONSTRAINT customer_credits_explained CHECK (
    (amount > 0 AND credit_note_id IS NOT NULL AND payment_id IS NULL
        AND applied_payment_id IS NULL)
    OR (amount < 0 AND credit_note_id IS NULL
        AND (payment_id IS NULL) <> (applied_payment_id IS NULL)));

-- A credit note's excess moved to the balance may be spent on another invoice before a Stripe
-- refund of the payment it came from arrives. The refund then takes back only what is left in
-- the balance; the rest is owed on the invoice again, which keeps it counted as moved to the
-- balance. So what moved there is no longer bounded by what is paid now (the amount due,
-- total − paid − credited + to balance, still is never negative).
ALTER TABLE invoices DROP CONSTRAINT invoices_balance_within_paid;

-- Such an invoice is fully credited and owes money again: it is open (sent or overdue) with
-- everything credited, so `credited` means fully credited but not the other way round.
ALTER TABLE invoices DROP CONSTRAINT invoices_credited_in_full;
ALTER TABLE invoices ADD CONSTRAINT invoices_credited_in_full
    CHECK (status <> 'credited' OR amount_credited = total);
