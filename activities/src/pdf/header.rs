//! The first-page header: logo, title and number, the dates and terms, seller and buyer
//! blocks; on a credit note, the invoice it credits and why. The statement of account
//! (`super::statement`) builds its header from the same parts.

use invoicing_workflows::domain::{Address, Country, TaxId, TaxIdKind};

use super::flow::{Context, Flow};
use super::text::{self, Style};
use super::theme::{
    ACCENT, CONTENT_WIDTH, Colour, INK, LEFT, LINE, MUTED, PAGE_HEIGHT, RIGHT, RULE, Styles, TOP,
    baseline_in,
};
use super::{DocumentBuyer, DocumentKind, DocumentSeller, InvoiceDocument, Supply, logo};
use crate::locale::Locale;

/// Where a PAID / VOID stamp is centred: in the open space between title and dates.
pub(super) const STAMP_CENTRE: (f32, f32) = (LEFT + CONTENT_WIDTH * 0.45, TOP + 22.0);

/// Gap between a date label and its value.
const DATES_GAP: f32 = 14.0;
/// Room kept between the title and the dates beside it.
const TITLE_GAP: f32 = 18.0;
/// A long title is set smaller, down to this size, before it is broken over two lines.
const MIN_TITLE_SIZE: f32 = 16.0;
/// Space between the title block and the parties.
const PARTIES_GAP: f32 = 42.0;
/// Each party block's share of the content width.
const PARTY_WIDTH: f32 = CONTENT_WIDTH * 0.45;
const BILL_TO_LEFT: f32 = LEFT + CONTENT_WIDTH * 0.5;
/// Room between the header and the table.
pub(super) const GAP_AFTER: f32 = 26.0;
/// Space under the logo.
const LOGO_GAP: f32 = 10.0;

/// One line of a party block.
type Entry = (String, Style, Colour);

pub(super) fn draw(flow: &mut Flow, context: &Context<'_>, styles: &Styles) {
    let (doc, locale) = (context.doc, context.locale);
    let top = draw_logo(flow, context.logo.as_ref());
    let dates = draw_facts(flow, dates(doc, locale), styles);
    let title = if doc.is_credit_note() {
        "credit-note-title"
    } else {
        "invoice-title"
    };
    let title_bottom = draw_title(flow, &locale.t(title), &doc.number, styles, top, dates.left);
    let parties = Parties {
        seller: &doc.seller,
        buyer: &doc.buyer,
        buyer_caption: locale.t(if doc.is_credit_note() {
            "credit-note-buyer-caption"
        } else {
            "buyer-caption"
        }),
    };
    flow.y = parties.draw(flow, title_bottom.max(dates.bottom), locale, styles) + GAP_AFTER;
    draw_credited_invoice(flow, doc, locale, styles);
}

/// A credit note's reference to the invoice it credits, its reason and how the amount is
/// settled, above the table: what the VAT directive asks of a document amending an invoice
/// (Article 219, "refers specifically to the initial invoice"), and what the reader looks for
/// first.
fn draw_credited_invoice(flow: &mut Flow, doc: &InvoiceDocument, locale: Locale, styles: &Styles) {
    let DocumentKind::CreditNote {
        invoice_number,
        invoice_issue_date,
        reason,
    } = &doc.kind
    else {
        return;
    };
    let reference = locale.text(
        "credit-note-for",
        &[
            ("number", invoice_number.as_str().into()),
            ("date", locale.date(*invoice_issue_date).into()),
        ],
    );
    let mut body = Vec::new();
    if !reason.trim().is_empty() {
        body.push(locale.text("credit-note-reason", &[("reason", reason.trim().into())]));
    }
    body.push(locale.t("credit-note-settlement"));
    // A reason may be long: it wraps, and runs on to the next page rather than off this one.
    for (paragraph, style, colour) in [
        (reference, styles.body_bold, INK),
        (body.join("\n"), styles.body, MUTED),
    ] {
        for line in text::wrap(&text::clean(&paragraph, style.face), style, CONTENT_WIDTH) {
            if LINE > flow.remaining() {
                flow.page_break();
            }
            flow.page
                .text(LEFT, baseline_in(flow.y, LINE, style), &line, style, colour);
            flow.y += LINE;
        }
    }
    flow.y += GAP_AFTER;
}

/// The logo, top left, when the seller has one; returns where the title starts.
pub(super) fn draw_logo(flow: &mut Flow, logo: Option<&logo::Placed>) -> f32 {
    match logo {
        Some(logo) => {
            flow.page
                .push(logo.op(LEFT, PAGE_HEIGHT - TOP - logo.height));
            TOP + logo.height + LOGO_GAP
        }
        None => TOP,
    }
}

/// The two parties side by side under a rule: the seller, and the buyer under its caption.
pub(super) struct Parties<'a> {
    pub seller: &'a DocumentSeller,
    pub buyer: &'a DocumentBuyer,
    /// "BILL TO" on an invoice.
    pub buyer_caption: String,
}

impl Parties<'_> {
    /// Draws both blocks below `above` (the bottom of what is over them); returns their bottom.
    pub fn draw(&self, flow: &mut Flow, above: f32, locale: Locale, styles: &Styles) -> f32 {
        let parties_top = above + PARTIES_GAP;
        flow.page.rule(LEFT, RIGHT, parties_top - 18.0, 0.6, RULE);
        let buyer_country = self.buyer.address.as_ref().map(|a| &a.country);
        let seller_country = self.seller.address.as_ref().map(|a| &a.country);
        let seller_bottom = draw_party(
            flow,
            LEFT,
            parties_top,
            &locale.t("seller-caption"),
            seller_lines(self.seller, buyer_country, locale, styles),
            styles,
        );
        let buyer_bottom = draw_party(
            flow,
            BILL_TO_LEFT,
            parties_top,
            &self.buyer_caption,
            buyer_lines(self.buyer, seller_country, locale, styles),
            styles,
        );
        seller_bottom.max(buyer_bottom)
    }
}

/// The title and the document's reference under it (its number), left, clear of `right` (the
/// facts' left edge); returns the bottom. A title too long for its room is set smaller, and
/// one still too long then is broken over two lines.
pub(super) fn draw_title(
    flow: &mut Flow,
    title: &str,
    reference: &str,
    styles: &Styles,
    top: f32,
    right: f32,
) -> f32 {
    let room = (right - LEFT - TITLE_GAP).max(CONTENT_WIDTH * 0.3);
    let title = text::clean_line(title, styles.title.face);
    let full = styles.title;
    let size = (full.size * room / full.width(&title).max(1.0)).clamp(MIN_TITLE_SIZE, full.size);
    let style = Style::new(full.face, size);
    let lines = text::wrap_at_most(&title, style, room, 2);
    let mut baseline = top + 22.0;
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            baseline += size * 1.2;
        }
        flow.page.text(LEFT, baseline, line, style, ACCENT);
    }
    let number = styles.number;
    let reference = text::clean_line(reference, number.face);
    for line in text::wrap_at_most(&reference, number, CONTENT_WIDTH * 0.5, 1) {
        flow.page.text(LEFT, baseline + 19.0, &line, number, MUTED);
    }
    baseline + 19.0
}

/// The invoice's dates and terms; a credit note's date, and no due date or terms (it asks for
/// no payment).
fn dates(doc: &InvoiceDocument, locale: Locale) -> Vec<(String, String)> {
    // "Invoice date" in most languages: a credit note names its own date.
    let issued = if doc.is_credit_note() {
        "credit-note-date"
    } else {
        "issue-date"
    };
    let mut rows = vec![(locale.t(issued), locale.date(doc.issue_date))];
    match doc.supply {
        Some(Supply::Date(date)) => rows.push((locale.t("supply-date"), locale.date(date))),
        Some(Supply::Period { from, to }) => {
            rows.push((locale.t("service-period"), locale.period(from, to)));
        }
        None => {}
    }
    if !doc.is_credit_note() {
        rows.push((locale.t("due-date"), locale.date(doc.due_date)));
        if let Some(days) = doc.terms_days {
            rows.push((
                locale.t("payment-terms"),
                locale.text("terms-days", &[("days", days.into())]),
            ));
        }
    }
    rows
}

/// Where a block was drawn.
pub(super) struct Extent {
    pub left: f32,
    pub bottom: f32,
}

/// Labelled values (dates, terms), flush right at the top; returns where they went.
pub(super) fn draw_facts(flow: &mut Flow, rows: Vec<(String, String)>, styles: &Styles) -> Extent {
    let rows: Vec<(String, String)> = rows
        .into_iter()
        .map(|(label, value)| {
            (
                text::clean_line(&label, styles.body.face),
                text::clean_line(&value, styles.body_bold.face),
            )
        })
        .collect();
    let label_width = widest(rows.iter().map(|(label, _)| label.as_str()), styles.body);
    let value_width = widest(
        rows.iter().map(|(_, value)| value.as_str()),
        styles.body_bold,
    );
    let label_left = RIGHT - value_width - DATES_GAP - label_width;

    let mut top = TOP + 2.0;
    for (label, value) in &rows {
        let baseline = baseline_in(top, LINE, styles.body);
        flow.page
            .text(label_left, baseline, label, styles.body, MUTED);
        flow.page
            .text_right(RIGHT, baseline, value, styles.body_bold, INK);
        top += LINE + 3.0;
    }
    Extent {
        left: label_left,
        bottom: top,
    }
}

/// "VAT ID: DE123456789", "EIN: 12-3456789", "Tax ID: …" in the document's language.
pub(super) fn tax_id_text(id: &TaxId, locale: Locale) -> String {
    let label = match id.kind {
        TaxIdKind::EuVat | TaxIdKind::GbVat | TaxIdKind::ChVat => "tax-id-vat",
        TaxIdKind::UsEin => "tax-id-ein",
        TaxIdKind::AuAbn => "tax-id-abn",
        TaxIdKind::CaBn => "tax-id-bn",
        TaxIdKind::Other => "tax-id-other",
    };
    locale.text(
        "field",
        &[
            ("label", locale.t(label).into()),
            ("value", id.value.as_str().into()),
        ],
    )
}

/// An address as printed: the country named in the document's language when it is not
/// the other party's (a domestic letter leaves it out).
pub(super) fn address_lines(
    address: &Address,
    other: Option<&Country>,
    locale: Locale,
) -> Vec<String> {
    let foreign = other.is_none_or(|other| *other != address.country);
    let country = foreign.then(|| locale.country(&address.country));
    address.printed(country.as_deref())
}

/// The seller: the trading name in bold (the e-mail without one), the legal name, the
/// address, tax ids, registration and contact.
fn seller_lines(
    seller: &DocumentSeller,
    buyer_country: Option<&Country>,
    locale: Locale,
    styles: &Styles,
) -> Vec<Entry> {
    // A name that is blank once cleaned (e.g. only control characters) counts as none.
    let has_text = |name: &&String| {
        !text::clean_line(name, styles.party_name.face)
            .trim()
            .is_empty()
    };
    let mut lines = Vec::new();
    let email_colour = match seller.name.as_ref().filter(has_text) {
        Some(name) => {
            lines.push((name.clone(), styles.party_name, INK));
            MUTED
        }
        None => INK,
    };
    if let Some(legal) = &seller.legal_name
        && Some(legal) != seller.name.as_ref()
    {
        lines.push((legal.clone(), styles.body, MUTED));
    }
    let address = match &seller.address {
        Some(address) => address_lines(address, buyer_country, locale),
        None => seller.address_lines.clone(),
    };
    lines.extend(address.into_iter().map(|line| (line, styles.body, MUTED)));
    lines.push((seller.email.clone(), styles.body, email_colour));
    lines.extend(seller.phone.iter().map(|p| (p.clone(), styles.body, MUTED)));
    lines.extend(
        seller
            .tax_ids
            .iter()
            .map(|id| (tax_id_text(id, locale), styles.body, MUTED)),
    );
    lines.extend(
        seller
            .registration
            .iter()
            .map(|r| (r.clone(), styles.body, MUTED)),
    );
    lines
}

/// The buyer: name, legal name, address, VAT id and e-mail.
fn buyer_lines(
    buyer: &DocumentBuyer,
    seller_country: Option<&Country>,
    locale: Locale,
    styles: &Styles,
) -> Vec<Entry> {
    let mut lines = vec![(buyer.name.clone(), styles.party_name, INK)];
    if let Some(legal) = &buyer.legal_name
        && *legal != buyer.name
    {
        lines.push((legal.clone(), styles.body, MUTED));
    }
    if let Some(address) = &buyer.address {
        lines.extend(
            address_lines(address, seller_country, locale)
                .into_iter()
                .map(|line| (line, styles.body, MUTED)),
        );
    }
    lines.extend(
        buyer
            .tax_id
            .iter()
            .map(|id| (tax_id_text(id, locale), styles.body, MUTED)),
    );
    lines.extend(buyer.email.iter().map(|e| (e.clone(), styles.body, MUTED)));
    lines
}

/// A small caption and up to two lines per entry; long names and addresses are broken
/// to the block's width and ellipsised after the second line. Returns the block's bottom.
fn draw_party(
    flow: &mut Flow,
    left: f32,
    top: f32,
    caption: &str,
    entries: Vec<Entry>,
    styles: &Styles,
) -> f32 {
    let caption = text::clean_line(caption, styles.label.face);
    flow.page.text(left, top, &caption, styles.label, MUTED);
    let mut y = top + 6.0;
    for (raw, style, colour) in entries {
        let height = style.size * 1.4;
        let cleaned = text::clean_line(&raw, style.face);
        for line in text::wrap_at_most(&cleaned, style, PARTY_WIDTH, 2) {
            flow.page
                .text(left, baseline_in(y, height, style), &line, style, colour);
            y += height;
        }
    }
    y
}

fn widest<'a>(texts: impl Iterator<Item = &'a str>, style: Style) -> f32 {
    texts.map(|t| style.width(t)).fold(0.0, f32::max)
}
