//! The e-invoice gate (`invoice.check_e_invoice`): before a draft gets its number, the
//! e-invoice its customer receives is generated from the draft as stored, for the customer as
//! it is now (what sending will copy), and checked against its format's business rules. It
//! reads only: a refused draft leaves no trace.

use crate::{
    e_invoice::{Routing, e_invoice},
    failure,
    source::{self, Account},
};
use invoicing_einvoice::{Format, model::Endpoint};
use invoicing_store::{
    invoice_content::{self, Buyer},
    invoices::Invoice,
};
use invoicing_workflows::{
    contracts::{CheckEInvoiceInput, EInvoiceFinding, EInvoiceVerdict, activity},
    domain::ElectronicAddress,
};
use sqlx::PgPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};

pub struct EInvoiceGate {
    pool: PgPool,
    /// Whether buyers can pay by card online (Stripe is configured): the payment means an
    /// e-invoice without a bank account states.
    card_payments: bool,
}

impl EInvoiceGate {
    pub fn new(pool: PgPool, card_payments: bool) -> Self {
        Self {
            pool,
            card_payments,
        }
    }
}

#[activities]
impl EInvoiceGate {
    #[activity(definition = activity::CheckEInvoice)]
    pub async fn check_e_invoice(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: CheckEInvoiceInput,
    ) -> Result<EInvoiceVerdict, ActivityError> {
        let (mut invoice, account) = source::load(&self.pool, None, input.invoice_id).await?;
        if invoice.details.buyer.is_none() {
            invoice.details.buyer = invoice_content::draft_buyer(&self.pool, input.invoice_id)
                .await
                .map_err(failure::store)?;
        }
        let Some(buyer) = invoice.details.buyer() else {
            return Ok(EInvoiceVerdict {
                format: None,
                findings: Vec::new(),
            });
        };
        let Some(format) = buyer.e_invoice_format() else {
            return Ok(EInvoiceVerdict {
                format: None,
                findings: Vec::new(),
            });
        };
        let findings = check(&invoice, &account, &buyer, format, self.card_payments);
        Ok(EInvoiceVerdict {
            format: Some(format),
            findings,
        })
    }
}

/// The findings of `format`'s rules on the invoice's e-invoice.
pub(crate) fn check(
    invoice: &Invoice,
    account: &Account,
    buyer: &Buyer,
    format: Format,
    card_payments: bool,
) -> Vec<EInvoiceFinding> {
    let document = source::document(invoice, account, None);
    let e_invoice = e_invoice(&document, &routing(account, buyer, card_payments));
    invoicing_einvoice::check(&e_invoice, format)
        .into_iter()
        .map(EInvoiceFinding::from)
        .collect()
}

/// What the e-invoice carries beyond the PDF, from the seller's profile and the buyer as sent.
pub(crate) fn routing(account: &Account, buyer: &Buyer, card_payments: bool) -> Routing {
    Routing {
        buyer_reference: buyer.buyer_reference.clone(),
        seller_endpoint: account
            .profile
            .as_ref()
            .and_then(|profile| profile.electronic_address.as_ref())
            .map(endpoint),
        buyer_endpoint: buyer.electronic_address().as_ref().map(endpoint),
        card_payments,
    }
}

fn endpoint(address: &ElectronicAddress) -> Endpoint {
    Endpoint {
        id: address.id().to_owned(),
        scheme: address.scheme().to_owned(),
    }
}
