-- E-invoices as documents (issue 25): every stored version of an invoice whose customer
-- receives an e-invoice keeps that e-invoice beside its PDF, written by the worker's render
-- (activities/src/notifications.rs) in the same step, so the two never disagree.
--
-- All three columns are NULL for a version without an e-invoice: a draft's, a customer's who
-- receives the PDF only, and every version rendered before this migration.
ALTER TABLE invoice_documents
    -- The EN 16931 model (invoicing_einvoice::model::Invoice as JSON) as generated for this
    -- version. Kept rather than regenerated on demand: the seller's profile and bank account
    -- are read as they are at render, so only this copy says exactly what was sent, and any
    -- other format is written from it (GET /api/invoices/{id}/e-invoice?format=...).
    ADD COLUMN e_invoice jsonb,
    -- The format the customer received, one of invoicing_einvoice::Format's names (as
    -- customers.e_invoice_format).
    ADD COLUMN e_invoice_format text
        CONSTRAINT invoice_documents_e_invoice_format_known
        CHECK (e_invoice_format IN ('factur_x', 'xrechnung_cii', 'xrechnung_ubl', 'peppol_ubl')),
    -- The XML's S3 key (contracts::e_invoice_key). NULL for Factur-X: its XML is inside the
    -- PDF at storage_key, which is then the hybrid Factur-X document itself.
    ADD COLUMN e_invoice_key text,
    ADD CONSTRAINT invoice_documents_e_invoice_whole
        CHECK ((e_invoice IS NULL) = (e_invoice_format IS NULL)),
    ADD CONSTRAINT invoice_documents_e_invoice_key_for_xml
        CHECK ((e_invoice_key IS NOT NULL)
               = (e_invoice_format IS NOT NULL AND e_invoice_format <> 'factur_x'));
