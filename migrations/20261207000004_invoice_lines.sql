-- Invoices a business can legally send (issue 24): every invoice bills one of the account's
-- customers; its lines have decimal quantities, a unit, a price finer than the minor unit where
-- needed, a discount and a tax rate; it may carry invoice-level allowances and charges; its
-- amounts are the domain's arithmetic (workflows/src/domain/totals.rs), stored as computed so
-- that a sent invoice never changes; and when it is sent, the customer's details are copied
-- onto it (`buyer`), so that later edits of the customer never change a sent invoice.
--
-- Invoices made before keep every amount: each line becomes quantity × price with no discount,
-- outside the scope of tax (category O, 0 %), so net = the old subtotal, tax = 0 and gross =
-- the old total.

-- The customer, set on every invoice by 20261207000001_customers.sql's backfill, and by
-- every draft since.
ALTER TABLE invoices ALTER COLUMN customer_id SET NOT NULL;

ALTER TABLE invoices
    ADD COLUMN price_basis text NOT NULL DEFAULT 'exclusive'
        CONSTRAINT invoices_price_basis_known CHECK (price_basis IN ('exclusive', 'inclusive')),
    -- The date of supply (BT-72), when it differs from the issue date.
    ADD COLUMN supply_date date,
    -- The service period (BG-14): both days or neither.
    ADD COLUMN period_start date,
    ADD COLUMN period_end date,
    ADD COLUMN allowance_total bigint NOT NULL DEFAULT 0,
    ADD COLUMN charge_total bigint NOT NULL DEFAULT 0,
    ADD COLUMN net_total bigint,
    ADD COLUMN tax_total bigint NOT NULL DEFAULT 0,
    -- The customer as it was when the invoice was sent (the columns of `customers`, as JSON);
    -- NULL on drafts, which show the customer as it is now.
    ADD COLUMN buyer jsonb,
    ADD CONSTRAINT invoices_period_complete_and_ordered
        CHECK ((period_start IS NULL) = (period_end IS NULL) AND period_end >= period_start);

UPDATE invoices SET net_total = subtotal;

-- `subtotal` is the sum of the lines' net amounts (BT-106) and `total` the amount with tax
-- (BT-112): with an invoice-level charge, the lines may add up to zero.
ALTER TABLE invoices
    ALTER COLUMN net_total SET NOT NULL,
    DROP CONSTRAINT invoices_subtotal_positive,
    ADD CONSTRAINT invoices_subtotal_non_negative CHECK (subtotal >= 0),
    ADD CONSTRAINT invoices_totals_add_up CHECK (
        allowance_total >= 0 AND charge_total >= 0 AND tax_total >= 0
        AND net_total = subtotal - allowance_total + charge_total
        AND total = net_total + tax_total
    );

-- The lines. `unit_price` is in minor units (up to 12 decimals, Stripe's
-- `unit_amount_decimal`); `amount` is the line's net amount as computed, no longer a product
-- PostgreSQL can check (discounts, inclusive prices). The tax rate is copied onto the line
-- (category, percent, exemption): the rate a line names never changes its percentage, and the
-- copy is what the invoice printed.
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_amount_is_product;
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_quantity_positive;
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_unit_amount_non_negative;
ALTER TABLE invoice_items ALTER COLUMN quantity TYPE numeric(11, 4);
ALTER TABLE invoice_items RENAME COLUMN unit_amount TO unit_price;
ALTER TABLE invoice_items ALTER COLUMN unit_price TYPE numeric(27, 12);
ALTER TABLE invoice_items
    ADD COLUMN unit text NOT NULL DEFAULT 'C62',
    ADD COLUMN discount_percent numeric(7, 4),
    ADD COLUMN discount_amount bigint,
    ADD COLUMN tax_rate_id uuid REFERENCES tax_rates (id) ON DELETE RESTRICT,
    ADD COLUMN tax_category text NOT NULL DEFAULT 'O',
    ADD COLUMN tax_percent numeric(7, 4) NOT NULL DEFAULT 0,
    ADD COLUMN exemption_reason text,
    ADD COLUMN exemption_code text,
    ADD COLUMN period_start date,
    ADD COLUMN period_end date,
    ADD CONSTRAINT invoice_items_quantity_positive CHECK (quantity > 0),
    ADD CONSTRAINT invoice_items_unit_price_non_negative CHECK (unit_price >= 0),
    ADD CONSTRAINT invoice_items_one_discount
        CHECK (discount_percent IS NULL OR discount_amount IS NULL),
    ADD CONSTRAINT invoice_items_period_complete_and_ordered
        CHECK ((period_start IS NULL) = (period_end IS NULL) AND period_end >= period_start);
-- Lines from before tax rates: outside the scope of tax, as the domain's TaxRate::untaxed.
UPDATE invoice_items SET exemption_reason = 'Not subject to tax';
ALTER TABLE invoice_items ALTER COLUMN unit DROP DEFAULT;
ALTER TABLE invoice_items ALTER COLUMN tax_category DROP DEFAULT;
ALTER TABLE invoice_items ALTER COLUMN tax_percent DROP DEFAULT;
CREATE INDEX invoice_items_tax_rate_idx ON invoice_items (tax_rate_id) WHERE tax_rate_id IS NOT NULL;

-- Invoice-level allowances (discounts) and charges (shipping), each of one tax rate.
CREATE TABLE invoice_adjustments (
    invoice_id          uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position            integer NOT NULL,
    kind                text NOT NULL
                        CONSTRAINT invoice_adjustments_kind_known
                        CHECK (kind IN ('allowance', 'charge')),
    reason              text NOT NULL,
    -- As given, in the invoice's price basis.
    amount              bigint NOT NULL CONSTRAINT invoice_adjustments_amount_positive CHECK (amount > 0),
    -- Net of tax, as computed.
    net                 bigint NOT NULL CONSTRAINT invoice_adjustments_net_non_negative CHECK (net >= 0),
    tax_rate_id         uuid REFERENCES tax_rates (id) ON DELETE RESTRICT,
    tax_category        text NOT NULL,
    tax_percent         numeric(7, 4) NOT NULL,
    exemption_reason    text,
    exemption_code      text,
    PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_adjustments_tax_rate_idx ON invoice_adjustments (tax_rate_id)
    WHERE tax_rate_id IS NOT NULL;

-- The tax breakdown (BG-23): one row per category and rate, as computed.
CREATE TABLE invoice_tax_subtotals (
    invoice_id          uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position            integer NOT NULL,
    category            text NOT NULL,
    percent             numeric(7, 4) NOT NULL,
    exemption_reason    text,
    exemption_code      text,
    base                bigint NOT NULL,
    tax                 bigint NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
INSERT INTO invoice_tax_subtotals (invoice_id, position, category, percent, exemption_reason, base, tax)
SELECT id, 0, 'O', 0, 'Not subject to tax', subtotal, 0 FROM invoices;

-- Invoices sent before: the buyer as they printed it, a name and an e-mail address.
UPDATE invoices
SET buyer = jsonb_build_object('display_name', client_name, 'emails', jsonb_build_array(client_email))
WHERE status <> 'draft';
