-- Customers (issue 24): the account's buyers, as records of their own, which invoices reference.
-- The rules are the domain's (workflows/src/domain/customer.rs, party.rs); the checks below
-- repeat the ones a row can hold by itself, so that no code path (or hand edit) stores a
-- customer the API would refuse.

-- Trigram indexes for the customer search (GET /api/customers?q=).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customers (
    id                  uuid PRIMARY KEY,
    user_id             uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- How the account knows the customer, in lists and pickers.
    display_name        text NOT NULL
                        CONSTRAINT customers_display_name_length
                        CHECK (char_length(display_name) BETWEEN 1 AND 200),
    -- The registered name, printed on invoices instead of the display name when set.
    legal_name          text
                        CONSTRAINT customers_legal_name_length
                        CHECK (char_length(legal_name) BETWEEN 1 AND 200),
    -- Where invoices go (`to`), and who gets a copy (`cc`).
    emails              text[] NOT NULL
                        CONSTRAINT customers_emails_count
                        CHECK (cardinality(emails) BETWEEN 1 AND 5
                               AND array_position(emails, NULL) IS NULL),
    cc_emails           text[] NOT NULL DEFAULT '{}'
                        CONSTRAINT customers_cc_emails_count
                        CHECK (cardinality(cc_emails) BETWEEN 0 AND 5
                               AND array_position(cc_emails, NULL) IS NULL),
    -- The postal address, whole or not at all: no country, no address.
    address_lines       text[],
    postal_code         text,
    city                text,
    region              text,
    -- ISO 3166-1 alpha-2.
    country             char(2) CONSTRAINT customers_country_code CHECK (country ~ '^[A-Z]{2}$'),
    tax_id_kind         text
                        CONSTRAINT customers_tax_id_kind_known
                        CHECK (tax_id_kind IN ('eu_vat', 'gb_vat', 'ch_vat', 'us_ein', 'au_abn',
                                               'ca_bn', 'other')),
    tax_id              text CONSTRAINT customers_tax_id_length CHECK (char_length(tax_id) BETWEEN 1 AND 30),
    -- ISO 4217: the currency new invoices to the customer start in. NULL: the account's choice.
    currency            char(3) CONSTRAINT customers_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
    -- The language of the customer's invoices and e-mails.
    language            text NOT NULL DEFAULT 'en'
                        CONSTRAINT customers_language_known
                        CHECK (language IN ('en', 'de', 'fr', 'es')),
    -- An IANA time zone name (`Europe/Berlin`), checked by the API against the tz database.
    time_zone           text NOT NULL DEFAULT 'UTC'
                        CONSTRAINT customers_time_zone_length
                        CHECK (char_length(time_zone) BETWEEN 1 AND 64),
    -- Days from the issue date to the due date; NULL: the account's default terms apply.
    payment_terms_days  integer
                        CONSTRAINT customers_payment_terms_range
                        CHECK (payment_terms_days BETWEEN 0 AND 365),
    notes               text CONSTRAINT customers_notes_length CHECK (char_length(notes) BETWEEN 1 AND 5000),
    -- Archived customers are left out of lists and pickers and cannot be put on new invoices;
    -- their invoices keep them. A customer on invoices is archived, never deleted.
    archived_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT customers_address_whole CHECK (
        (country IS NULL AND address_lines IS NULL AND postal_code IS NULL AND city IS NULL
         AND region IS NULL)
        OR (country IS NOT NULL AND cardinality(address_lines) BETWEEN 1 AND 3
            AND array_position(address_lines, NULL) IS NULL)
    ),
    CONSTRAINT customers_tax_id_with_kind CHECK ((tax_id_kind IS NULL) = (tax_id IS NULL)),
    -- The target of invoices' (user_id, customer_id): an invoice's customer is its account's.
    CONSTRAINT customers_user_id_id_unique UNIQUE (user_id, id)
);

-- The customer list: an account's customers by name (case-insensitively), paged by
-- (lower(display_name), id).
CREATE INDEX customers_user_name_idx ON customers (user_id, lower(display_name), id);

-- What the search matches: the names and every e-mail address, lower case, one per line. A
-- search text is one line (the API refuses control characters in queries), so a match never
-- spans two of them. IMMUTABLE (`array_to_string` alone is only STABLE) so it can be indexed;
-- it is, for text arrays.
CREATE FUNCTION customers_search_text(display_name text, legal_name text, emails text[],
                                      cc_emails text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(concat_ws(E'\n', display_name, legal_name, array_to_string(emails, E'\n'),
                           array_to_string(cc_emails, E'\n')))
$$;

CREATE INDEX customers_search_idx ON customers
    USING gin (customers_search_text(display_name, legal_name, emails, cc_emails) gin_trgm_ops);

-- Every invoice will name its customer. Nullable until the drafts set it (a later migration
-- makes it NOT NULL). The pair with user_id keeps an invoice from naming another account's
-- customer; a customer on invoices cannot be deleted (the API answers 409: archive it instead).
ALTER TABLE invoices ADD COLUMN customer_id uuid;
ALTER TABLE invoices ADD CONSTRAINT invoices_customer_fkey
    FOREIGN KEY (user_id, customer_id) REFERENCES customers (user_id, id) ON DELETE RESTRICT;
CREATE INDEX invoices_customer_idx ON invoices (customer_id);

-- Existing invoices get a customer each: one per account and e-mail address (whatever its
-- case), named as that address's most recent invoice names its client, with that address as
-- its only recipient, in English, without a postal address. Only customer_id is written: no
-- amount changes (the amount-paid trigger of 20261206000001 watches amount_paid only).
--
-- One statement: the invoices' new foreign key is checked at its end, once the customers are in.
WITH latest AS (
    SELECT DISTINCT ON (user_id, lower(btrim(client_email)))
           user_id,
           COALESCE(NULLIF(left(btrim(client_name), 200), ''), left(client_email, 200))
               AS display_name,
           btrim(client_email) AS email
    FROM invoices
    ORDER BY user_id, lower(btrim(client_email)), created_at DESC, id DESC
),
backfilled AS (
    INSERT INTO customers (id, user_id, display_name, emails, language)
    SELECT gen_random_uuid(), user_id, display_name, ARRAY[email], 'en' FROM latest
    RETURNING id, user_id, lower(emails[1]) AS email_key
)
UPDATE invoices
SET customer_id = backfilled.id
FROM backfilled
WHERE invoices.user_id = backfilled.user_id
  AND lower(btrim(invoices.client_email)) = backfilled.email_key;
