//! The e-invoice gate: before a draft gets its number, the e-invoice its customer receives is
//! generated from the stored invoice and checked against the business rules of its format. A
//! draft that fails is refused with the rules it breaks; nothing is written.

use invoicing_einvoice::Format;
use serde::{Deserialize, Serialize};
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckEInvoiceInput {
    pub invoice_id: Uuid,
}

/// One broken rule, as the official rule sets name and word it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceFinding {
    /// The rule's id in its official rule set (`BR-CO-15`, `BR-DE-15`,
    /// `PEPPOL-EN16931-R010`).
    pub rule: String,
    /// The rule's official text.
    pub message: String,
    /// The EN 16931 business term or group concerned (`BT-10`, `BG-23`).
    pub term: Option<String>,
    /// Where on the invoice, in the API's terms (`customer.buyer_reference`, `items[2]`).
    pub field: Option<String>,
    /// Fatal findings refuse the invoice; warnings are reported and let it pass.
    pub fatal: bool,
}

/// What the gate found: the format the customer receives (`None`: a PDF only, nothing to
/// check) and every finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EInvoiceVerdict {
    pub format: Option<Format>,
    pub findings: Vec<EInvoiceFinding>,
}

impl EInvoiceVerdict {
    /// Whether the invoice may not be sent as it is.
    pub fn refused(&self) -> bool {
        self.findings.iter().any(|finding| finding.fatal)
    }
}

pub struct EInvoiceActivities;

#[activity_definitions]
impl EInvoiceActivities {
    /// Generates the customer's e-invoice from the draft as stored (with the number it would
    /// get) and checks it. Reads only.
    #[activity(name = "invoice.check_e_invoice")]
    pub fn check_e_invoice(input: CheckEInvoiceInput) -> Result<EInvoiceVerdict, ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::e_invoice_activities::*;
}
