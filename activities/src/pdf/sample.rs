//! A realistic document for previews and benchmarks.

use chrono::NaiveDate;

use super::{DocumentLine, InvoiceDocument};

/// Services a design studio bills for: (description, quantity, unit price in cents).
/// The lengths vary on purpose, from one-liners to descriptions that wrap.
const CATALOGUE: &[(&str, i64, i64)] = &[
    ("Brand discovery workshop (half day)", 1, 180_000),
    (
        "Logo design — three initial concepts, two rounds of revisions and final artwork in all standard formats",
        1,
        320_000,
    ),
    ("Art direction", 6, 14_500),
    (
        "Website wireframes for home, product listing, product detail, cart and checkout pages",
        5,
        42_000,
    ),
    ("UI design, desktop and mobile breakpoints", 12, 12_500),
    ("Stock photography licences", 8, 4_900),
    (
        "Illustration set: 12 spot illustrations in the new brand style, delivered as SVG and PNG",
        1,
        240_000,
    ),
    ("Copywriting for landing page", 1, 65_000),
    (
        "Packaging dieline adaptation for the 250 ml, 500 ml and 1 l bottle sizes, print-ready PDF with bleed",
        3,
        38_000,
    ),
    ("Project management", 10, 9_500),
    ("Social media templates", 15, 3_500),
    (
        "Usability test sessions with five participants, including recruitment, moderation, recordings and a written summary of findings",
        1,
        275_000,
    ),
    ("Font licence: Söhne, 5 desktop seats", 1, 56_000),
    ("Front-end implementation support", 14, 13_000),
    (
        "Print production supervision at the printer’s in Malmö",
        1,
        85_000,
    ),
];

/// A realistic document for previews and benchmarks: a design studio billing a client
/// for `items` line items (the catalogue repeats for long invoices), with a deposit
/// already paid and payment notes. USD.
pub fn sample_document(items: usize) -> InvoiceDocument {
    let items: Vec<DocumentLine> = CATALOGUE
        .iter()
        .cycle()
        .take(items)
        .map(|&(description, quantity, unit_amount)| DocumentLine {
            description: description.to_owned(),
            quantity: quantity.into(),
            unit_amount: unit_amount.into(),
            amount: quantity * unit_amount,
        })
        .collect();
    let subtotal: i64 = items.iter().map(|item| item.amount).sum();
    let total = subtotal;
    // A 25 % deposit, rounded down to whole dollars, as agencies usually ask for.
    let amount_paid = total / 4 / 100 * 100;

    InvoiceDocument {
        seller_name: Some("Northwind Design Studio".to_owned()),
        seller_email: "billing@northwind.studio".to_owned(),
        seller_address: vec![
            "220 Harbor Street, Suite 4".to_owned(),
            "Portland, OR 97209".to_owned(),
            "United States".to_owned(),
        ],
        seller_tax_id: Some("EIN 93-1234567".to_owned()),
        number: "INV-000042".to_owned(),
        mark: None,
        issue_date: date(2025, 3, 3),
        due_date: date(2025, 4, 2),
        client_name: "Acme Outdoor Supply Co.".to_owned(),
        client_email: "accounts.payable@acme-outdoor.example".to_owned(),
        currency: "USD".to_owned(),
        currency_exponent: 2,
        items,
        subtotal,
        total,
        amount_paid,
        amount_due: total - amount_paid,
        notes: Some(
            "Thank you for working with us! Payment is due within 30 days of the issue date. \
             Please transfer the amount due to the account below and quote the invoice number \
             as the payment reference.\n\n\
             Bank: First Harbor Bank · Account holder: Northwind Design Studio LLC · \
             Routing number: 021000021 · Account number: 4400 1234 5678\n\n\
             Late payments incur interest of 1.5 % per month. Questions about this invoice? \
             Write to billing@northwind.studio."
                .to_owned(),
        ),
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // The literals above are valid dates; `MIN` only keeps this function total.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Renders the samples a person looks at (plain, long, PAID, VOID, a currency without minor
/// units) into `SAMPLES_DIR`, else `.artifacts/pdf/`; `scripts/test` runs it with the unit tests.
#[cfg(test)]
mod samples {
    use super::sample_document;
    use crate::pdf::{Mark, render};
    use std::path::PathBuf;

    fn samples_dir() -> PathBuf {
        std::env::var_os("SAMPLES_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/pdf"))
            })
    }

    #[test]
    fn the_samples_render_to_valid_pdfs_of_the_expected_length() {
        let dir = samples_dir();
        std::fs::create_dir_all(&dir).expect("the samples directory");
        let samples = [
            ("invoice-3-items.pdf", 3, None, 1),
            ("invoice-60-items.pdf", 60, None, 3),
            ("invoice-paid.pdf", 12, Some(Mark::Paid), 1),
            ("invoice-void.pdf", 5, Some(Mark::Void), 1),
            ("invoice-jpy.pdf", 4, None, 1),
        ];
        for (name, items, mark, min_pages) in samples {
            let mut document = sample_document(items);
            // As the product stamps them: paid in full, or cancelled with nothing owed.
            match mark {
                Some(Mark::Paid) => document.amount_paid = document.total,
                Some(Mark::Void) => document.amount_paid = 0,
                None => {}
            }
            if mark.is_some() {
                document.amount_due = 0;
            }
            document.mark = mark;
            if name == "invoice-jpy.pdf" {
                // Amounts print as whole yen.
                document.currency = "JPY".to_owned();
                document.currency_exponent = 0;
            }
            let bytes = render(&document).expect("a sample renders");
            let pages = lopdf::Document::load_mem(&bytes)
                .expect("a sample parses as a PDF")
                .get_pages()
                .len();
            assert!(
                pages >= min_pages,
                "{name}: {pages} page(s), expected at least {min_pages}"
            );
            std::fs::write(dir.join(name), bytes).expect("writing a sample");
        }
    }
}
