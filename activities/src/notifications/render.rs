//! Rendering a version: the PDF, and for a sent invoice whose customer receives an e-invoice,
//! that e-invoice from the same document. A Factur-X customer's PDF version is the hybrid
//! itself (the CII inside the PDF/A-3); an XML customer's XML is stored beside the PDF at
//! `contracts::e_invoice_key`. The EN 16931 model is recorded with the version, so any format
//! can later be written from exactly what was sent.

use super::Notifications;
use crate::{
    e_invoice::checked,
    failure, gate, pdf,
    source::{Account, document},
};
use invoicing_einvoice::{Format, model};
use invoicing_store::credit_notes;
use invoicing_store::{
    documents::{self, NewDocument, StoredEInvoice},
    invoices::Invoice,
};
use invoicing_workflows::contracts::{
    RenderCreditNoteInput, RenderDocumentInput, credit_note_e_invoice_key, credit_note_key,
    document_key, e_invoice_key, failures,
};
use temporalio_sdk::activities::ActivityError;

impl Notifications {
    /// Renders the invoice as stored now and stores it as version `input.version`; a version
    /// stored already is left as it is (a retried delivery).
    pub(super) async fn render(&self, input: RenderDocumentInput) -> Result<(), ActivityError> {
        if documents::stored(&self.pool, input.invoice_id, input.version)
            .await
            .map_err(failure::store)?
        {
            return Ok(());
        }
        let (invoice, seller) = self.invoice(input.invoice_id).await?;
        let number = invoice
            .summary
            .number_text
            .clone()
            .unwrap_or_else(|| "DRAFT".to_owned());
        let document = document(&invoice, &seller, input.mark);
        let e_invoice = self.e_invoice(&invoice, &seller, &document)?;
        let xml = e_invoice
            .as_ref()
            .map(|(format, model)| invoicing_einvoice::write(model, *format));
        let facturx = match (&e_invoice, &xml) {
            (Some((Format::FacturX, _)), Some(xml)) => Some(xml.clone()),
            _ => None,
        };
        let pdf = tokio::task::spawn_blocking(move || {
            match facturx {
                None => pdf::render(&document).map_err(anyhow::Error::from),
                Some(xml) => pdf::facturx::render_hybrid(&document, &xml),
            }
            .map_err(|error| failure::permanent(failures::RENDER_FAILED, error))
        })
        .await
        .map_err(|error| failure::retry(error.into()))??;

        let stored = match (e_invoice, xml) {
            (Some((format, model)), Some(xml)) => {
                let key = (format != Format::FacturX)
                    .then(|| e_invoice_key(input.invoice_id, input.version, format));
                if let Some(key) = &key {
                    self.documents
                        .put_xml(key, xml, &format.file_name(&number))
                        .await
                        .map_err(failure::retry)?;
                }
                Some(StoredEInvoice {
                    model: serde_json::to_value(&model).map_err(|error| {
                        failure::permanent(failures::RENDER_FAILED, error.into())
                    })?,
                    format,
                    key,
                })
            }
            _ => None,
        };
        let key = document_key(input.invoice_id, input.version);
        let size_bytes = pdf.len() as i64;
        self.documents
            .put_pdf(&key, pdf, &format!("{number}.pdf"))
            .await
            .map_err(failure::retry)?;
        documents::record(
            &self.pool,
            &NewDocument {
                invoice_id: input.invoice_id,
                version: input.version,
                storage_key: &key,
                size_bytes,
                mark: input.mark,
                event_seq: input.event_seq,
                at: input.at,
                e_invoice: stored.as_ref(),
            },
        )
        .await
        .map_err(failure::store)?;
        self.cache.invalidate(input.invoice_id).await;
        Ok(())
    }

    /// Renders a credit note from the invoice it credits, with its e-invoice (type 381, naming
    /// the invoice) for a customer who receives one, and stores them; a note rendered already
    /// is left as it is (a retried delivery).
    pub(super) async fn render_credit_note(
        &self,
        input: RenderCreditNoteInput,
    ) -> Result<(), ActivityError> {
        let note = credit_notes::get(&self.pool, input.credit_note_id)
            .await
            .map_err(failure::store)?
            .ok_or_else(|| {
                failure::permanent(
                    failures::INVOICE_NOT_FOUND,
                    anyhow::anyhow!("credit note {} is not stored", input.credit_note_id),
                )
            })?;
        if note.pdf_key.is_some() {
            return Ok(());
        }
        let (invoice, seller) = self.invoice(input.invoice_id).await?;
        let credited = document(&invoice, &seller, None);
        let document = pdf::credit_note_document(
            &credited,
            &note.number,
            note.issue_date,
            &note.reason,
            &note.note,
        );
        let e_invoice = self.e_invoice(&invoice, &seller, &document)?;
        let xml = e_invoice
            .as_ref()
            .map(|(format, model)| invoicing_einvoice::write(model, *format));
        let facturx = match (&e_invoice, &xml) {
            (Some((Format::FacturX, _)), Some(xml)) => Some(xml.clone()),
            _ => None,
        };
        let pdf = tokio::task::spawn_blocking(move || {
            match facturx {
                None => pdf::render(&document).map_err(anyhow::Error::from),
                Some(xml) => pdf::facturx::render_hybrid(&document, &xml),
            }
            .map_err(|error| failure::permanent(failures::RENDER_FAILED, error))
        })
        .await
        .map_err(|error| failure::retry(error.into()))??;
        let e_invoice_key = match (&e_invoice, xml) {
            (Some((format, _)), Some(xml)) if *format != Format::FacturX => {
                let key = credit_note_e_invoice_key(input.invoice_id, note.id, *format);
                self.documents
                    .put_xml(&key, xml, &format.file_name(&note.number))
                    .await
                    .map_err(failure::retry)?;
                Some(key)
            }
            _ => None,
        };
        let key = credit_note_key(input.invoice_id, note.id);
        self.documents
            .put_pdf(&key, pdf, &format!("{}.pdf", note.number))
            .await
            .map_err(failure::retry)?;
        let format = e_invoice.as_ref().map(|(format, _)| format.to_string());
        credit_notes::record_documents(
            &self.pool,
            note.id,
            &key,
            format
                .as_deref()
                .map(|format| (format, e_invoice_key.as_deref())),
        )
        .await
        .map_err(failure::store)?;
        Ok(())
    }

    /// The e-invoice the version carries: `None` for a draft (no number to put on it) and for
    /// a customer who receives the PDF only. The gate checked it at send; should it break a
    /// fatal rule now (the seller's profile is read as it is now), the version is not stored
    /// rather than stored invalid.
    fn e_invoice(
        &self,
        invoice: &Invoice,
        seller: &Account,
        document: &pdf::InvoiceDocument,
    ) -> Result<Option<(Format, model::Invoice)>, ActivityError> {
        if invoice.summary.number.is_none() {
            return Ok(None);
        }
        let Some(buyer) = invoice.details.buyer() else {
            return Ok(None);
        };
        let Some(format) = buyer.e_invoice_format() else {
            return Ok(None);
        };
        let routing = gate::routing(seller, &buyer, self.card_payments);
        let model = checked(document, &routing, format).map_err(|findings| {
            let rules: Vec<&str> = findings
                .iter()
                .filter(|finding| finding.severity == invoicing_einvoice::Severity::Fatal)
                .map(|finding| finding.rule)
                .collect();
            failure::permanent(
                failures::E_INVOICE_INVALID,
                anyhow::anyhow!(
                    "the {} e-invoice of invoice {} breaks {}; not stored",
                    format.title(),
                    document.number,
                    rules.join(", ")
                ),
            )
        })?;
        Ok(Some((format, model)))
    }
}
