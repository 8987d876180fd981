-- E-invoicing settings (issue 25): the e-invoice each customer receives, its buyer reference
-- and electronic address, and the seller's own electronic address. The rules are the domain's
-- (workflows/src/domain/e_invoicing.rs); the checks below repeat those a row can hold by
-- itself, as 20261207000001 does for the rest of a customer.
--
-- Nothing here is required: a customer set to XRechnung without a Leitweg-ID can be saved, and
-- the send gate refuses its invoices with the official rule's id (BR-DE-15) until it has one.
-- Only Peppol's need is checked at saving: without the buyer's address Peppol cannot deliver.

-- An electronic address (BT-34, BT-49): a scheme of the EAS code list and an identifier in it.
-- The scheme's form is checked, not the list itself: the list grows twice a year and the
-- domain holds the current one (invoicing-einvoice's `eas`), so a new code needs no
-- migration. The identifier is trimmed, one word, 1 to 100 characters.
ALTER TABLE customers
    -- NULL: the PDF only. Otherwise one of invoicing_einvoice::Format's names.
    ADD COLUMN e_invoice_format text
        CONSTRAINT customers_e_invoice_format_known
        CHECK (e_invoice_format IN ('factur_x', 'xrechnung_cii', 'xrechnung_ubl', 'peppol_ubl')),
    -- BT-10: for a German public buyer its Leitweg-ID. One line.
    ADD COLUMN buyer_reference text
        CONSTRAINT customers_buyer_reference_line
        CHECK (char_length(buyer_reference) BETWEEN 1 AND 200
               AND buyer_reference !~ '[[:cntrl:]]'),
    ADD COLUMN endpoint_scheme text
        CONSTRAINT customers_endpoint_scheme_form
        CHECK (endpoint_scheme ~ '^([0-9]{4}|[A-Z]{2})$'),
    ADD COLUMN endpoint_id text
        CONSTRAINT customers_endpoint_id_form
        CHECK (char_length(endpoint_id) BETWEEN 1 AND 100 AND endpoint_id !~ '[[:space:][:cntrl:]]'),
    ADD CONSTRAINT customers_endpoint_whole
        CHECK ((endpoint_scheme IS NULL) = (endpoint_id IS NULL)),
    ADD CONSTRAINT customers_peppol_endpoint
        CHECK (e_invoice_format IS DISTINCT FROM 'peppol_ubl' OR endpoint_id IS NOT NULL);

-- Sent invoices keep the customer as it was (invoices.buyer, the row as jsonb, written by
-- transitions::mark_sent): the new columns are part of it from now on, so an invoice keeps the
-- format, reference and address it was sent with. Earlier snapshots have none of them and are
-- read as "no e-invoice".

ALTER TABLE seller_profiles
    ADD COLUMN endpoint_scheme text
        CONSTRAINT seller_profiles_endpoint_scheme_form
        CHECK (endpoint_scheme ~ '^([0-9]{4}|[A-Z]{2})$'),
    ADD COLUMN endpoint_id text
        CONSTRAINT seller_profiles_endpoint_id_form
        CHECK (char_length(endpoint_id) BETWEEN 1 AND 100 AND endpoint_id !~ '[[:space:][:cntrl:]]'),
    ADD CONSTRAINT seller_profiles_endpoint_whole
        CHECK ((endpoint_scheme IS NULL) = (endpoint_id IS NULL));
