-- Tax rates (issue 24), kept per account and picked by id on each invoice line. The checks
-- repeat TaxRate::new (workflows/src/domain/tax.rs): a percentage from 0 to 100 with at most
-- four decimals (the column's scale), above zero for the standard category `S` only, and the
-- reason a supply is not taxed exactly where the category needs one, with its VATEX code well
-- formed.
--
-- A rate's percentage, category and exemption never change once it exists: drafts name rates
-- by id, so changing one would silently change the tax of every draft that uses it. A new rate
-- is a new row; the old one is archived. Only the name and description can be edited.
CREATE TABLE tax_rates (
    id                  uuid PRIMARY KEY,
    user_id             uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- How the account calls the rate in its editor (`VAT 19 %`); not printed on invoices.
    name                text NOT NULL
                        CONSTRAINT tax_rates_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    description         text
                        CONSTRAINT tax_rates_description_length
                        CHECK (char_length(description) BETWEEN 1 AND 500),
    percent             numeric(7, 4) NOT NULL
                        CONSTRAINT tax_rates_percent_range CHECK (percent BETWEEN 0 AND 100),
    -- EN 16931's VAT category (UNTDID 5305).
    category            text NOT NULL
                        CONSTRAINT tax_rates_category_known
                        CHECK (category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O')),
    -- Why the supply is not taxed (BT-120), and its VATEX code (BT-121).
    exemption_reason    text
                        CONSTRAINT tax_rates_exemption_reason_length
                        CHECK (char_length(exemption_reason) BETWEEN 1 AND 300),
    exemption_code      text
                        CONSTRAINT tax_rates_exemption_code_vatex
                        CHECK (exemption_code ~ '^VATEX-[A-Z0-9-]+$'
                               AND char_length(exemption_code) <= 30),
    -- Archived rates are left out of the editor's choices and refused on drafts; the invoices
    -- that carry them keep them.
    archived_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),

    -- BR-S-5, BR-Z-5, BR-E-5, BR-AE-5, BR-IC-5, BR-G-5: above zero in S, zero elsewhere.
    CONSTRAINT tax_rates_percent_by_category CHECK ((category = 'S') = (percent > 0)),
    -- BR-S-10, BR-Z-10: taxed categories give no reason; every other one must (BR-E-10, ...).
    CONSTRAINT tax_rates_exemption_by_category CHECK (
        CASE WHEN category IN ('S', 'Z')
             THEN exemption_reason IS NULL AND exemption_code IS NULL
             ELSE exemption_reason IS NOT NULL
        END
    ),
    -- The target of lines' (user_id, tax_rate_id): a line's rate is its account's.
    CONSTRAINT tax_rates_user_id_id_unique UNIQUE (user_id, id)
);

-- The account's rates by name (case-insensitively), paged by (lower(name), id).
CREATE INDEX tax_rates_user_name_idx ON tax_rates (user_id, lower(name), id);
