//! OASIS UBL 2.1, as XRechnung 3.0 UBL and Peppol BIS Billing 3.0 read it: an `Invoice`, or a
//! `CreditNote` for type code 381. Elements follow the UBL 2.1 schemas' sequence; the
//! business terms map as the EN 16931-3-2 syntax binding says.

mod amounts;
mod parties;

use crate::{
    Format, Invoice,
    model::{PaymentInstructions, Period, TypeCode},
    xml::{XmlWriter, date_iso, given},
};

const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The business process (BT-23) both XRechnung and Peppol declare.
pub const PROFILE: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// The names that differ between an invoice and a credit note.
pub(crate) struct Document {
    root: &'static str,
    namespace: &'static str,
    type_code: &'static str,
    line: &'static str,
    quantity: &'static str,
}

const INVOICE: Document = Document {
    root: "Invoice",
    namespace: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    type_code: "cbc:InvoiceTypeCode",
    line: "cac:InvoiceLine",
    quantity: "cbc:InvoicedQuantity",
};

const CREDIT_NOTE: Document = Document {
    root: "CreditNote",
    namespace: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    type_code: "cbc:CreditNoteTypeCode",
    line: "cac:CreditNoteLine",
    quantity: "cbc:CreditedQuantity",
};

/// The invoice as UBL. `format` must be one written in UBL ([`Format::XrechnungUbl`],
/// [`Format::PeppolUbl`]).
pub fn write(invoice: &Invoice, format: Format) -> Vec<u8> {
    assert_eq!(
        format.syntax(),
        crate::Syntax::Ubl,
        "{format} is not written in UBL"
    );
    let document = match invoice.type_code {
        TypeCode::Invoice => &INVOICE,
        TypeCode::CreditNote => &CREDIT_NOTE,
    };
    let mut xml = XmlWriter::new();
    xml.start(
        document.root,
        &[
            ("xmlns", document.namespace),
            ("xmlns:cac", CAC),
            ("xmlns:cbc", CBC),
        ],
    );
    xml.leaf("cbc:CustomizationID", format.specification());
    xml.leaf("cbc:ProfileID", PROFILE);
    xml.leaf("cbc:ID", &invoice.number);
    xml.leaf("cbc:IssueDate", &date_iso(invoice.issue_date));
    // UBL 2.1's credit note has no due date of its own: BT-9 goes into its payment means.
    if invoice.type_code == TypeCode::Invoice
        && let Some(due) = invoice.due_date
    {
        xml.leaf("cbc:DueDate", &date_iso(due));
    }
    xml.leaf(document.type_code, invoice.type_code.code());
    notes(&mut xml, invoice, format);
    xml.leaf("cbc:DocumentCurrencyCode", &invoice.currency);
    if let Some(tax_currency) = &invoice.tax_currency {
        xml.leaf("cbc:TaxCurrencyCode", &tax_currency.code);
    }
    xml.opt_leaf("cbc:BuyerReference", invoice.buyer_reference.as_deref());
    if let Some(invoice_period) = &invoice.period {
        period(&mut xml, invoice_period);
    }
    if let Some(order) = given(invoice.order_reference.as_deref()) {
        xml.group("cac:OrderReference", |xml| xml.leaf("cbc:ID", order));
    }
    for preceding in &invoice.preceding {
        xml.group("cac:BillingReference", |xml| {
            xml.group("cac:InvoiceDocumentReference", |xml| {
                xml.leaf("cbc:ID", &preceding.number);
                if let Some(date) = preceding.issue_date {
                    xml.leaf("cbc:IssueDate", &date_iso(date));
                }
            });
        });
    }
    parties::seller(&mut xml, &invoice.seller);
    parties::buyer(&mut xml, &invoice.buyer);
    delivery(&mut xml, invoice);
    if let Some(payment) = &invoice.payment {
        payment_means(&mut xml, invoice, payment);
    }
    if let Some(terms) = given(invoice.payment_terms.as_deref()) {
        xml.group("cac:PaymentTerms", |xml| xml.leaf("cbc:Note", terms));
    }
    for item in &invoice.allowances_charges {
        amounts::allowance_charge(&mut xml, &invoice.currency, item);
    }
    amounts::tax_totals(&mut xml, invoice);
    amounts::monetary_total(&mut xml, invoice);
    for line in &invoice.lines {
        amounts::line(&mut xml, document, &invoice.currency, line);
    }
    xml.end(document.root);
    xml.finish()
}

/// BG-1. Peppol BIS 3.0 allows one document note (PEPPOL-EN16931-R002), so there the notes
/// travel as one, separated by blank lines; XRechnung takes each as it is.
fn notes(xml: &mut XmlWriter, invoice: &Invoice, format: Format) {
    let notes = invoice.notes.iter().filter_map(|note| given(Some(note)));
    if format == Format::PeppolUbl {
        let joined = notes.collect::<Vec<_>>().join("\n\n");
        xml.opt_leaf("cbc:Note", Some(&joined));
    } else {
        for note in notes {
            xml.leaf("cbc:Note", note);
        }
    }
}

pub(crate) fn period(xml: &mut XmlWriter, period: &Period) {
    xml.group("cac:InvoicePeriod", |xml| {
        xml.leaf("cbc:StartDate", &date_iso(period.start));
        xml.leaf("cbc:EndDate", &date_iso(period.end));
    });
}

fn delivery(xml: &mut XmlWriter, invoice: &Invoice) {
    if invoice.delivery_date.is_none() && invoice.delivery_address.is_none() {
        return;
    }
    xml.group("cac:Delivery", |xml| {
        if let Some(date) = invoice.delivery_date {
            xml.leaf("cbc:ActualDeliveryDate", &date_iso(date));
        }
        if let Some(address) = &invoice.delivery_address {
            xml.group("cac:DeliveryLocation", |xml| {
                parties::address(xml, "cac:Address", address);
            });
        }
    });
}

fn payment_means(xml: &mut XmlWriter, invoice: &Invoice, payment: &PaymentInstructions) {
    xml.group("cac:PaymentMeans", |xml| {
        xml.leaf("cbc:PaymentMeansCode", payment.means.code());
        if invoice.type_code == TypeCode::CreditNote
            && let Some(due) = invoice.due_date
        {
            xml.leaf("cbc:PaymentDueDate", &date_iso(due));
        }
        xml.opt_leaf("cbc:PaymentID", payment.remittance.as_deref());
        if let Some(card) = &payment.card {
            xml.group("cac:CardAccount", |xml| {
                xml.leaf("cbc:PrimaryAccountNumberID", &card.last_digits);
                // UBL requires the card network, which EN 16931 does not carry: "NA", not
                // available, stands in.
                xml.leaf("cbc:NetworkID", "NA");
                xml.opt_leaf("cbc:HolderName", card.holder.as_deref());
            });
        }
        if let Some(transfer) = &payment.transfer {
            xml.group("cac:PayeeFinancialAccount", |xml| {
                xml.leaf("cbc:ID", &transfer.account_id);
                xml.opt_leaf("cbc:Name", transfer.account_name.as_deref());
                if let Some(bic) = given(transfer.bic.as_deref()) {
                    xml.group("cac:FinancialInstitutionBranch", |xml| {
                        xml.leaf("cbc:ID", bic)
                    });
                }
            });
        }
    });
}
