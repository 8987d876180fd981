//! Valid invoices broken on purpose, the way real mistakes break them: a customer's VAT id
//! missing under reverse charge, a wrong exemption reason, a stored amount tampered with so it
//! no longer adds up, a German public buyer without its Leitweg-ID, and more. Each kind says
//! what valid invoice it starts from and in which formats the official rules refuse it; the
//! test then asks our gate and the referee for the same rule ids.

use super::Needs;
use chrono::Days;
use invoicing_einvoice::{
    Format, Invoice,
    model::{Endpoint, Period, TaxCurrency, VatBreakdown},
    samples::build::minor_unit_places,
};
use rand::{
    Rng,
    seq::{IteratorRandom, SliceRandom},
};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    ReverseChargeWithoutBuyerVatId,
    WrongExemptionReason,
    TamperedTotals,
    MissingLeitwegId,
    SellerWithoutVatId,
    IntraCommunityWithoutDeliveryCountry,
    UnknownCurrency,
    NotSubjectWithOthers,
    CodeNotInList,
    PeriodsOutOfOrder,
}

pub const KINDS: [Kind; 10] = [
    Kind::ReverseChargeWithoutBuyerVatId,
    Kind::WrongExemptionReason,
    Kind::TamperedTotals,
    Kind::MissingLeitwegId,
    Kind::SellerWithoutVatId,
    Kind::IntraCommunityWithoutDeliveryCountry,
    Kind::UnknownCurrency,
    Kind::NotSubjectWithOthers,
    Kind::CodeNotInList,
    Kind::PeriodsOutOfOrder,
];

const ALL: &[Format] = &[
    Format::FacturX,
    Format::XrechnungCii,
    Format::XrechnungUbl,
    Format::PeppolUbl,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::ReverseChargeWithoutBuyerVatId => "reverse charge without buyer VAT id",
            Kind::WrongExemptionReason => "wrong or missing exemption reason",
            Kind::TamperedTotals => "tampered stored amount",
            Kind::MissingLeitwegId => "XRechnung without Leitweg-ID",
            Kind::SellerWithoutVatId => "taxed without seller VAT id",
            Kind::IntraCommunityWithoutDeliveryCountry => {
                "intra-community without deliver-to country"
            }
            Kind::UnknownCurrency => "currency not in ISO 4217",
            Kind::NotSubjectWithOthers => "not subject to VAT beside other categories",
            Kind::CodeNotInList => "code not in its list",
            Kind::PeriodsOutOfOrder => "period out of order",
        }
    }

    /// The valid invoice it starts from.
    pub fn needs(self) -> Needs {
        let categories: &'static [&'static str] = match self {
            Kind::ReverseChargeWithoutBuyerVatId => &["AE"],
            Kind::WrongExemptionReason => &["E"],
            Kind::SellerWithoutVatId => &["S"],
            Kind::IntraCommunityWithoutDeliveryCountry => &["K"],
            Kind::NotSubjectWithOthers => &["O", "S"],
            _ => &[],
        };
        Needs { categories }
    }

    /// The formats whose rules refuse it: the Leitweg-ID is XRechnung's demand (BR-DE-15).
    pub fn formats(self) -> &'static [Format] {
        match self {
            Kind::MissingLeitwegId => &[Format::XrechnungCii, Format::XrechnungUbl],
            _ => ALL,
        }
    }

    /// Breaks `invoice` for `format`; says how.
    pub fn apply(self, rng: &mut impl Rng, invoice: &mut Invoice, format: Format) -> &'static str {
        match self {
            Kind::ReverseChargeWithoutBuyerVatId => {
                // BR-AE-02 accepts the buyer's legal registration instead.
                invoice.buyer.vat_id = None;
                invoice.buyer.legal_registration = None;
                "buyer VAT id and registration removed"
            }
            Kind::WrongExemptionReason => exemption(rng, invoice, format),
            Kind::TamperedTotals => tamper(rng, invoice, format),
            Kind::MissingLeitwegId => {
                invoice.buyer_reference = None;
                "buyer reference removed"
            }
            Kind::SellerWithoutVatId => {
                invoice.seller.vat_id = None;
                invoice.seller.tax_registration = None;
                if rng.gen_bool(0.3) {
                    // BR-CO-26: then nothing identifies the seller.
                    invoice.seller.legal_registration = None;
                    "VAT id, tax number and registration removed"
                } else {
                    "VAT id and tax number removed"
                }
            }
            Kind::IntraCommunityWithoutDeliveryCountry => {
                if rng.gen_bool(0.5) {
                    invoice.delivery_address = None;
                    "no deliver-to address"
                } else {
                    let address = invoice.delivery_address.as_mut().expect("K has one");
                    address.country = String::new();
                    "deliver-to address without country"
                }
            }
            Kind::UnknownCurrency => {
                let code = *["DEM", "EUX", "XYZ", "RMB"].choose(rng).expect("codes");
                if rng.gen_bool(0.3) {
                    // BT-6: the tax total in it is BT-111, present with it (BR-53).
                    let tax_total = invoice.totals.tax_total.unwrap_or_default();
                    invoice.tax_currency = Some(TaxCurrency {
                        code: code.to_owned(),
                        tax_total,
                    });
                    "VAT accounting currency"
                } else {
                    invoice.currency = code.to_owned();
                    "invoice currency"
                }
            }
            Kind::NotSubjectWithOthers => {
                if rng.gen_bool(0.5) {
                    invoice.seller.vat_id = Some("DE123456789".to_owned());
                    "standard rated lines and the seller's VAT id"
                } else {
                    "standard rated lines"
                }
            }
            Kind::CodeNotInList => code_not_in_list(rng, invoice),
            Kind::PeriodsOutOfOrder => periods(rng, invoice, format),
        }
    }
}

/// BR-*-10: untaxed categories state why, taxed ones must not; BR-CL-22: the code is a VATEX
/// code; Peppol's P0104 … P0111: the code is the category's own.
fn exemption(rng: &mut impl Rng, invoice: &mut Invoice, format: Format) -> &'static str {
    let rows = |taxed: bool| -> Vec<usize> {
        (invoice.vat_breakdown.iter().enumerate())
            .filter(|(_, row)| ["S", "Z"].contains(&row.rate.category.as_str()) == taxed)
            .map(|(i, _)| i)
            .collect()
    };
    let (untaxed, taxed) = (rows(false), rows(true));
    let mut variants = vec!["missing", "unknown code"];
    if !taxed.is_empty() {
        variants.push("on a taxed category");
    }
    if format == Format::PeppolUbl {
        variants.push("another category's code");
    }
    let variant = *variants.choose(rng).expect("variants");
    let pick = |rng: &mut _, rows: &[usize]| *rows.choose(rng).expect("a row");
    let row: &mut VatBreakdown = match variant {
        "on a taxed category" => &mut invoice.vat_breakdown[pick(rng, &taxed)],
        _ => &mut invoice.vat_breakdown[pick(rng, &untaxed)],
    };
    match variant {
        "missing" => {
            row.exemption_reason = None;
            row.exemption_code = None;
            "reason and code removed"
        }
        "unknown code" => {
            row.exemption_code = Some("VATEX-EU-999".to_owned());
            "unknown VATEX code"
        }
        "on a taxed category" => {
            row.exemption_reason = Some("Exempt from VAT".to_owned());
            if rng.gen_bool(0.5) {
                row.exemption_code = Some("VATEX-EU-132-1C".to_owned());
            }
            "reason on a taxed category"
        }
        _ => {
            let code = match row.rate.category.as_str() {
                "G" => "VATEX-EU-IC",
                "K" => "VATEX-EU-AE",
                _ => "VATEX-EU-G",
            };
            row.exemption_code = Some(code.to_owned());
            "another category's VATEX code"
        }
    }
}

/// One stored amount changed by some cents (some yen) and nothing recomputed, as a row edited
/// behind the product's back would read.
fn tamper(rng: &mut impl Rng, invoice: &mut Invoice, format: Format) -> &'static str {
    let places = minor_unit_places(&invoice.currency);
    let sign = if rng.gen_bool(0.5) { 1 } else { -1 };
    let cents = Decimal::new(sign * rng.gen_range(1..=99), places);
    let variants = [
        "line total",
        "VAT total",
        "total without VAT",
        "total with VAT",
        "amount due",
        "breakdown base",
        "breakdown tax",
        "line net amount",
    ];
    let variant = *variants.choose(rng).expect("variants");
    let totals = &mut invoice.totals;
    match variant {
        "line total" => totals.line_total += cents,
        "VAT total" => *totals.tax_total.get_or_insert_default() += cents,
        "total without VAT" => totals.tax_exclusive += cents,
        "total with VAT" => totals.tax_inclusive += cents,
        "amount due" => totals.payable += cents,
        "breakdown base" => {
            let row = invoice.vat_breakdown.choose_mut(rng).expect("a breakdown");
            // Where the rules allow one unit of the currency between the base and the sum of
            // its lines (BR-S-08 in UBL; rules 08 of Z, E, AE, K, G in CII), the tampering
            // must exceed it to be wrong at all.
            let category = row.rate.category.as_str();
            let tolerant = match format.syntax() {
                invoicing_einvoice::Syntax::Ubl => category == "S",
                invoicing_einvoice::Syntax::Cii => !["S", "O"].contains(&category),
            };
            row.taxable += cents;
            if tolerant {
                row.taxable += Decimal::from(sign * rng.gen_range(1..=3));
            }
        }
        "breakdown tax" => {
            let row = invoice.vat_breakdown.choose_mut(rng).expect("a breakdown");
            row.tax += cents;
        }
        _ => {
            let line = invoice.lines.choose_mut(rng).expect("a line");
            line.net_amount += cents;
        }
    }
    variant
}

/// Codes from outside their lists, as a hand-typed master record has them: units (BR-CL-23),
/// countries (BR-CL-14), electronic address schemes (BR-CL-25), allowance and charge
/// reasons (BR-CL-19, BR-CL-20).
fn code_not_in_list(rng: &mut impl Rng, invoice: &mut Invoice) -> &'static str {
    let has_reason = invoice
        .lines
        .iter()
        .flat_map(|line| &line.allowances_charges)
        .chain(&invoice.allowances_charges)
        .any(|item| item.reason_code.is_some());
    let mut variants = vec!["unit", "country", "address scheme"];
    if has_reason {
        variants.push("reason code");
    }
    match *variants.choose(rng).expect("variants") {
        "unit" => {
            let line = invoice.lines.choose_mut(rng).expect("a line");
            line.unit = (*["PCS", "BOX", "KG"].choose(rng).expect("units")).to_owned();
            "unit of measure"
        }
        "country" => {
            // The United Kingdom is GB in ISO 3166-1.
            invoice.buyer.address.country = "UK".to_owned();
            "buyer country"
        }
        "address scheme" => {
            let id = invoice.buyer.endpoint.as_ref().map(|e| e.id.clone());
            invoice.buyer.endpoint = Some(Endpoint {
                id: id.unwrap_or_else(|| "5901234123457".to_owned()),
                scheme: "GLN".to_owned(),
            });
            "electronic address scheme"
        }
        _ => {
            let items = (invoice.lines.iter_mut())
                .flat_map(|line| &mut line.allowances_charges)
                .chain(&mut invoice.allowances_charges)
                .filter(|item| item.reason_code.is_some());
            let item = items.choose(rng).expect("an allowance or charge");
            item.reason_code = Some(if item.is_charge { "XX" } else { "999" }.to_owned());
            "allowance or charge reason code"
        }
    }
}

/// BR-29, BR-30: a period ends on or after its start; PEPPOL-EN16931-R110/R111 (which
/// XRechnung merges): a line's period lies within the invoice's.
fn periods(rng: &mut impl Rng, invoice: &mut Invoice, format: Format) -> &'static str {
    let start = invoicing_einvoice::samples::build::date("2026-02-01");
    let reversed = Period {
        start,
        end: start - Days::new(rng.gen_range(1..=30)),
    };
    let mut variants = vec!["invoice", "line"];
    if format != Format::FacturX {
        variants.push("outside");
    }
    match *variants.choose(rng).expect("variants") {
        "invoice" => {
            invoice.period = Some(reversed);
            "invoicing period ends before it starts"
        }
        "line" => {
            let line = invoice.lines.choose_mut(rng).expect("a line");
            line.period = Some(reversed);
            "line period ends before it starts"
        }
        _ => {
            let outer = *invoice.period.get_or_insert(Period {
                start,
                end: start + Days::new(27),
            });
            let line = invoice.lines.choose_mut(rng).expect("a line");
            line.period = Some(Period {
                start: outer.start - Days::new(3),
                end: outer.end,
            });
            "line period outside the invoicing period"
        }
    }
}
