-- Accounts. An account owns its invoices and numbers them in its own sequence.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    password_hash   text NOT NULL,
    role            text NOT NULL DEFAULT 'user'
                    CONSTRAINT users_role_known CHECK (role IN ('user', 'admin')),
    -- Number of invoices this account has sent; the next one is INV-(last_invoice_number + 1).
    -- Incremented in the same transaction that numbers an invoice, so numbers have no gaps.
    last_invoice_number bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- E-mail addresses are unique regardless of case: Ann@Example.com and ann@example.com are one
-- account. The API maps a violation of this index to 409.
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
