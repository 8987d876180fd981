//! A customer's statement of account as a PDF, in the customer's language: the seller's header
//! as on invoices (logo, the seller's details, the customer), the period and the statement's
//! date, then per currency the balance at the start of the period, one row per movement (date,
//! what it was, the document's number, debit or credit, the balance after it), the period's
//! totals, what credit notes took off in it, the closing balance and the customer's credit
//! balance. Long statements run over as many pages as they need, the
//! table's header repeated on each; every page carries the seller's footer.
//!
//! What a movement was is data, not code: its kind's name (`payment`, `write_off`) is printed
//! as the language's message `statement-kind-{kind}`, and its amount's sign says debit
//! (raises what the customer owes) or credit (lowers it). A new kind of movement (credit notes)
//! needs its label in the Fluent files, nothing here.

mod ledger;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use invoicing_workflows::domain::{Currency, Language};

use super::flow::{self, Flow, SECTION_GAP};
use super::header::{self, Parties};
use super::text;
use super::theme::Styles;
use super::{Blank, DocumentBuyer, DocumentSeller, RenderError};
use crate::locale::Locale;

/// Everything printed on a statement. Amounts are integer minor units of their currency.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementDocument {
    /// Every text and format on the document: the customer's language.
    pub language: Language,
    pub seller: DocumentSeller,
    /// The customer as it is now.
    pub customer: DocumentBuyer,
    /// The first and last day of the period, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the statement was made.
    pub date: NaiveDate,
    /// Every currency the customer owed anything in at the start, or that moved in the period.
    pub currencies: Vec<StatementCurrency>,
}

/// The statement in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementCurrency {
    pub currency: Currency,
    /// Owed at the start of the period.
    pub opening: i64,
    pub lines: Vec<StatementLine>,
    /// Owed at the end of the period: `opening` plus every line.
    pub closing: i64,
    /// The credit notes' gross totals in the period (positive; their lines are among `lines`):
    /// printed below the totals when there are any.
    pub credited: i64,
    /// The customer's credit balance at the end of the period (credit notes' excess kept for
    /// them), already counted in `closing`: printed below it when there is one.
    pub credit_balance: i64,
}

/// One movement of the balance.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementLine {
    pub date: NaiveDate,
    /// What moved the balance, by name (`invoice`, `payment`, `write_off`): printed as the
    /// message `statement-kind-{kind}`.
    pub kind: String,
    /// The number of the document: the credit note's, else the invoice's.
    pub number: Option<String>,
    /// Positive raises what the customer owes (a debit), negative lowers it (a credit).
    pub amount: i64,
    /// What the customer owed after it.
    pub balance: i64,
}

/// Renders `doc` as a complete PDF file.
pub fn render(doc: &StatementDocument) -> Result<Vec<u8>, RenderError> {
    let locale = Locale::of(doc.language);
    let title = format!(
        "{} {}",
        locale.t("statement-title"),
        locale.period(doc.from, doc.to)
    );
    let pdf = Blank::new(&title, doc.seller.logo.as_ref())?;
    let styles = Styles::new(pdf.regular, pdf.bold);
    let mut flow = Flow::new(pdf.fonts.clone());
    let period = locale.period(doc.from, doc.to);

    let top = header::draw_logo(&mut flow, pdf.logo.as_ref());
    let facts = vec![
        (locale.t("statement-date"), locale.date(doc.date)),
        (locale.t("statement-period"), period.clone()),
    ];
    let facts = header::draw_facts(&mut flow, facts, &styles);
    let title_bottom = header::draw_title(
        &mut flow,
        &locale.t("statement-title"),
        &period,
        &styles,
        top,
        facts.left,
    );
    let parties = Parties {
        seller: &doc.seller,
        buyer: &doc.customer,
        buyer_caption: locale.t("statement-customer-caption"),
    };
    flow.y = parties.draw(&mut flow, title_bottom.max(facts.bottom), locale, &styles)
        + header::GAP_AFTER;

    if doc.currencies.is_empty() {
        let empty = locale.text(
            "statement-empty",
            &[
                ("from", locale.date(doc.from).into()),
                ("to", locale.date(doc.to).into()),
            ],
        );
        flow::draw_paragraphs(&mut flow, None, &empty, &styles);
    } else {
        let ledger = ledger::Ledger::new(doc, locale, &styles);
        for (index, currency) in doc.currencies.iter().enumerate() {
            let gap = if index == 0 { 0.0 } else { SECTION_GAP };
            ledger.draw(&mut flow, doc, currency, gap);
        }
    }
    flow::draw_paragraphs(&mut flow, None, &locale.t("statement-note"), &styles);
    if doc.currencies.iter().any(|c| c.credit_balance != 0) {
        let note = locale.t("statement-credit-balance-note");
        flow::draw_paragraphs(&mut flow, None, &note, &styles);
    }

    let reference = locale.text("statement-reference", &[("period", period.into())]);
    let footer = flow::Footer::new(
        &doc.seller,
        doc.customer.address.as_ref().map(|a| &a.country),
        &reference,
        locale,
        styles.small,
    );
    let pages = footer.finish(flow);
    Ok(pdf.save(pages))
}

/// What the statement's file is called in `language`, for the customer (the e-mail's
/// attachment) and for the download: `statement-2026-01-01-to-2026-03-31.pdf`. ASCII only, so
/// that it fits a `Content-Disposition` header as it is.
pub fn file_name(language: Language, from: NaiveDate, to: NaiveDate) -> String {
    let stem = Locale::of(language).text(
        "statement-file-name",
        &[
            ("from", from.to_string().into()),
            ("to", to.to_string().into()),
        ],
    );
    let stem: String = stem
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
            _ => '-',
        })
        .collect();
    format!("{stem}.pdf")
}

/// The label of a kind of movement: its message, or, for a kind the language does not name
/// yet, its own name in words (`credit note`), so a new kind still prints.
fn kind_label(locale: Locale, kind: &str) -> String {
    let id = format!("statement-kind-{kind}");
    if locale.has(&id) {
        locale.t(&id)
    } else {
        let words = kind.replace('_', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// Text of one line of the document, cleaned for `style`'s face.
fn clean(text: &str, style: text::Style) -> String {
    text::clean_line(text, style.face)
}
