//! UBL's money: allowances and charges, the VAT totals and breakdown, the document totals and
//! the lines. Every amount carries its currency (`currencyID`), the invoice's except BT-111.

use super::{Document, period};
use crate::{
    Invoice,
    model::{AllowanceCharge, Line, VatRate},
    xml::{XmlWriter, decimal},
};
use rust_decimal::Decimal;

fn amount(xml: &mut XmlWriter, name: &str, currency: &str, value: Decimal) {
    xml.leaf_with(name, &[("currencyID", currency)], &decimal(value));
}

/// A line's or an allowance's VAT category (`cac:ClassifiedTaxCategory`, `cac:TaxCategory`):
/// no rate for category `O` (BR-O-5..7), which the model holds as `None`.
fn tax_category(xml: &mut XmlWriter, name: &str, vat: &VatRate) {
    xml.group(name, |xml| {
        xml.leaf("cbc:ID", &vat.category);
        if let Some(percent) = vat.percent {
            xml.leaf("cbc:Percent", &decimal(percent));
        }
        vat_scheme(xml);
    });
}

fn vat_scheme(xml: &mut XmlWriter) {
    xml.group("cac:TaxScheme", |xml| xml.leaf("cbc:ID", "VAT"));
}

/// BG-20/21 and BG-27/28: the same element, with a VAT category on document level only.
pub(super) fn allowance_charge(xml: &mut XmlWriter, currency: &str, item: &AllowanceCharge) {
    xml.group("cac:AllowanceCharge", |xml| {
        xml.leaf(
            "cbc:ChargeIndicator",
            if item.is_charge { "true" } else { "false" },
        );
        xml.opt_leaf("cbc:AllowanceChargeReasonCode", item.reason_code.as_deref());
        xml.opt_leaf("cbc:AllowanceChargeReason", item.reason.as_deref());
        if let Some(percent) = item.percent {
            xml.leaf("cbc:MultiplierFactorNumeric", &decimal(percent));
        }
        amount(xml, "cbc:Amount", currency, item.amount);
        if let Some(base) = item.base_amount {
            amount(xml, "cbc:BaseAmount", currency, base);
        }
        if let Some(vat) = &item.vat {
            tax_category(xml, "cac:TaxCategory", vat);
        }
    });
}

/// BT-110 with the breakdown (BG-23), then BT-111 alone when VAT is accounted in another
/// currency (PEPPOL-EN16931-R053/R054: one total with subtotals, one without).
pub(super) fn tax_totals(xml: &mut XmlWriter, invoice: &Invoice) {
    let currency = invoice.currency.as_str();
    // UBL requires a tax amount wherever there is a breakdown; BT-110 is absent only when
    // no VAT applies, where the breakdown's taxes are all zero and add up to it.
    let total = invoice
        .totals
        .tax_total
        .unwrap_or_else(|| invoice.vat_breakdown.iter().map(|row| row.tax).sum());
    xml.group("cac:TaxTotal", |xml| {
        amount(xml, "cbc:TaxAmount", currency, total);
        for row in &invoice.vat_breakdown {
            xml.group("cac:TaxSubtotal", |xml| {
                amount(xml, "cbc:TaxableAmount", currency, row.taxable);
                amount(xml, "cbc:TaxAmount", currency, row.tax);
                xml.group("cac:TaxCategory", |xml| {
                    xml.leaf("cbc:ID", &row.rate.category);
                    // BT-119 in every breakdown, 0 for category O, which has no rate:
                    // XRechnung requires it (BR-DE-14), EN 16931 forbids a rate only on lines
                    // and allowances.
                    let percent = row.rate.percent.unwrap_or(Decimal::ZERO);
                    xml.leaf("cbc:Percent", &decimal(percent));
                    xml.opt_leaf("cbc:TaxExemptionReasonCode", row.exemption_code.as_deref());
                    xml.opt_leaf("cbc:TaxExemptionReason", row.exemption_reason.as_deref());
                    vat_scheme(xml);
                });
            });
        }
    });
    if let Some(tax_currency) = &invoice.tax_currency {
        xml.group("cac:TaxTotal", |xml| {
            amount(
                xml,
                "cbc:TaxAmount",
                &tax_currency.code,
                tax_currency.tax_total,
            );
        });
    }
}

/// BG-22.
pub(super) fn monetary_total(xml: &mut XmlWriter, invoice: &Invoice) {
    let currency = invoice.currency.as_str();
    let totals = &invoice.totals;
    xml.group("cac:LegalMonetaryTotal", |xml| {
        amount(xml, "cbc:LineExtensionAmount", currency, totals.line_total);
        amount(
            xml,
            "cbc:TaxExclusiveAmount",
            currency,
            totals.tax_exclusive,
        );
        amount(
            xml,
            "cbc:TaxInclusiveAmount",
            currency,
            totals.tax_inclusive,
        );
        let optional = [
            ("cbc:AllowanceTotalAmount", totals.allowance_total),
            ("cbc:ChargeTotalAmount", totals.charge_total),
            ("cbc:PrepaidAmount", totals.prepaid),
            ("cbc:PayableRoundingAmount", totals.rounding),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                amount(xml, name, currency, value);
            }
        }
        amount(xml, "cbc:PayableAmount", currency, totals.payable);
    });
}

/// BG-25 as `cac:InvoiceLine` or `cac:CreditNoteLine`.
pub(super) fn line(xml: &mut XmlWriter, document: &Document, currency: &str, line: &Line) {
    xml.group(document.line, |xml| {
        xml.leaf("cbc:ID", &line.id);
        xml.opt_leaf("cbc:Note", line.note.as_deref());
        xml.leaf_with(
            document.quantity,
            &[("unitCode", &line.unit)],
            &decimal(line.quantity),
        );
        amount(xml, "cbc:LineExtensionAmount", currency, line.net_amount);
        if let Some(line_period) = &line.period {
            period(xml, line_period);
        }
        for item in &line.allowances_charges {
            allowance_charge(xml, currency, item);
        }
        xml.group("cac:Item", |xml| {
            xml.opt_leaf("cbc:Description", line.item_description.as_deref());
            xml.leaf("cbc:Name", &line.item_name);
            tax_category(xml, "cac:ClassifiedTaxCategory", &line.vat);
        });
        xml.group("cac:Price", |xml| {
            amount(xml, "cbc:PriceAmount", currency, line.price.net);
            if let Some(base) = line.price.base_quantity {
                xml.leaf_with(
                    "cbc:BaseQuantity",
                    &[("unitCode", &line.unit)],
                    &decimal(base),
                );
            }
            // BT-147 and BT-148: the discount off the gross price, as a price allowance.
            if let Some(gross) = line.price.gross {
                xml.group("cac:AllowanceCharge", |xml| {
                    xml.leaf("cbc:ChargeIndicator", "false");
                    let discount = line.price.discount.unwrap_or(Decimal::ZERO);
                    amount(xml, "cbc:Amount", currency, discount);
                    amount(xml, "cbc:BaseAmount", currency, gross);
                });
            }
        });
    });
}
