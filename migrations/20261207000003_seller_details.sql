-- Seller details a compliant invoice needs: names, a structured address, tax ids, company
-- registration, contact, payment instructions and terms, the invoice number format; the
-- seller's bank accounts and logo; and invoice numbers rendered once, at sending, in that
-- format.

-- The profile. `name` becomes the display name; the free-text address stays as
-- `legacy_address`, because the structured address needs a country the old text does not
-- reliably name (guessing it would print a wrong address on invoices). It is shown until the
-- seller saves the profile again, which requires a structured address and clears it.
ALTER TABLE seller_profiles RENAME COLUMN name TO display_name;
ALTER TABLE seller_profiles RENAME COLUMN address TO legacy_address;
ALTER TABLE seller_profiles
    ADD COLUMN legal_name text,
    -- The structured address, all NULL for a legacy profile (country decides).
    ADD COLUMN address_lines text[],
    ADD COLUMN address_postal_code text,
    ADD COLUMN address_city text,
    ADD COLUMN address_region text,
    ADD COLUMN address_country text,
    -- [{"kind": "eu_vat", "value": "DE123456789"}, ...], in the seller's order (0 to 3).
    ADD COLUMN tax_ids jsonb NOT NULL DEFAULT '[]',
    -- Register court and number, managing directors: lines separated by a newline.
    ADD COLUMN registration text,
    ADD COLUMN email text,
    ADD COLUMN phone text,
    ADD COLUMN website text,
    ADD COLUMN payment_instructions text,
    ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30,
    -- See workflows/src/domain/number_format.rs. The default renders the numbers every
    -- account had before formats existed (INV-000042).
    ADD COLUMN number_pattern text NOT NULL DEFAULT 'INV-{SEQ:6}',
    ADD COLUMN number_reset text NOT NULL DEFAULT 'never',
    ADD CONSTRAINT seller_profiles_address_whole CHECK (
        (address_country IS NULL) = (address_lines IS NULL)
        AND (address_country IS NOT NULL
             OR (address_postal_code IS NULL AND address_city IS NULL AND address_region IS NULL))
    ),
    ADD CONSTRAINT seller_profiles_address_country CHECK (address_country ~ '^[A-Z]{2}$'),
    ADD CONSTRAINT seller_profiles_tax_ids_list CHECK (
        jsonb_typeof(tax_ids) = 'array' AND jsonb_array_length(tax_ids) <= 3
    ),
    ADD CONSTRAINT seller_profiles_payment_terms CHECK (payment_terms_days BETWEEN 0 AND 365),
    ADD CONSTRAINT seller_profiles_number_reset CHECK (number_reset IN ('never', 'yearly'));

-- The old single tax number becomes the first tax id: an EU or UK VAT id when it has that
-- form (the checks of TaxId::parse: the member state's prefix and 2 to 13 letters or digits;
-- GB or XI and 9 or 12 digits), kept compact; anything else as kind `other`, as typed.
UPDATE seller_profiles
SET tax_ids = jsonb_build_array(jsonb_build_object(
        'kind', CASE
            WHEN compact ~ '^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)[A-Z0-9]{2,13}$'
                THEN 'eu_vat'
            WHEN compact ~ '^(GB|XI)([0-9]{9}|[0-9]{12})$' THEN 'gb_vat'
            ELSE 'other'
        END,
        'value', CASE
            WHEN compact ~ '^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)[A-Z0-9]{2,13}$'
              OR compact ~ '^(GB|XI)([0-9]{9}|[0-9]{12})$'
                THEN compact
            ELSE btrim(tax_id)
        END))
FROM (
    SELECT user_id AS id, upper(regexp_replace(tax_id, '[ .-]', '', 'g')) AS compact
    FROM seller_profiles
    WHERE tax_id IS NOT NULL AND btrim(tax_id) <> ''
) AS old
WHERE seller_profiles.user_id = old.id;

ALTER TABLE seller_profiles DROP COLUMN tax_id;

-- Where payments by transfer go: an IBAN (BIC optional), or a domestic account number with a
-- US routing number or a UK sort code. Up to 5 per account (checked where they are added,
-- under the account's row lock); one is the default while any exist.
CREATE TABLE bank_accounts (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    holder          text NOT NULL,
    bank_name       text,
    -- Shown on invoices in this currency; NULL: on any invoice no other account claims.
    currency        text,
    is_default      boolean NOT NULL DEFAULT false,
    -- Electronic form: upper case, no spaces.
    iban            text,
    bic             text,
    account_number  text,
    routing_number  text,
    sort_code       text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bank_accounts_one_scheme CHECK (
        (iban IS NOT NULL AND account_number IS NULL AND routing_number IS NULL
            AND sort_code IS NULL)
        OR (iban IS NULL AND bic IS NULL AND account_number IS NOT NULL
            AND (routing_number IS NULL) <> (sort_code IS NULL))
    ),
    CONSTRAINT bank_accounts_currency CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE INDEX bank_accounts_by_user ON bank_accounts (user_id, created_at, id);
CREATE UNIQUE INDEX bank_accounts_one_default ON bank_accounts (user_id) WHERE is_default;

-- The seller's logo, stored in S3 under a key named by its SHA-256 (logos/{account}/{sha}.png),
-- so a new upload never overwrites the object an earlier PDF render may be reading.
CREATE TABLE seller_logos (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    storage_key   text NOT NULL,
    content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    width         integer NOT NULL CHECK (width BETWEEN 1 AND 2000),
    height        integer NOT NULL CHECK (height BETWEEN 1 AND 2000),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0),
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);

-- Yearly sequences: the last number given in each calendar year of the issue date. Incremented
-- in the transaction that marks an invoice sent, under the account's row lock, so each year's
-- numbers are gapless (the one unbroken sequence stays users.last_invoice_number).
CREATE TABLE invoice_number_sequences (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    year         integer NOT NULL,
    last_number  bigint NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (user_id, year)
);

-- An invoice's number as issued: `number` is its place in its sequence, `number_year` the year
-- of a yearly sequence (NULL: the account's unbroken one), `number_text` the number rendered
-- in the account's format when it was sent, never re-rendered. Existing numbers were all
-- rendered as INV- and at least six digits.
ALTER TABLE invoices
    ADD COLUMN number_year integer,
    ADD COLUMN number_text text;
UPDATE invoices
SET number_text = 'INV-' || CASE
        WHEN length(number::text) >= 6 THEN number::text
        ELSE lpad(number::text, 6, '0')
    END
WHERE number IS NOT NULL;
ALTER TABLE invoices
    ADD CONSTRAINT invoices_number_text_with_number
        CHECK ((number IS NULL) = (number_text IS NULL)),
    ADD CONSTRAINT invoices_number_year_with_number
        CHECK (number_year IS NULL OR number IS NOT NULL);
DROP INDEX invoices_user_number_unique;
CREATE UNIQUE INDEX invoices_user_sequence_number_unique
    ON invoices (user_id, number_year, number) NULLS NOT DISTINCT
    WHERE number IS NOT NULL;
-- What the law asks of the numbers: no two invoices of a seller share one, whatever formats
-- the seller has used (a format change that could repeat an issued number is refused).
CREATE UNIQUE INDEX invoices_user_number_text_unique ON invoices (user_id, number_text)
    WHERE number_text IS NOT NULL;
