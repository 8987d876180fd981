//! CII's `ram:ApplicableHeaderTradeSettlement`: currencies, payment instructions, the VAT
//! breakdown, the invoicing period, document allowances and charges, payment terms, totals
//! and the preceding invoice, in the schema's order.

use super::{allowance_charge, date_time, period};
use crate::{
    Invoice,
    model::{PaymentInstructions, PaymentMeans, VatBreakdown},
    xml::{XmlWriter, date_102, decimal, given},
};
use rust_decimal::Decimal;

pub(super) fn write(xml: &mut XmlWriter, invoice: &Invoice) {
    xml.group("ram:ApplicableHeaderTradeSettlement", |xml| {
        if let Some(payment) = &invoice.payment {
            xml.opt_leaf("ram:PaymentReference", payment.remittance.as_deref());
        }
        if let Some(tax_currency) = &invoice.tax_currency {
            xml.leaf("ram:TaxCurrencyCode", &tax_currency.code);
        }
        xml.leaf("ram:InvoiceCurrencyCode", &invoice.currency);
        if let Some(payment) = &invoice.payment {
            payment_means(xml, payment);
        }
        for row in &invoice.vat_breakdown {
            breakdown(xml, row);
        }
        if let Some(invoice_period) = &invoice.period {
            period(xml, invoice_period);
        }
        for item in &invoice.allowances_charges {
            allowance_charge(xml, item);
        }
        let terms = given(invoice.payment_terms.as_deref());
        if terms.is_some() || invoice.due_date.is_some() {
            xml.group("ram:SpecifiedTradePaymentTerms", |xml| {
                xml.opt_leaf("ram:Description", terms);
                if let Some(due) = invoice.due_date {
                    date_time(xml, "ram:DueDateDateTime", due);
                }
            });
        }
        totals(xml, invoice);
        for preceding in &invoice.preceding {
            xml.group("ram:InvoiceReferencedDocument", |xml| {
                xml.leaf("ram:IssuerAssignedID", &preceding.number);
                if let Some(date) = preceding.issue_date {
                    // The one date CII types as qdt, not udt.
                    xml.group("ram:FormattedIssueDateTime", |xml| {
                        xml.leaf_with("qdt:DateTimeString", &[("format", "102")], &date_102(date));
                    });
                }
            });
        }
    });
}

fn payment_means(xml: &mut XmlWriter, payment: &PaymentInstructions) {
    xml.group("ram:SpecifiedTradeSettlementPaymentMeans", |xml| {
        xml.leaf("ram:TypeCode", payment.means.code());
        if let Some(card) = &payment.card {
            xml.group("ram:ApplicableTradeSettlementFinancialCard", |xml| {
                xml.leaf("ram:ID", &card.last_digits);
                xml.opt_leaf("ram:CardholderName", card.holder.as_deref());
            });
        }
        if let Some(transfer) = &payment.transfer {
            xml.group("ram:PayeePartyCreditorFinancialAccount", |xml| {
                // A SEPA transfer names an IBAN; other transfers a proprietary account number.
                if payment.means == PaymentMeans::SepaCreditTransfer {
                    xml.leaf("ram:IBANID", &transfer.account_id);
                    xml.opt_leaf("ram:AccountName", transfer.account_name.as_deref());
                } else {
                    xml.opt_leaf("ram:AccountName", transfer.account_name.as_deref());
                    xml.leaf("ram:ProprietaryID", &transfer.account_id);
                }
            });
            if let Some(bic) = given(transfer.bic.as_deref()) {
                xml.group("ram:PayeeSpecifiedCreditorFinancialInstitution", |xml| {
                    xml.leaf("ram:BICID", bic);
                });
            }
        }
    });
}

fn breakdown(xml: &mut XmlWriter, row: &VatBreakdown) {
    xml.group("ram:ApplicableTradeTax", |xml| {
        xml.leaf("ram:CalculatedAmount", &decimal(row.tax));
        xml.leaf("ram:TypeCode", "VAT");
        xml.opt_leaf("ram:ExemptionReason", row.exemption_reason.as_deref());
        xml.leaf("ram:BasisAmount", &decimal(row.taxable));
        xml.leaf("ram:CategoryCode", &row.rate.category);
        xml.opt_leaf("ram:ExemptionReasonCode", row.exemption_code.as_deref());
        // BT-119 in every breakdown, 0 for category O, which has no rate: XRechnung requires
        // the element (BR-DE-14) and EN 16931 forbids a rate only on lines and allowances.
        let percent = row.rate.percent.unwrap_or(Decimal::ZERO);
        xml.leaf("ram:RateApplicablePercent", &decimal(percent));
    });
}

fn totals(xml: &mut XmlWriter, invoice: &Invoice) {
    let totals = &invoice.totals;
    let amount = |xml: &mut XmlWriter, name: &str, value: Option<Decimal>| {
        if let Some(value) = value {
            xml.leaf(name, &decimal(value));
        }
    };
    xml.group(
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        |xml| {
            amount(xml, "ram:LineTotalAmount", Some(totals.line_total));
            amount(xml, "ram:ChargeTotalAmount", totals.charge_total);
            amount(xml, "ram:AllowanceTotalAmount", totals.allowance_total);
            amount(xml, "ram:TaxBasisTotalAmount", Some(totals.tax_exclusive));
            // BT-110 and BT-111 are the same element told apart by currency.
            if let Some(tax) = totals.tax_total {
                xml.leaf_with(
                    "ram:TaxTotalAmount",
                    &[("currencyID", &invoice.currency)],
                    &decimal(tax),
                );
            }
            if let Some(tax_currency) = &invoice.tax_currency {
                xml.leaf_with(
                    "ram:TaxTotalAmount",
                    &[("currencyID", &tax_currency.code)],
                    &decimal(tax_currency.tax_total),
                );
            }
            amount(xml, "ram:RoundingAmount", totals.rounding);
            amount(xml, "ram:GrandTotalAmount", Some(totals.tax_inclusive));
            amount(xml, "ram:TotalPrepaidAmount", totals.prepaid);
            amount(xml, "ram:DuePayableAmount", Some(totals.payable));
        },
    );
}
