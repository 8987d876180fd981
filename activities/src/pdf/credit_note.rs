//! A credit note as a document: the invoice it credits, read through the note's figures (the
//! domain's `credit`), so that its PDF and its e-invoice come from one [`InvoiceDocument`]
//! exactly as an invoice's do. The note is addressed as the invoice was (the same seller and
//! buyer as sent, language, currency, tax and price basis): a sent document is immutable, and
//! its correction restates what it corrects.

use chrono::NaiveDate;
use invoicing_workflows::domain::{
    AdjustmentKind, Discount, PriceBasis, TaxRate, Totals, Unit, VatCategory,
    credit::{CreditNote, CreditNoteAdjustment, CreditNoteLine, CreditSource},
};
use rust_decimal::{Decimal, RoundingStrategy::MidpointAwayFromZero};

use super::{DocumentAdjustment, DocumentKind, DocumentLine, InvoiceDocument, Supply};
use crate::locale::Locale;

/// The credit note `number`, issued on `issue_date` for `reason`, that takes `note` back from
/// `invoice` (the invoice's document as sent).
///
/// Each credited line of the invoice keeps its description, unit, unit price, rate and period
/// at the credited quantity; an amount credited of a category is a line of its own, named in
/// the document's language ("Credit, VAT 19 %"). The amounts are the note's, never recomputed:
/// they are differences of the invoice's own arithmetic and may differ from quantity × price by
/// a minor unit. The note asks for no payment (nothing paid, its gross total due to the buyer,
/// no due date or terms) and carries no PAID / VOID stamp.
pub fn credit_note_document(
    invoice: &InvoiceDocument,
    number: &str,
    issue_date: NaiveDate,
    reason: &str,
    note: &CreditNote,
) -> InvoiceDocument {
    let locale = Locale::of(invoice.language);
    let lines = note
        .lines
        .iter()
        .map(|line| credited_line(invoice, line, locale))
        .collect();
    let adjustments = note
        .adjustments
        .iter()
        .map(|adjustment| credited_adjustment(invoice, adjustment, locale))
        .collect();
    InvoiceDocument {
        kind: DocumentKind::CreditNote {
            invoice_number: invoice.number.clone(),
            invoice_issue_date: invoice.issue_date,
            reason: reason.to_owned(),
        },
        language: invoice.language,
        tax_kind: invoice.tax_kind,
        currency: invoice.currency,
        seller: invoice.seller.clone(),
        buyer: invoice.buyer.clone(),
        number: number.to_owned(),
        mark: None,
        issue_date,
        // The note corrects the invoice's supply, which an invoice without a date of its own
        // made on its issue date; the note's own date is not a supply.
        supply: invoice.supply.or(Some(Supply::Date(invoice.issue_date))),
        due_date: issue_date,
        terms_days: None,
        price_basis: invoice.price_basis,
        lines,
        adjustments,
        totals: Totals {
            lines: note.lines.iter().map(|line| line.amount).collect(),
            adjustments: note.adjustments.iter().map(|a| a.amount).collect(),
            breakdown: note.breakdown.clone(),
            line_total: note.line_total,
            allowance_total: note.allowance_total,
            charge_total: note.charge_total,
            net_total: note.net_total,
            tax_total: note.tax_total,
            gross_total: note.gross_total,
        },
        amount_paid: 0,
        amount_due: note.gross_total,
        notes: None,
    }
}

/// The invoice's line at the credited quantity, or a line for an amount credited.
fn credited_line(invoice: &InvoiceDocument, line: &CreditNoteLine, locale: Locale) -> DocumentLine {
    let source = match line.source {
        CreditSource::Line(index) => invoice.lines.get(index),
        CreditSource::Amount => None,
    };
    // A line index the invoice does not have cannot come from the domain's `credit`; should
    // one arrive, the amount is still credited, worded as an amount of its category.
    let Some(source) = source else {
        return DocumentLine {
            description: amount_description(&line.rate, invoice, locale),
            quantity: Decimal::ONE,
            unit: Unit::LumpSum,
            unit_price: unit_price_of_amount(line.amount, &line.rate, invoice.price_basis),
            discount: None,
            rate: line.rate.clone(),
            period: None,
        };
    };
    DocumentLine {
        description: source.description.clone(),
        quantity: line.quantity,
        unit: source.unit,
        unit_price: source.unit_price,
        discount: source.discount.map(|discount| match discount {
            // The credited part counts `credited / invoiced` of an amount discount, and a
            // percentage as it is (the domain's `credit`).
            Discount::Amount(amount) => {
                Discount::Amount(share(amount, line.quantity, source.quantity))
            }
            percent @ Discount::Percent(_) => percent,
        }),
        rate: source.rate.clone(),
        period: source.period,
    }
}

/// "Credit, VAT 19 %", "Entgeltminderung, USt. 7 %", "Credit, not subject to VAT".
fn amount_description(rate: &TaxRate, invoice: &InvoiceDocument, locale: Locale) -> String {
    let category = rate.category();
    let rate_text = locale.text(
        &format!("category-{}", category.code()),
        &[("percent", locale.percent(rate.percent()).into())],
    );
    locale.text(
        "credit-amount",
        &[
            ("category", category.code().into()),
            ("kind", invoice.tax_kind.selector().into()),
            ("rate", rate_text.into()),
        ],
    )
}

/// An amount's line states its price in the invoice's basis: the net amount itself, or with
/// prices inclusive of tax the gross it stands for, taxed as the arithmetic taxes a category
/// (rounded once, half away from zero).
fn unit_price_of_amount(net: i64, rate: &TaxRate, basis: PriceBasis) -> Decimal {
    let net = Decimal::from(net);
    if basis == PriceBasis::Exclusive || rate.category() == VatCategory::OutsideScope {
        return net;
    }
    net.checked_mul(rate.percent())
        .and_then(|tax| tax.checked_div(Decimal::ONE_HUNDRED))
        .map(|tax| tax.round_dp_with_strategy(0, MidpointAwayFromZero))
        .and_then(|tax| net.checked_add(tax))
        .unwrap_or(net)
}

/// `amount × credited / invoiced`, rounded half away from zero.
fn share(amount: i64, credited: Decimal, invoiced: Decimal) -> i64 {
    if invoiced.is_zero() || credited == invoiced {
        return amount;
    }
    Decimal::from(amount)
        .checked_mul(credited)
        .and_then(|scaled| scaled.checked_div(invoiced))
        .map(|share| share.round_dp_with_strategy(0, MidpointAwayFromZero))
        .and_then(|share| i64::try_from(share).ok())
        .unwrap_or(amount)
}

/// The invoice's allowance or charge the note's comes from, under its reason; what earlier
/// notes credited is "Credited earlier".
fn credited_adjustment(
    invoice: &InvoiceDocument,
    adjustment: &CreditNoteAdjustment,
    locale: Locale,
) -> DocumentAdjustment {
    let reason = match adjustment.source {
        None => locale.t("credited-earlier"),
        Some(index) => match invoice.adjustments.get(index) {
            Some(source) if !source.reason.trim().is_empty() => source.reason.clone(),
            // EN 16931 wants a reason on every allowance and charge (BR-33, BR-38): without
            // the invoice's, the kind names it.
            _ => locale.t(match adjustment.kind {
                AdjustmentKind::Allowance => "allowance",
                AdjustmentKind::Charge => "charge",
            }),
        },
    };
    DocumentAdjustment {
        kind: adjustment.kind,
        reason,
        rate: adjustment.rate.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::sample_european_document;
    use invoicing_workflows::domain::{
        Adjustment, Language, PricedLine,
        credit::{AmountCredit, CreditScope, Creditable, Credited, LineCredit},
    };

    fn rate(percent: i64) -> TaxRate {
        TaxRate::new(VatCategory::Standard, Decimal::from(percent), None).unwrap()
    }

    /// The sample invoice (19 % and 7 %) with a loyalty allowance at 19 %, credited by `scope`.
    fn credited(scope: CreditScope) -> (InvoiceDocument, CreditNote) {
        let mut invoice = sample_european_document(7);
        let allowance = Adjustment {
            kind: AdjustmentKind::Allowance,
            amount: 10_000,
            rate: rate(19),
        };
        let priced: Vec<PricedLine> = invoice
            .lines
            .iter()
            .map(|line| PricedLine {
                quantity: line.quantity,
                unit_price: line.unit_price,
                discount: line.discount,
                rate: line.rate.clone(),
            })
            .collect();
        let adjustments = [allowance.clone()];
        invoice.totals = invoicing_workflows::domain::totals::compute(
            invoice.price_basis,
            &priced,
            &adjustments,
        )
        .unwrap();
        invoice.adjustments = vec![DocumentAdjustment {
            kind: allowance.kind,
            reason: "Treuerabatt".to_owned(),
            rate: allowance.rate,
        }];
        let note = Creditable {
            basis: invoice.price_basis,
            lines: &priced,
            adjustments: &adjustments,
            totals: &invoice.totals,
        }
        .credit(&Credited::default(), &scope)
        .unwrap();
        (invoice, note)
    }

    #[test]
    fn a_credited_line_keeps_the_invoices_wording_at_the_credited_quantity() {
        let (invoice, note) = credited(CreditScope::Lines {
            lines: vec![LineCredit {
                line: 2,
                quantity: Decimal::new(25, 1),
            }],
        });
        let doc = credit_note_document(
            &invoice,
            "GS-2025-0001",
            invoice.issue_date + chrono::Days::new(9),
            "Two and a half hours billed twice",
            &note,
        );

        assert!(doc.is_credit_note());
        assert_eq!(
            doc.kind,
            DocumentKind::CreditNote {
                invoice_number: "RE-2025-000042".to_owned(),
                invoice_issue_date: invoice.issue_date,
                reason: "Two and a half hours billed twice".to_owned(),
            }
        );
        let line = &doc.lines[0];
        assert_eq!(line.description, invoice.lines[2].description);
        assert_eq!(line.quantity, Decimal::new(25, 1));
        assert_eq!(line.unit_price, invoice.lines[2].unit_price);
        assert_eq!(line.rate, invoice.lines[2].rate);
        // 2.5 h × 145.00 at 19 %, and its share of the 100.00 allowance on the 19 % lines.
        assert_eq!(doc.totals.lines, [36_250]);
        assert_eq!(doc.adjustments[0].reason, "Treuerabatt");
        assert_eq!(doc.totals.gross_total, note.gross_total);
        assert_eq!(doc.amount_due, note.gross_total);
        assert_eq!((doc.amount_paid, doc.mark, doc.terms_days), (0, None, None));
        assert_eq!(
            (doc.seller.clone(), doc.buyer.clone(), doc.currency),
            (invoice.seller, invoice.buyer, invoice.currency)
        );
        assert_eq!(doc.supply, invoice.supply);
    }

    #[test]
    fn an_amount_credited_is_a_line_named_in_the_documents_language() {
        let scope = CreditScope::Amounts {
            amounts: vec![AmountCredit {
                rate: rate(7),
                amount: 5_000,
            }],
        };
        let (invoice, note) = credited(scope.clone());
        let german = credit_note_document(&invoice, "GS-1", invoice.issue_date, "Kulanz", &note);
        assert_eq!(
            german.lines[0].description,
            "Entgeltminderung, USt. 7\u{a0}%"
        );
        assert_eq!(german.lines[0].unit, Unit::LumpSum);
        assert_eq!(german.lines[0].unit_price, Decimal::from(5_000));
        assert_eq!(german.totals.lines, [5_000]);

        let (mut invoice, note) = credited(scope);
        invoice.language = Language::En;
        let english = credit_note_document(&invoice, "CN-1", invoice.issue_date, "Goodwill", &note);
        assert_eq!(english.lines[0].description, "Credit, VAT 7%");
    }

    #[test]
    fn crediting_the_rest_names_what_earlier_notes_credited() {
        let (invoice, _) = credited(CreditScope::Remaining);
        let earlier = CreditNoteAdjustment {
            source: None,
            kind: AdjustmentKind::Allowance,
            rate: rate(7),
            amount: 5_000,
        };
        let adjustment = credited_adjustment(&invoice, &earlier, Locale::of(Language::De));
        assert_eq!(adjustment.reason, "Bereits früher korrigiert");
        assert_eq!(adjustment.kind, AdjustmentKind::Allowance);
    }

    #[test]
    fn an_amount_in_an_inclusive_invoice_is_priced_with_its_tax() {
        assert_eq!(
            unit_price_of_amount(10_000, &rate(19), PriceBasis::Inclusive),
            Decimal::from(11_900)
        );
        assert_eq!(
            unit_price_of_amount(10_000, &rate(19), PriceBasis::Exclusive),
            Decimal::from(10_000)
        );
        assert_eq!(share(1_000, Decimal::ONE, Decimal::from(3)), 333);
        assert_eq!(share(1_000, Decimal::from(3), Decimal::from(3)), 1_000);
    }
}
