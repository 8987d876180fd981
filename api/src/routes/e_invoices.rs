//! An invoice's e-invoice: the one its customer received, streamed from the document store as
//! it was stored at render (beside the PDF, or as the PDF itself for Factur-X), or another XML
//! format written from the EN 16931 model stored with that version and checked against that
//! format's rules first.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::{Path, Query},
    openapi::{
        BadRequest, EInvoiceUnavailable, EInvoiceUnwritable, Forbidden, NotFound, Unauthorized,
    },
    state::AppState,
    stored_files::{self, Disposition},
};
use axum::{body::Body, extract::State, response::Response};
use invoicing_einvoice::{Format, model};
use invoicing_store::documents::{self, StoredEInvoice};
use invoicing_workflows::contracts::{EInvoiceFinding, EInvoiceVerdict};
use serde::Deserialize;
use strum::VariantArray;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(e_invoice))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct EInvoiceParams {
    /// The format: `factur_x`, `xrechnung_cii`, `xrechnung_ubl` or `peppol_ubl`. Left out,
    /// the one the customer received.
    #[param(value_type = Option<Format>)]
    format: Option<String>,
}

/// Downloads an invoice's e-invoice
///
/// Without `format`, the e-invoice the customer received with the invoice's latest version,
/// byte for byte as it was stored when it was rendered: the XML for XRechnung and Peppol, the
/// PDF itself for Factur-X (a PDF/A-3 that carries its CII XML as `factur-x.xml`).
///
/// Another XML format is written from the EN 16931 model stored with that version (what was
/// sent, not the customer or seller as they are now) and checked against that format's rules:
/// an invoice that breaks a fatal one is answered 422 with every rule by its id. Factur-X is
/// the sent PDF, so only a Factur-X customer's invoice has one.
///
/// Only the invoice's owner may download it (as its PDF); an invoice whose customer receives no
/// e-invoice has none (409 `no-e-invoice`).
#[utoipa::path(
    get,
    path = "/invoices/{id}/e-invoice",
    operation_id = "invoice_e_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id."), EInvoiceParams),
    responses(
        (
            status = 200,
            description = "The e-invoice, as a file to save.",
            content((Vec<u8> = "application/xml"), (Vec<u8> = "application/pdf")),
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"RE-00001-xrechnung-ubl.xml\"` (`RE-00001.pdf` for Factur-X)."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Forbidden, NotFound, EInvoiceUnavailable, EInvoiceUnwritable,
    ),
)]
async fn e_invoice(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(params): Query<EInvoiceParams>,
) -> Result<Response, ApiError> {
    let asked = parse_format(params.format.as_deref())?;
    let invoice = commands::load_summary(&state, caller, id, Access::Own).await?;
    let Some(number) = stored_files::issued_number(&invoice) else {
        return Err(ApiError::conflict(
            "not-sent",
            "The invoice is a draft: its e-invoice is made when it is sent.",
        ));
    };
    let document = documents::latest(&state.db, id).await?.ok_or_else(|| {
        ApiError::conflict(
            "e-invoice-pending",
            "The invoice's documents are still being made; try again shortly.",
        )
    })?;
    let Some(stored) = document.e_invoice else {
        return Err(ApiError::conflict(
            "no-e-invoice",
            "The customer received no e-invoice with this invoice: it had no e-invoice format \
             when the invoice was sent. A format set on the customer now applies to its next \
             invoices.",
        ));
    };
    let format = asked.unwrap_or(stored.format);
    if format == stored.format {
        return served(&state, &stored, &document.storage_key, &number).await;
    }
    if format == Format::FacturX {
        return Err(ApiError::conflict(
            "not-factur-x",
            format!(
                "The customer receives {}, not Factur-X: a Factur-X invoice is the sent PDF \
                 itself, and this invoice's PDF is a plain one.",
                stored.format.title()
            ),
        ));
    }
    let model: model::Invoice = serde_json::from_value(stored.model).map_err(|error| {
        ApiError::internal(anyhow::Error::new(error).context("reading a stored e-invoice"))
    })?;
    let findings: Vec<EInvoiceFinding> = invoicing_einvoice::check(&model, format)
        .into_iter()
        .map(EInvoiceFinding::from)
        .collect();
    let verdict = EInvoiceVerdict {
        format: Some(format),
        findings,
    };
    if verdict.refused() {
        return Err(ApiError::EInvoiceUnwritable(verdict));
    }
    let xml = invoicing_einvoice::write(&model, format);
    Ok(stored_files::response(
        Body::from(xml),
        None,
        "application/xml",
        Disposition::Attachment,
        &format.file_name(&number),
    ))
}

/// `format`, when given: one of [`Format`]'s names.
fn parse_format(raw: Option<&str>) -> Result<Option<Format>, ApiError> {
    let Some(raw) = raw.filter(|raw| !raw.is_empty()) else {
        return Ok(None);
    };
    raw.parse().map(Some).map_err(|_| {
        let known: Vec<&str> = Format::VARIANTS
            .iter()
            .map(|format| <&str>::from(*format))
            .collect();
        ApiError::BadRequest(format!(
            "format must be one of {}, not {raw:?}",
            known.join(", ")
        ))
    })
}

/// The stored e-invoice, streamed from the document store: its XML, or for Factur-X the PDF
/// version that carries it.
async fn served(
    state: &AppState,
    stored: &StoredEInvoice,
    pdf_key: &str,
    number: &str,
) -> Result<Response, ApiError> {
    let (key, content_type, filename) = match &stored.key {
        Some(key) => (
            key.as_str(),
            "application/xml",
            stored.format.file_name(number),
        ),
        None => (pdf_key, "application/pdf", format!("{number}.pdf")),
    };
    let (body, length) = stored_files::stream(state, key, "an e-invoice").await?;
    Ok(stored_files::response(
        body,
        length,
        content_type,
        Disposition::Attachment,
        &filename,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_is_read_by_its_name() {
        assert_eq!(parse_format(None).unwrap(), None);
        assert_eq!(parse_format(Some("")).unwrap(), None);
        assert_eq!(
            parse_format(Some("peppol_ubl")).unwrap(),
            Some(Format::PeppolUbl)
        );
        assert_eq!(
            parse_format(Some("factur_x")).unwrap(),
            Some(Format::FacturX)
        );
    }

    #[test]
    fn an_unknown_format_is_a_bad_request_naming_the_known_ones() {
        let Err(ApiError::BadRequest(detail)) = parse_format(Some("zugferd")) else {
            panic!("an unknown format is a bad request");
        };
        assert!(
            detail.contains("factur_x, xrechnung_cii, xrechnung_ubl, peppol_ubl"),
            "{detail}"
        );
        assert!(detail.contains("\"zugferd\""), "{detail}");
    }
}
