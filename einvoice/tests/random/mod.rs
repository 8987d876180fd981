//! Seeded random invoices that must be valid in every format, built with the golden corpus's
//! builders (`invoicing_einvoice::samples::build`), whose `finish` does the arithmetic: 1 to
//! 40 lines, quantities and prices with up to four decimals, mixes of VAT categories and
//! rates, line and document allowances and charges, gross prices, prices that include VAT,
//! six currencies with and without a VAT accounting currency, Unicode texts, periods, the
//! payment means the product offers, credit notes, prepaid and rounding amounts.
//!
//! Validity is the generator's business: it only combines what EN 16931, XRechnung and
//! Peppol allow together (each choice below says which rule it respects). A generated
//! invoice the referee refuses is a bug here, in the builders or in the writers; one our
//! rules refuse and the referee does not is a bug in the rules. `breakage` then breaks valid
//! invoices on purpose.

pub mod breakage;
mod parties;
mod texts;

use chrono::{Days, NaiveDate};
use invoicing_einvoice::{
    Invoice,
    model::{AllowanceCharge, Line, Period, PrecedingInvoice, TypeCode, VatRate},
    samples::{
        build::{
            With, allowance, base, charge, date, line, minor_unit_places, on, percent, s, untaxed,
        },
        presets::belgian_seller,
    },
};
use rand::{Rng, seq::SliceRandom};
use rust_decimal::{Decimal, RoundingStrategy};

/// What a broken variant needs of the valid invoice it starts from.
#[derive(Clone, Copy, Debug, Default)]
pub struct Needs {
    /// VAT categories the invoice must use (`S`, `E`, `AE`, `K`, `O` …). `O` with others is
    /// not valid (BR-O-11 … 14); a breakage asks for it to get exactly that.
    pub categories: &'static [&'static str],
}

/// A generated invoice and what was varied in it (for the test's summary).
pub struct Generated {
    pub invoice: Invoice,
    pub features: Vec<String>,
}

const STANDARD_RATES: [&str; 5] = ["19", "7", "20", "21", "5.5"];
const UNTAXED: [&str; 5] = ["Z", "E", "AE", "K", "G"];
/// EUR half the time; the others share the rest.
const CURRENCIES: [&str; 10] = [
    "EUR", "EUR", "EUR", "EUR", "EUR", "USD", "GBP", "JPY", "CHF", "SEK",
];
const UNITS: [&str; 12] = [
    "C62", "HUR", "DAY", "KGM", "MTR", "LTR", "MON", "H87", "KWH", "SET", "MTK", "XPP",
];
/// UNTDID 5189 allowance reasons and 7161 charge reasons (BR-CL-19, BR-CL-20).
const ALLOWANCE_REASONS: [(&str, &str); 6] = [
    ("95", "Discount"),
    ("100", "Special rebate"),
    ("102", "Fixed long term"),
    ("41", "Bonus for works ahead of schedule"),
    ("64", "Special agreement"),
    ("66", "Sales discount"),
];
const CHARGE_REASONS: [(&str, &str); 6] = [
    ("FC", "Freight service"),
    ("ABL", "Additional packaging"),
    ("SAA", "Shipping and handling"),
    ("ABK", "Miscellaneous"),
    ("AAA", "Telecommunication"),
    ("ADR", "Other services"),
];
/// A decimal of up to `places` decimals (at least one unit of the last place) up to `max`.
fn amount(rng: &mut impl Rng, max: i64, places: u32) -> Decimal {
    let scale = 10i64.pow(places);
    Decimal::new(rng.gen_range(1..=max * scale), places)
}

/// A quantity or price: none to four decimals, or none when `whole`.
fn up_to_four_places(rng: &mut impl Rng, max: i64, whole: bool) -> Decimal {
    let places = if whole { 0 } else { rng.gen_range(0..=4) };
    amount(rng, max, places)
}

/// Toward zero at `places`: a fixed allowance never exceeds the share it was drawn from.
fn floor(value: Decimal, places: u32) -> Decimal {
    let mut value = value.round_dp_with_strategy(places, RoundingStrategy::ToZero);
    value.rescale(places);
    value
}

/// A valid invoice numbered `number`, using `needs.categories`.
pub fn invoice(rng: &mut impl Rng, number: &str, needs: Needs) -> Generated {
    let mut features = Vec::new();
    let currency = *CURRENCIES.choose(rng).expect("currencies");
    let places = minor_unit_places(currency);
    // In a currency without decimals (JPY) a rounded amount can be 0.5 off its exact value,
    // past the 0.02 Peppol allows a line net amount (R120) or a percentage allowance (R040):
    // such invoices use whole quantities and prices and fixed allowances only.
    let whole = places == 0;
    features.push(format!("currency {currency}"));
    let rates = rates(rng, needs);
    for rate in &rates {
        let percent = rate.percent.filter(|_| rate.category == "S");
        let percent = percent.map(|p| format!(" {p} %")).unwrap_or_default();
        features.push(format!("category {}{percent}", rate.category));
    }
    let inclusive = rng.gen_bool(0.1);
    let period = rng.gen_bool(0.3).then(|| random_period(rng));

    // Enough lines for every rate: a breakage that needs a category needs it used.
    let count = rng.gen_range(1..=40).max(rates.len());
    features.push(format!("lines up to {}", count.div_ceil(10) * 10));
    let mut estimates: Vec<(VatRate, Decimal)> = Vec::new();
    let lines: Vec<Line> = (0..count)
        .map(|i| {
            // Every rate on some line first, then at random.
            let vat = rates
                .get(i)
                .unwrap_or_else(|| rates.choose(rng).expect("rates"))
                .clone();
            let (line, estimate) = random_line(rng, vat, whole, inclusive, period.as_ref());
            estimates.push((line.vat.clone(), estimate));
            line
        })
        .collect();
    let line_features = [
        (
            "line allowance or charge",
            lines.iter().any(|l| !l.allowances_charges.is_empty()),
        ),
        ("gross price", lines.iter().any(|l| l.price.gross.is_some())),
        (
            "base quantity",
            lines.iter().any(|l| l.price.base_quantity.is_some()),
        ),
        ("line period", lines.iter().any(|l| l.period.is_some())),
    ];
    for (feature, present) in line_features {
        if present {
            features.push(feature.to_owned());
        }
    }

    let belgian = rng.gen_bool(0.25);
    let mut sample = if belgian {
        features.push("Belgian seller".to_owned());
        belgian_seller(number)
    } else {
        base(number)
    };
    sample = sample.lines(lines).with(|invoice| {
        invoice.currency = currency.to_owned();
        invoice.period = period;
        parties::parties(rng, invoice, &rates, &mut features);
        // BR-IC-11 wants a delivery date or an invoicing period under `K`.
        let intra_community = rates.iter().any(|rate| rate.category == "K");
        if period.is_some() && rng.gen_bool(0.5) || !intra_community && rng.gen_bool(0.1) {
            invoice.delivery_date = None;
        }
        invoice.payment = Some(parties::payment(rng, number, &mut features));
        if rng.gen_bool(0.3) {
            invoice.payment_terms = None;
        }
        if rng.gen_bool(0.15) {
            features.push("credit note".to_owned());
            invoice.type_code = TypeCode::CreditNote;
            invoice.preceding.push(PrecedingInvoice {
                number: format!("{number}-ORIG"),
                issue_date: rng.gen_bool(0.5).then(|| date("2026-01-15")),
            });
        }
        invoice.notes = (0..rng.gen_range(0..=3))
            .map(|_| texts::paragraph(rng))
            .collect();
        if rng.gen_bool(0.3) {
            invoice.order_reference = Some(format!("PO-{}", rng.gen_range(1000..99999)));
        }
        document_allowances_charges(rng, invoice, &estimates, whole, &mut features);
        let total: Decimal = estimates.iter().map(|(_, amount)| *amount).sum();
        // Less than the total after any allowance (line ones take at most 30 %, document
        // ones 10 % of a category), so the amount due stays positive.
        if rng.gen_bool(0.1) {
            features.push("prepaid".to_owned());
            let prepaid = floor(total * Decimal::new(3, 1), places);
            invoice.totals.prepaid = Some(prepaid);
        }
    });
    if inclusive {
        features.push("prices include VAT".to_owned());
        sample = sample.prices_include_vat();
    }
    if rng.gen_bool(0.25) {
        // Mostly a foreign currency invoice with VAT in euro, as a German seller accounts it.
        let code = match currency {
            "EUR" => *["SEK", "GBP", "CHF", "USD", "JPY"]
                .choose(rng)
                .expect("currencies"),
            _ if rng.gen_bool(0.8) => "EUR",
            _ => *["SEK", "GBP", "CHF", "USD", "JPY"]
                .iter()
                .filter(|&&code| code != currency)
                .collect::<Vec<_>>()
                .choose(rng)
                .expect("another currency"),
        };
        features.push(format!("VAT in {code}"));
        sample = sample.vat_in(code, &amount(rng, 3, 4).to_string());
    }
    if rng.gen_bool(0.1) {
        features.push("rounding".to_owned());
        sample = sample.round_payable_to(if whole { "10" } else { "0.05" });
    }
    features.sort_unstable();
    features.dedup();
    Generated {
        invoice: sample.finish(),
        features,
    }
}

/// The VAT rates an invoice uses: `O` alone (BR-O-11 … 14: nothing else beside it), or one to
/// four of `S` at its rates, `Z`, `E`, `AE`, `K`, `G`; first those `needs` names.
fn rates(rng: &mut impl Rng, needs: Needs) -> Vec<VatRate> {
    let standard = |rng: &mut _| s(STANDARD_RATES.choose(rng).expect("rates"));
    let mut rates: Vec<VatRate> = (needs.categories.iter())
        .map(|&category| match category {
            "S" => standard(rng),
            other => untaxed(other),
        })
        .collect();
    if needs.categories.contains(&"O") {
        return rates;
    }
    if rates.is_empty() && rng.gen_bool(0.08) {
        return vec![untaxed("O")];
    }
    let extra = rng.gen_range(usize::from(rates.is_empty())..=3);
    for _ in 0..extra {
        let rate = if rng.gen_bool(0.6) {
            standard(rng)
        } else {
            untaxed(UNTAXED.choose(rng).expect("categories"))
        };
        if !rates.contains(&rate) {
            rates.push(rate);
        }
    }
    rates
}

/// A line and an estimate of its net amount (before `finish` rounds it and, for prices
/// that include VAT, takes the VAT out), from which allowances and prepaid amounts are
/// drawn small enough to keep every amount positive.
fn random_line(
    rng: &mut impl Rng,
    vat: VatRate,
    whole: bool,
    inclusive: bool,
    invoice_period: Option<&Period>,
) -> (Line, Decimal) {
    // At most 400: prices that include VAT become net prices to four places, and 400 × 0.00005
    // keeps the line within the 0.02 of PEPPOL-EN16931-R120.
    let quantity = up_to_four_places(rng, 400, whole);
    let price = if rng.gen_bool(0.02) {
        Decimal::ZERO
    } else {
        up_to_four_places(rng, if whole { 50_000 } else { 2_000 }, whole)
    };
    let unit = UNITS.choose(rng).expect("units");
    let name = texts::text(rng);
    let mut line = line(&name, &quantity.to_string(), unit, &price.to_string(), vat);
    if !whole && rng.gen_bool(0.15) {
        line.price.base_quantity = Some(Decimal::from(*[10, 12, 100].choose(rng).expect("bases")));
    }
    let per = line.price.base_quantity.unwrap_or(Decimal::ONE);
    let estimate = quantity * price / per;
    if !inclusive && rng.gen_bool(0.15) {
        // PEPPOL-EN16931-R046: the net price is the gross price less the discount.
        let discount = up_to_four_places(rng, 100, whole);
        line.price.gross = Some(price + discount);
        line.price.discount = Some(discount);
    }
    if !inclusive && rng.gen_bool(0.2) {
        for _ in 0..rng.gen_range(1..=2) {
            let is_charge = rng.gen_bool(0.4);
            let share = estimate * Decimal::new(15, 2);
            let item = if !whole && rng.gen_bool(0.5) {
                Some(percent(
                    reason(rng, is_charge),
                    &rng.gen_range(1..=15).to_string(),
                ))
            } else {
                let fixed = floor(share, if whole { 0 } else { 2 });
                (fixed > Decimal::ZERO)
                    .then(|| reason(rng, is_charge).with(|item| item.amount = fixed))
            };
            line.allowances_charges.extend(item);
        }
    }
    if rng.gen_bool(0.15) {
        // PEPPOL-EN16931-R110/R111: within the invoicing period, if there is one.
        line.period = Some(match invoice_period {
            Some(outer) => within(rng, outer),
            None => random_period(rng),
        });
    }
    if rng.gen_bool(0.15) {
        line.note = Some(texts::text(rng));
    }
    if rng.gen_bool(0.3) {
        line.item_description = Some(texts::paragraph(rng));
    }
    (line, estimate)
}

/// An allowance or charge with a reason code, a reason text, or both (BR-42/44 want one).
fn reason(rng: &mut impl Rng, is_charge: bool) -> AllowanceCharge {
    let (code, text) = if is_charge {
        *CHARGE_REASONS.choose(rng).expect("reasons")
    } else {
        *ALLOWANCE_REASONS.choose(rng).expect("reasons")
    };
    let item = if is_charge {
        charge("0", text, code)
    } else {
        allowance("0", text, code)
    };
    item.with(|item| match rng.gen_range(0..6) {
        0 => item.reason = None,
        1 => item.reason_code = None,
        _ => {}
    })
}

/// Document level allowances and charges on rates the lines use, each at most 10 % of its
/// category's lines.
fn document_allowances_charges(
    rng: &mut impl Rng,
    invoice: &mut Invoice,
    estimates: &[(VatRate, Decimal)],
    whole: bool,
    features: &mut Vec<String>,
) {
    if !rng.gen_bool(0.3) {
        return;
    }
    features.push("document allowance or charge".to_owned());
    for _ in 0..rng.gen_range(1..=3) {
        let (vat, _) = estimates.choose(rng).expect("lines");
        let category: Decimal = estimates
            .iter()
            .filter(|(rate, _)| rate == vat)
            .map(|(_, amount)| *amount)
            .sum();
        let is_charge = rng.gen_bool(0.4);
        let item = if !whole && rng.gen_bool(0.5) {
            let rate = Decimal::new(rng.gen_range(5..=100), 1);
            percent(reason(rng, is_charge), &rate.to_string())
        } else {
            // Half the 10 %: prices that include VAT shrink to their net.
            let fixed = floor(category * Decimal::new(5, 2), if whole { 0 } else { 2 });
            if fixed <= Decimal::ZERO {
                continue;
            }
            reason(rng, is_charge).with(|item| item.amount = fixed)
        };
        invoice.allowances_charges.push(on(item, vat.clone()));
    }
}

fn random_period(rng: &mut impl Rng) -> Period {
    let start = date("2025-10-01") + Days::new(rng.gen_range(0..150));
    Period {
        start,
        end: start + Days::new(rng.gen_range(0..60)),
    }
}

fn within(rng: &mut impl Rng, outer: &Period) -> Period {
    let days = |from: NaiveDate, to: NaiveDate| (to - from).num_days().max(0) as u64;
    let start = outer.start + Days::new(rng.gen_range(0..=days(outer.start, outer.end)));
    let end = start + Days::new(rng.gen_range(0..=days(start, outer.end)));
    Period { start, end }
}
