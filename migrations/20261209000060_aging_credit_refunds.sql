-- The receivables aging reads an account's refunds paid out of customers' credit balances (the
-- negative rows that name a refunded payment) by account: few rows, found without reading the
-- whole table (store/src/aging.rs).
CREATE INDEX customer_credits_refunds_by_account ON customer_credits (user_id)
    WHERE payment_id IS NOT NULL;
