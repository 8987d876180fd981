-- Money exactly once (issue 22).

-- An invoice's amount paid is what its payment rows say: the sum of their amounts less what
-- was refunded on them. The workflow computes it too, and writes it with every payment and
-- refund; this trigger makes PostgreSQL refuse any commit where the two disagree, so no code
-- path (a payment insert skipped on a conflict while the invoice update still ran, a refund
-- of another invoice's payment) can make it drift again. Deferred to the end of the
-- transaction: a write inserts the payment and updates the invoice in either order.
CREATE FUNCTION invoices_amount_paid_matches_payments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    checked uuid;
    stored bigint;
    derived bigint;
BEGIN
    -- One branch per table: PL/pgSQL resolves every field a statement names.
    IF TG_TABLE_NAME = 'invoices' THEN
        checked := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        checked := OLD.invoice_id;
    ELSE
        checked := NEW.invoice_id;
    END IF;
    SELECT amount_paid INTO stored FROM invoices WHERE id = checked;
    -- The invoice itself was deleted (a draft, with its rows): nothing to compare.
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(amount - amount_refunded), 0) INTO derived
    FROM payments WHERE invoice_id = checked;
    IF stored <> derived THEN
        RAISE EXCEPTION 'invoice % has amount_paid % but its payments add up to %',
            checked, stored, derived
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'invoices_amount_paid_is_payments';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER invoices_amount_paid_is_payments
    AFTER INSERT OR UPDATE OF amount_paid ON invoices
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION invoices_amount_paid_matches_payments();

CREATE CONSTRAINT TRIGGER payments_add_up_to_amount_paid
    AFTER INSERT OR UPDATE OR DELETE ON payments
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION invoices_amount_paid_matches_payments();

-- A payment never moves between invoices: its amount is part of its invoice's amount paid.
CREATE FUNCTION payments_keep_their_invoice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.invoice_id <> OLD.invoice_id THEN
        RAISE EXCEPTION 'payment % belongs to invoice %', OLD.id, OLD.invoice_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_keep_their_invoice';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER payments_keep_their_invoice
    BEFORE UPDATE OF invoice_id ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_keep_their_invoice();

-- Which invoice a Stripe PaymentIntent pays, fixed by the first report that names one. A later
-- report of the same intent naming another invoice (a webhook whose metadata was edited, a
-- replayed event from another account) is recorded as a discrepancy and applied to neither:
-- the same money never counts on two invoices. The payments table's unique transaction id
-- guards the rows; this claim guards the reports, before any workflow sees them.
CREATE TABLE stripe_transactions (
    transaction_id  text PRIMARY KEY,
    invoice_id      uuid NOT NULL,
    claimed_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE payment_discrepancies DROP CONSTRAINT payment_discrepancies_kind_known;
ALTER TABLE payment_discrepancies ADD CONSTRAINT payment_discrepancies_kind_known
    CHECK (kind IN ('amount_mismatch', 'currency_mismatch', 'not_payable', 'overpayment',
                    'missing_payment', 'unknown_invoice', 'other_invoice'));
-- For `other_invoice`: the invoice the transaction already belongs to (`invoice_id` is the one
-- the report named).
ALTER TABLE payment_discrepancies ADD COLUMN other_invoice_id uuid;

-- A webhook event applied to no invoice because its transaction belongs to another one.
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_outcome_known;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_outcome_known
    CHECK (outcome IN ('pending', 'signaled', 'unmatched', 'ignored', 'conflict'));

-- E-mails: what the delivery is about to send is recorded before SES is called, and SES's
-- answer after. A retry that finds the answer knows the e-mail went; one that finds an attempt
-- with no answer knows the worker died around the call (sent or not, nobody can say), sends
-- again, and says so on the timeline.
CREATE TABLE email_attempts (
    invoice_id      uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    -- The side effect's step, as in side_effects (`email:invoice_sent`, ...).
    step            text NOT NULL,
    attempt         integer NOT NULL CONSTRAINT email_attempts_attempt_positive CHECK (attempt > 0),
    recipient       text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    -- SES's answer: its message id when it accepted the e-mail, its reason when it refused.
    message_id      text,
    refusal         text,
    -- SES's call failed (an error answer, or it could not be reached; the SDK's own retries are
    -- spent): as far as we know, nothing was sent.
    failure         text,
    answered_at     timestamptz,
    PRIMARY KEY (invoice_id, step, attempt)
);

-- The intents already recorded claim their invoices.
INSERT INTO stripe_transactions (transaction_id, invoice_id)
SELECT transaction_id, invoice_id FROM payments WHERE transaction_id IS NOT NULL
ON CONFLICT (transaction_id) DO NOTHING;
