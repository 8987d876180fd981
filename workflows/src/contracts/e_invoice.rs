//! The e-invoice gate: before a draft gets its number, the e-invoice its customer receives is
//! generated from the stored invoice and checked against the business rules of its format. A
//! draft that fails is refused with the rules it breaks; nothing is written.

use invoicing_einvoice::{Finding, Format, Severity};
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

/// A finding in the API's terms: the field a person fixes, where the business term maps to
/// one. The gate at send and the API's download of another format both answer this way.
impl From<Finding> for EInvoiceFinding {
    fn from(finding: Finding) -> Self {
        EInvoiceFinding {
            rule: finding.rule.to_owned(),
            message: finding.message.to_owned(),
            term: finding.term.map(str::to_owned),
            field: finding.term.and_then(field_of).map(str::to_owned),
            fatal: finding.severity == Severity::Fatal,
        }
    }
}

/// Where the product keeps a business term: the customer's record, the seller's profile (the
/// settings), or the draft.
fn field_of(term: &str) -> Option<&'static str> {
    Some(match term {
        "BT-10" => "customer.buyer_reference",
        "BT-49" => "customer.electronic_address",
        "BT-44" | "BT-45" => "customer.display_name",
        "BT-48" => "customer.tax_id",
        "BG-8" | "BT-50" | "BT-52" | "BT-53" | "BT-55" => "customer.address",
        "BT-27" | "BT-28" => "seller.legal_name",
        "BT-31" | "BT-32" => "seller.tax_ids",
        "BT-34" => "seller.electronic_address",
        "BG-5" | "BT-35" | "BT-37" | "BT-38" | "BT-40" => "seller.address",
        "BG-6" | "BT-41" => "seller.display_name",
        "BT-42" => "seller.phone",
        "BT-43" => "seller.email",
        "BG-16" | "BG-17" | "BT-81" | "BT-84" => "bank_accounts",
        "BT-5" => "currency",
        "BT-9" => "due_date",
        "BT-72" | "BG-14" => "supply_date",
        "BG-25" | "BT-126" | "BT-129" | "BT-131" | "BT-146" | "BT-153" => "items",
        "BG-20" | "BG-21" => "adjustments",
        "BG-23" | "BT-118" | "BT-119" | "BT-120" | "BT-121" | "BT-151" | "BT-152" => "items",
        _ => return None,
    })
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
