//! How the document is settled (BT-9, BG-16, BT-20). An invoice is paid: by its due date and
//! terms, by transfer to the seller's account or through the pay link. A credit note is not:
//! it has no due date, and what it credits is set off against what the buyer owes or refunded.

use super::Routing;
use crate::pdf::{AccountNumber, InvoiceDocument};
use chrono::NaiveDate;
use invoicing_einvoice::model::{CreditTransfer, PaymentInstructions, PaymentMeans};

/// A credit note's payment terms (BT-20), which its PDF words in the customer's language.
const CREDIT_NOTE_TERMS: &str = "Credited to your account or refunded";

/// BT-9, BG-16 and BT-20 of a document.
pub(super) struct Settlement {
    pub due_date: Option<NaiveDate>,
    pub payment: Option<PaymentInstructions>,
    pub terms: Option<String>,
}

pub(super) fn settlement(doc: &InvoiceDocument, routing: &Routing) -> Settlement {
    if doc.is_credit_note() {
        return Settlement {
            due_date: None,
            payment: credit_settlement(doc),
            // BR-CO-25: a positive amount due (BT-115) needs a due date (BT-9) or terms
            // (BT-20); a credit note's terms say how it is settled, as its PDF does.
            terms: Some(CREDIT_NOTE_TERMS.to_owned()),
        };
    }
    Settlement {
        due_date: Some(doc.due_date),
        payment: payment(doc, routing),
        terms: doc
            .terms_days
            .map(|days| format!("Payment within {days} days of the invoice date")),
    }
}

/// BG-16 of a credit note, which XRechnung requires on every document (BR-DE-1, whose context
/// is the invoice and the credit note alike). The money goes to the buyer, to an account the
/// seller's records do not hold, or is set off against what the buyer owes: the instrument is
/// not defined (`1`), and the buyer recognises the refund by the note's number. The seller's
/// own account (BG-17 is the payee's account) and the pay link would both tell the buyer to
/// pay.
fn credit_settlement(doc: &InvoiceDocument) -> Option<PaymentInstructions> {
    Some(PaymentInstructions {
        means: PaymentMeans::NotDefined,
        remittance: Some(doc.number.clone()),
        transfer: None,
        card: None,
    })
}

/// BG-16: a transfer to the seller's bank account when it has one (SEPA for an IBAN in euro),
/// a card through the pay link otherwise; the buyer quotes the invoice number.
fn payment(doc: &InvoiceDocument, routing: &Routing) -> Option<PaymentInstructions> {
    let remittance = Some(doc.number.clone());
    if let Some(account) = &doc.seller.bank_account {
        let (means, account_id, bic) = match &account.number {
            AccountNumber::Iban { iban, bic } => (
                if doc.currency.code() == "EUR" {
                    PaymentMeans::SepaCreditTransfer
                } else {
                    PaymentMeans::CreditTransfer
                },
                iban.clone(),
                bic.clone(),
            ),
            AccountNumber::Domestic { account, routing } => (
                PaymentMeans::CreditTransfer,
                account.clone(),
                routing.clone(),
            ),
        };
        return Some(PaymentInstructions {
            means,
            remittance,
            transfer: Some(CreditTransfer {
                account_id,
                account_name: Some(account.holder.clone()),
                bic,
            }),
            card: None,
        });
    }
    Some(PaymentInstructions {
        // A Stripe pay link is an online payment service (68), not a card the seller holds
        // (48, which XRechnung requires card details for: BR-DE-24-a).
        means: if routing.card_payments {
            PaymentMeans::OnlinePaymentService
        } else {
            PaymentMeans::NotDefined
        },
        remittance,
        transfer: None,
        card: None,
    })
}
