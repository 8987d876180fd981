//! How to pay: the amount and due date, the seller's bank account, the invoice number as the
//! transfer's reference, the seller's own instructions, and on EUR invoices to an IBAN the
//! EPC QR code a banking app scans.

use qrcode::{Color, EcLevel, QrCode};

use super::epc::{self, epc_payload};
use super::flow::{Flow, SECTION_GAP};
use super::text::{self, Style};
use super::theme::{CONTENT_WIDTH, INK, LEFT, LINE, MUTED, RIGHT, Styles, baseline_in};
use super::{AccountNumber, InvoiceDocument};
use crate::locale::Locale;

/// The code's side, quiet zone included: about 3.5 cm, above the guideline's 2 cm minimum
/// and large enough for a phone at arm's length.
const QR_SIZE: f32 = 100.0;
/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_MODULES: usize = 4;
const QR_CAPTION_GAP: f32 = 4.0;
/// Space between the text and the code.
const QR_GAP: f32 = 20.0;

/// The EPC payload, when the invoice qualifies: EUR, an IBAN, an amount due in range, and an
/// invoice (a credit note asks for no payment).
pub(super) fn epc_for(doc: &InvoiceDocument) -> Option<String> {
    if doc.currency.code() != "EUR" || doc.is_credit_note() {
        return None;
    }
    let account = doc.seller.bank_account.as_ref()?;
    let AccountNumber::Iban { iban, bic } = &account.number else {
        return None;
    };
    epc_payload(
        &account.holder,
        iban,
        bic.as_deref(),
        doc.amount_due,
        &doc.number,
    )
}

pub(super) fn draw(flow: &mut Flow, doc: &InvoiceDocument, locale: Locale, styles: &Styles) {
    let seller = &doc.seller;
    // A credit note pays the buyer: the seller's account and a code to pay into it would
    // invite the buyer to pay the credit too.
    if doc.is_credit_note()
        || (seller.bank_account.is_none() && seller.payment_instructions.is_none())
    {
        return;
    }
    let body = styles.body;
    let qr = epc_for(doc).and_then(|payload| {
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()
    });
    let text_width = if qr.is_some() {
        CONTENT_WIDTH - QR_SIZE - QR_GAP
    } else {
        CONTENT_WIDTH
    };

    let mut lines: Vec<String> = Vec::new();
    if doc.amount_due > 0 {
        lines.push(locale.text(
            "payment-request",
            &[
                ("amount", locale.money(doc.amount_due, &doc.currency).into()),
                ("date", locale.date(doc.due_date).into()),
            ],
        ));
    }
    if let Some(account) = &seller.bank_account {
        let mut field = |id: &str, value: &str| {
            lines.push(locale.text(
                "field",
                &[("label", locale.t(id).into()), ("value", value.into())],
            ));
        };
        field("account-holder", &account.holder);
        match &account.number {
            AccountNumber::Iban { iban, bic } => {
                field("iban", &epc::grouped(iban));
                if let Some(bic) = bic {
                    field("bic", bic);
                }
            }
            AccountNumber::Domestic { account, routing } => {
                field("account-number", account);
                if let Some(routing) = routing {
                    field("routing-number", routing);
                }
            }
        }
        if let Some(bank) = &account.bank_name {
            field("bank", bank);
        }
    }
    lines.push(locale.text(
        "payment-reference",
        &[("number", doc.number.as_str().into())],
    ));
    if let Some(instructions) = &seller.payment_instructions {
        lines.push(String::new());
        lines.push(instructions.clone());
    }
    let wrapped = text::wrap(&text::clean(&lines.join("\n"), body.face), body, text_width);

    let heading = text::clean_line(&locale.t("payment"), styles.body_bold.face);
    let caption = text::clean_line(&locale.t("qr-caption"), styles.small.face);
    let caption_lines = text::wrap_at_most(&caption, styles.small, QR_SIZE, 3);
    let text_height = LINE + 2.0 + wrapped.len() as f32 * LINE;
    let qr_height = if qr.is_some() {
        QR_SIZE + QR_CAPTION_GAP + caption_lines.len() as f32 * (styles.small.size * 1.3)
    } else {
        0.0
    };
    flow.keep(SECTION_GAP, text_height.max(qr_height));

    let top = flow.y;
    flow.page.text(
        LEFT,
        baseline_in(top, LINE, styles.body_bold),
        &heading,
        styles.body_bold,
        INK,
    );
    flow.y += LINE + 2.0;
    for line in &wrapped {
        if LINE > flow.remaining() {
            flow.page_break();
        }
        flow.page
            .text(LEFT, baseline_in(flow.y, LINE, body), line, body, MUTED);
        flow.y += LINE;
    }
    if let Some(code) = qr {
        let left = RIGHT - QR_SIZE;
        draw_qr(flow, &code, left, top);
        let mut y = top + QR_SIZE + QR_CAPTION_GAP;
        for line in &caption_lines {
            let style: Style = styles.small;
            flow.page.text(
                left,
                baseline_in(y, style.size * 1.3, style),
                line,
                style,
                MUTED,
            );
            y += style.size * 1.3;
        }
        flow.y = flow.y.max(y);
    }
}

/// The code's dark modules as filled squares (a run of dark modules in a row is one
/// rectangle), in a white square with the quiet zone.
fn draw_qr(flow: &mut Flow, code: &QrCode, left: f32, top: f32) {
    let width = code.width();
    let module = QR_SIZE / (width + 2 * QUIET_MODULES) as f32;
    flow.page
        .fill_rect(left, top, QR_SIZE, QR_SIZE, (1.0, 1.0, 1.0));
    let colors = code.to_colors();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if colors[y * width + x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && colors[y * width + x] == Color::Dark {
                x += 1;
            }
            flow.page.fill_rect(
                left + (QUIET_MODULES + start) as f32 * module,
                top + (QUIET_MODULES + y) as f32 * module,
                (x - start) as f32 * module,
                module,
                (0.0, 0.0, 0.0),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{BankAccount, sample_document};
    use invoicing_workflows::domain::Currency;

    fn euro_invoice() -> InvoiceDocument {
        let mut doc = sample_document(2);
        doc.currency = Currency::parse("EUR").unwrap();
        doc.seller.bank_account = Some(BankAccount {
            holder: "Northwind Studio GmbH".to_owned(),
            bank_name: None,
            number: AccountNumber::Iban {
                iban: "DE89 3704 0044 0532 0130 00".to_owned(),
                bic: None,
            },
        });
        doc
    }

    #[test]
    fn only_eur_invoices_to_an_iban_with_something_due_get_a_code() {
        let doc = euro_invoice();
        let payload = epc_for(&doc).expect("a code");
        assert!(payload.contains("\nDE89370400440532013000\n"), "{payload}");
        assert!(payload.ends_with("\nINV-000042"), "{payload}");

        let mut dollars = euro_invoice();
        dollars.currency = Currency::parse("USD").unwrap();
        assert_eq!(epc_for(&dollars), None);

        let mut paid = euro_invoice();
        paid.amount_due = 0;
        assert_eq!(epc_for(&paid), None);

        let mut domestic = euro_invoice();
        domestic.seller.bank_account = sample_document(1).seller.bank_account;
        assert_eq!(epc_for(&domestic), None);
    }
}
