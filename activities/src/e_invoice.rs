//! The invoice or credit note as an EN 16931 e-invoice: the same [`InvoiceDocument`] the PDF
//! prints, in the standard's terms. A credit note is type `381` and names the invoice it
//! credits (BG-3); it has no due date, and its payment instructions and terms say it is
//! settled, not paid. Amounts come from the stored totals (the domain's `compute`), never
//! recomputed; what the PDF words as a discount becomes a line allowance; prices that include
//! tax become net prices per the invoice's base quantity, so that every line still adds up
//! exactly (EN 16931 prices are always net).

mod settlement;

use crate::pdf::{DocumentKind, InvoiceDocument, Supply};
use invoicing_einvoice::model::{
    self, AllowanceCharge, Buyer, Contact, DocumentTotals, Endpoint, Line, Period, PostalAddress,
    PrecedingInvoice, Price, Seller, TypeCode, VatBreakdown, VatRate,
};
use invoicing_einvoice::{Finding, Format};
use invoicing_workflows::domain::{
    Address, AdjustmentKind, Discount, PriceBasis, TaxId, TaxRate, VatCategory,
};
use rust_decimal::{Decimal, RoundingStrategy::MidpointAwayFromZero};
use settlement::settlement;

/// What an e-invoice carries beyond what the PDF prints: the parties' electronic addresses
/// and the reference the buyer asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    /// BT-10: the buyer's reference (a German public buyer's Leitweg-ID).
    pub buyer_reference: Option<String>,
    /// BT-34; without one, the seller's e-mail address (scheme `EM`).
    pub seller_endpoint: Option<Endpoint>,
    /// BT-49; without one, the buyer's e-mail address (scheme `EM`).
    pub buyer_endpoint: Option<Endpoint>,
    /// The buyer can pay online (a Stripe pay link; BT-81 `68`) when there is no bank account.
    pub card_payments: bool,
}

/// The e-invoice of `doc` for a customer who receives `format`, when it passes that format's
/// rules; else every finding, the fatal ones among them.
pub fn checked(
    doc: &InvoiceDocument,
    routing: &Routing,
    format: Format,
) -> Result<model::Invoice, Vec<Finding>> {
    let invoice = e_invoice(doc, routing);
    let findings = invoicing_einvoice::check(&invoice, format);
    if invoicing_einvoice::is_refused(&findings) {
        return Err(findings);
    }
    Ok(invoice)
}

/// The e-invoice of `doc`.
pub fn e_invoice(doc: &InvoiceDocument, routing: &Routing) -> model::Invoice {
    let exponent = doc.currency.exponent();
    let money = |minor: i64| Decimal::new(minor, exponent);
    let totals = &doc.totals;

    let lines = doc
        .lines
        .iter()
        .zip(&totals.lines)
        .enumerate()
        .map(|(index, (line, &net))| {
            let mut allowances_charges = Vec::new();
            // The line before its discount, rounded once as `compute` rounds it.
            let gross_minor = line
                .quantity
                .checked_mul(line.unit_price)
                .map(|gross| gross.round_dp_with_strategy(0, MidpointAwayFromZero))
                .and_then(|gross| i64::try_from(gross.mantissa()).ok());
            // A line adds up at its unit price when the price times the quantity, less the
            // discount, is its amount: always on an invoice, and on a credit note unless the
            // note's amount carries a minor unit of rounding (see `CreditNote`).
            let adds_up = |gross_minor: i64| match line.discount {
                Some(_) => gross_minor >= net,
                None => gross_minor == net,
            };
            let price = match (doc.price_basis, gross_minor) {
                (PriceBasis::Exclusive, Some(gross_minor)) if adds_up(gross_minor) => {
                    // The allowance is what the discount took off, so the line adds up
                    // exactly.
                    if let Some(discount) = line.discount
                        && gross_minor > net
                    {
                        let allowance = gross_minor - net;
                        // The percentage is stated when it gives the allowance (Peppol's
                        // R040 compares them), which a credited part's rounding may not.
                        let percent = match discount {
                            Discount::Percent(percent)
                                if percent_of(gross_minor, percent) == Some(allowance) =>
                            {
                                Some(percent.normalize())
                            }
                            _ => None,
                        };
                        allowances_charges.push(AllowanceCharge {
                            is_charge: false,
                            amount: money(allowance),
                            base_amount: percent.map(|_| money(gross_minor)),
                            percent,
                            vat: None,
                            reason: Some("Discount".to_owned()),
                            reason_code: Some("95".to_owned()),
                        });
                    }
                    Price {
                        net: in_major(line.unit_price, exponent),
                        discount: None,
                        gross: None,
                        base_quantity: None,
                    }
                }
                // The net amount is shared out from the tax-inclusive sum per rate (or the
                // price is beyond what a decimal multiplies, or a credit note's amount is a
                // minor unit off quantity × price): stated as the price of the whole quantity,
                // it multiplies back exactly.
                _ => Price {
                    net: money(net),
                    discount: None,
                    gross: None,
                    base_quantity: Some(line.quantity.normalize()),
                },
            };
            let (name, description) = item_name(&line.description);
            Line {
                id: (index + 1).to_string(),
                note: None,
                quantity: line.quantity.normalize(),
                unit: line.unit.code().to_owned(),
                net_amount: money(net),
                period: line.period.map(|(start, end)| Period { start, end }),
                allowances_charges,
                price,
                vat: vat_rate(&line.rate),
                item_name: name,
                item_description: description,
            }
        })
        .collect();

    let allowances_charges = doc
        .adjustments
        .iter()
        .zip(&totals.adjustments)
        .map(|(adjustment, &amount)| AllowanceCharge {
            is_charge: adjustment.kind == AdjustmentKind::Charge,
            amount: money(amount),
            base_amount: None,
            percent: None,
            vat: Some(vat_rate(&adjustment.rate)),
            reason: Some(adjustment.reason.clone()),
            reason_code: None,
        })
        .collect();

    let vat_breakdown = totals
        .breakdown
        .iter()
        .map(|row| VatBreakdown {
            taxable: money(row.base),
            tax: money(row.tax),
            rate: VatRate {
                category: row.category.code().to_owned(),
                percent: (row.category != VatCategory::OutsideScope).then_some(row.percent),
            },
            exemption_reason: row.exemption.as_ref().map(|e| e.reason.clone()),
            exemption_code: row.exemption.as_ref().and_then(|e| e.code.clone()),
        })
        .collect();

    let seller = &doc.seller;
    let seller_name = seller
        .legal_name
        .clone()
        .or_else(|| seller.name.clone())
        .unwrap_or_else(|| seller.email.clone());
    let (seller_vat, seller_tax) = split_tax_ids(&seller.tax_ids);
    let buyer = &doc.buyer;

    let credited = credited_invoice(doc);
    let settlement = settlement(doc, routing);
    // A credit note's reason is its first note (BT-22), as its PDF states it first.
    let mut notes: Vec<String> = Vec::new();
    if let Some((_, reason)) = &credited
        && !reason.trim().is_empty()
    {
        notes.push(reason.trim().to_owned());
    }
    notes.extend(doc.notes.iter().cloned());
    model::Invoice {
        number: doc.number.clone(),
        issue_date: doc.issue_date,
        type_code: if credited.is_some() {
            TypeCode::CreditNote
        } else {
            TypeCode::Invoice
        },
        currency: doc.currency.code().to_owned(),
        tax_currency: None,
        due_date: settlement.due_date,
        buyer_reference: routing.buyer_reference.clone(),
        order_reference: None,
        notes,
        preceding: credited
            .as_ref()
            .map(|(preceding, _)| preceding.clone())
            .into_iter()
            .collect(),
        seller: Seller {
            trading_name: seller
                .name
                .clone()
                .filter(|trading| *trading != seller_name),
            name: seller_name,
            legal_registration: seller.registration.clone(),
            vat_id: seller_vat,
            tax_registration: seller_tax,
            legal_info: None,
            endpoint: routing
                .seller_endpoint
                .clone()
                .or_else(|| email(&seller.email)),
            address: seller
                .address
                .as_ref()
                .map(postal)
                .unwrap_or_else(|| PostalAddress {
                    lines: seller.address_lines.clone(),
                    ..PostalAddress::default()
                }),
            contact: Some(Contact {
                name: seller.name.clone().or_else(|| seller.legal_name.clone()),
                phone: seller.phone.clone(),
                email: Some(seller.email.clone()),
            }),
        },
        buyer: Buyer {
            name: buyer
                .legal_name
                .clone()
                .unwrap_or_else(|| buyer.name.clone()),
            trading_name: buyer
                .legal_name
                .as_ref()
                .filter(|legal| **legal != buyer.name)
                .map(|_| buyer.name.clone()),
            legal_registration: None,
            vat_id: buyer
                .tax_id
                .as_ref()
                .filter(|id| id.kind.is_vat())
                .map(|id| id.value.clone()),
            endpoint: routing
                .buyer_endpoint
                .clone()
                .or_else(|| buyer.email.as_deref().and_then(email)),
            address: buyer.address.as_ref().map(postal).unwrap_or_default(),
            contact: buyer.email.as_ref().map(|email| Contact {
                email: Some(email.clone()),
                ..Contact::default()
            }),
        },
        delivery_date: match doc.supply {
            Some(Supply::Date(date)) => Some(date),
            // A period says when; a supply on the issue date is dated by it.
            Some(Supply::Period { .. }) => None,
            None => Some(doc.issue_date),
        },
        // The product keeps no separate ship-to address: goods and services go to the
        // buyer. An intra-community supply must say where they went (BR-IC-12), so it states
        // the buyer's address; other invoices leave BG-15 out rather than repeat BG-8.
        delivery_address: totals
            .breakdown
            .iter()
            .any(|row| row.category == VatCategory::IntraCommunity)
            .then(|| doc.buyer.address.as_ref().map(postal))
            .flatten(),
        period: match doc.supply {
            Some(Supply::Period { from, to }) => Some(Period {
                start: from,
                end: to,
            }),
            _ => None,
        },
        payment: settlement.payment,
        payment_terms: settlement.terms,
        allowances_charges,
        totals: DocumentTotals {
            line_total: money(totals.line_total),
            allowance_total: (!doc.adjustments.is_empty()
                && doc
                    .adjustments
                    .iter()
                    .any(|a| a.kind == AdjustmentKind::Allowance))
            .then(|| money(totals.allowance_total)),
            charge_total: doc
                .adjustments
                .iter()
                .any(|a| a.kind == AdjustmentKind::Charge)
                .then(|| money(totals.charge_total)),
            tax_exclusive: money(totals.net_total),
            tax_total: Some(money(totals.tax_total)),
            tax_inclusive: money(totals.gross_total),
            prepaid: (doc.amount_paid > 0).then(|| money(doc.amount_paid)),
            rounding: None,
            payable: money(totals.gross_total - doc.amount_paid),
        },
        vat_breakdown,
        lines,
    }
}

/// The invoice a credit note credits (BG-3: BT-25, BT-26) and the note's reason; `None` for an
/// invoice.
fn credited_invoice(doc: &InvoiceDocument) -> Option<(PrecedingInvoice, String)> {
    match &doc.kind {
        DocumentKind::Invoice => None,
        DocumentKind::CreditNote {
            invoice_number,
            invoice_issue_date,
            reason,
        } => Some((
            PrecedingInvoice {
                number: invoice_number.clone(),
                issue_date: Some(*invoice_issue_date),
            },
            reason.clone(),
        )),
    }
}

/// `base × percent / 100` rounded half away from zero, as `compute` rounds a discount.
fn percent_of(base: i64, percent: Decimal) -> Option<i64> {
    Decimal::from(base)
        .checked_mul(percent)?
        .checked_div(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(0, MidpointAwayFromZero)
        .try_into()
        .ok()
}

/// A price in minor units (possibly fractional), in the currency's major unit.
fn in_major(minor: Decimal, exponent: u32) -> Decimal {
    let minor = minor.normalize();
    Decimal::from_i128_with_scale(minor.mantissa(), minor.scale() + exponent)
}

/// BT-153 is the item's name, one line; what the description says beyond its first line is
/// the item's description (BT-154).
fn item_name(description: &str) -> (String, Option<String>) {
    match description.split_once('\n') {
        Some((first, rest)) if !rest.trim().is_empty() => {
            (first.trim().to_owned(), Some(rest.trim().to_owned()))
        }
        _ => (description.trim().to_owned(), None),
    }
}

fn vat_rate(rate: &TaxRate) -> VatRate {
    VatRate {
        category: rate.category().code().to_owned(),
        percent: (rate.category() != VatCategory::OutsideScope).then(|| rate.percent()),
    }
}

/// The seller's VAT identifier (BT-31) and other tax registration (BT-32).
fn split_tax_ids(ids: &[TaxId]) -> (Option<String>, Option<String>) {
    let vat = ids.iter().find(|id| id.kind.is_vat());
    let other = ids.iter().find(|id| !id.kind.is_vat());
    (
        vat.map(|id| id.value.clone()),
        other.map(|id| id.value.clone()),
    )
}

fn postal(address: &Address) -> PostalAddress {
    PostalAddress {
        lines: address.lines.clone(),
        city: address.city.clone(),
        postal_code: address.postal_code.clone(),
        subdivision: address.region.clone(),
        country: address.country.code().to_owned(),
    }
}

fn email(address: &str) -> Option<Endpoint> {
    (!address.is_empty()).then(|| Endpoint {
        id: address.to_owned(),
        scheme: "EM".to_owned(),
    })
}
