-- How an account presents itself on its invoices and e-mails. No row: the account's e-mail
-- address alone. Read when a PDF is rendered or an e-mail written, so a change shows on the
-- next document (earlier PDF versions keep what they printed).
CREATE TABLE seller_profiles (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name        text NOT NULL,
    -- Lines separated by a newline.
    address     text,
    tax_id      text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
