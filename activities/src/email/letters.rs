//! The e-mails a client receives, in the client's language: every sentence a Fluent message
//! (`activities/src/locale/ftl/`), amounts and dates in the language's formats, laid out by
//! two templates (`activities/templates/email/letter.{html,txt}`), and a subject that always
//! carries the invoice number.

use invoicing_store::invoices::InvoiceSummary;
use invoicing_workflows::{
    contracts::EmailKind,
    domain::{InvoiceStatus, Language},
};
use minijinja::Environment;
use serde::Serialize;

use crate::locale::{FluentValue, Locale};

/// One e-mail, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub to: String,
    /// Who gets a copy.
    pub cc: Vec<String>,
    /// Replies reach the seller, not the platform.
    pub reply_to: String,
    /// Shown as "{seller} via {platform}".
    pub sender_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// In the order the client sees them: the invoice's PDF first, then its XML e-invoice for
    /// a customer who receives one in XML.
    pub attachments: Vec<Attachment>,
}

/// A file attached to a letter.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Who an e-mail comes from, as the client knows them.
#[derive(Clone, Copy, Debug)]
pub struct Seller<'a> {
    /// The business name from the account's seller profile, if it set one.
    pub name: Option<&'a str>,
    /// The account's e-mail address: replies go there.
    pub email: &'a str,
}

impl Seller<'_> {
    /// The name if there is one, else the address.
    pub(super) fn shown(&self) -> &str {
        self.name.unwrap_or(self.email)
    }
}

/// The compiled templates.
pub struct Letters {
    templates: Environment<'static>,
}

/// What the templates lay out: every text already in the letter's language.
#[derive(Serialize)]
pub(super) struct Context<'a> {
    /// The BCP 47 tag, for `<html lang>`.
    pub lang: &'static str,
    pub subject: &'a str,
    pub seller: &'a str,
    pub title: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub notes: Option<&'a str>,
    pub facts: Vec<Fact>,
    pub questions: String,
}

/// A labelled value under the letter: the number, due date, total, amount due.
#[derive(Serialize)]
pub(super) struct Fact {
    label: String,
    /// The label with its colon, padded so the plain-text values line up.
    padded: String,
    value: String,
    emphasised: bool,
}

impl Letters {
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut templates = Environment::new();
        templates.add_template(
            "letter.html",
            include_str!("../../templates/email/letter.html"),
        )?;
        templates.add_template(
            "letter.txt",
            include_str!("../../templates/email/letter.txt"),
        )?;
        Ok(Self { templates })
    }

    /// The e-mail `email` for `invoice`, from `seller`, in `language`.
    pub fn compose(
        &self,
        email: &EmailKind,
        invoice: &InvoiceSummary,
        from: Seller<'_>,
        platform: &str,
        language: Language,
    ) -> Result<Letter, minijinja::Error> {
        let locale = Locale::of(language);
        let seller = from.shown();
        let number = invoice
            .number_text
            .clone()
            .unwrap_or_else(|| locale.t("email-draft"));
        let money = |minor: i64| locale.money(minor, &invoice.currency);
        let due_date = locale.long_date(invoice.due_date);
        let text = |id: &str, args: &[(&str, FluentValue<'_>)]| {
            let mut all: Vec<(&str, FluentValue<'_>)> = vec![("number", number.as_str().into())];
            all.extend(args.iter().cloned());
            locale.text(id, &all)
        };
        let fact = |id: &str, value: String, emphasised: bool| (locale.t(id), value, emphasised);
        let invoice_fact = fact("email-label-invoice", number.clone(), false);
        let due_fact = fact("email-label-due-date", due_date.clone(), false);
        let total_fact = fact("email-label-total", money(invoice.total), false);
        let due_amount_fact = fact("email-label-amount-due", money(invoice.amount_due()), true);

        let (subject, title, paragraphs, facts) = match email {
            EmailKind::InvoiceSent { .. } => (
                text(
                    "email-sent-subject",
                    &[
                        ("seller", seller.into()),
                        ("amount", money(invoice.amount_due()).into()),
                        ("date", due_date.as_str().into()),
                    ],
                ),
                text("email-sent-title", &[]),
                vec![text(
                    "email-sent-body",
                    &[
                        ("total", money(invoice.total).into()),
                        ("date", due_date.as_str().into()),
                    ],
                )],
                vec![invoice_fact, due_fact, total_fact, due_amount_fact],
            ),
            EmailKind::Reminder { days_from_due_date } => {
                let days = i64::from(days_from_due_date.unsigned_abs());
                let args = [
                    ("days", days.into()),
                    ("amount", money(invoice.amount_due()).into()),
                    ("date", due_date.as_str().into()),
                ];
                let (subject, title, body) = match days_from_due_date.signum() {
                    -1 => (
                        "email-reminder-before-subject",
                        "email-reminder-title",
                        "email-reminder-before-body",
                    ),
                    0 => (
                        "email-reminder-today-subject",
                        "email-reminder-title",
                        "email-reminder-today-body",
                    ),
                    _ => (
                        "email-overdue-subject",
                        "email-overdue-title",
                        "email-overdue-body",
                    ),
                };
                (
                    text(subject, &args),
                    text(title, &[]),
                    vec![text(body, &args), locale.t("email-reminder-paid")],
                    vec![invoice_fact, due_fact, due_amount_fact],
                )
            }
            EmailKind::PaymentReceipt { amount, .. } => {
                let outcome = if invoice.amount_due() == 0 {
                    locale.t("email-receipt-settled")
                } else {
                    text(
                        "email-receipt-remaining",
                        &[
                            ("amount", money(invoice.amount_due()).into()),
                            ("date", due_date.as_str().into()),
                        ],
                    )
                };
                (
                    text("email-receipt-subject", &[]),
                    locale.t("email-receipt-title"),
                    vec![
                        text("email-receipt-body", &[("amount", money(*amount).into())]),
                        outcome,
                    ],
                    vec![invoice_fact, total_fact, due_amount_fact],
                )
            }
            EmailKind::Voided { reason } => {
                let mut paragraphs = vec![text("email-voided-body", &[])];
                paragraphs.extend(reason.as_deref().map(|reason| {
                    locale.text("email-voided-reason", &[("reason", reason.into())])
                }));
                (
                    text("email-voided-subject", &[]),
                    text("email-voided-subject", &[]),
                    paragraphs,
                    vec![invoice_fact, due_fact, total_fact],
                )
            }
            EmailKind::CreditNoteIssued {
                number: note,
                gross_total,
                reason,
                ..
            } => {
                let args = [
                    ("note", note.as_str().into()),
                    ("seller", seller.into()),
                    ("amount", money(*gross_total).into()),
                ];
                let outcome = if invoice.amount_due() == 0 {
                    text("email-credit-note-settled", &[])
                } else {
                    text(
                        "email-receipt-remaining",
                        &[
                            ("amount", money(invoice.amount_due()).into()),
                            ("date", due_date.as_str().into()),
                        ],
                    )
                };
                (
                    text("email-credit-note-subject", &args),
                    text("email-credit-note-title", &args),
                    vec![
                        text("email-credit-note-body", &args),
                        locale.text("email-credit-note-reason", &[("reason", reason.into())]),
                        outcome,
                    ],
                    vec![
                        fact("email-label-credit-note", note.clone(), false),
                        invoice_fact,
                        fact("email-label-credited", money(*gross_total), false),
                        due_amount_fact,
                    ],
                )
            }
        };
        // A voided invoice owes nothing, whatever the kind of letter.
        let facts: Vec<_> = facts
            .into_iter()
            .filter(|(_, _, emphasised)| !(*emphasised && invoice.status == InvoiceStatus::Void))
            .collect();
        let facts = laid_out(facts);
        let context = Context {
            lang: language.tag(),
            subject: &subject,
            seller,
            title,
            greeting: locale.text(
                "email-dear",
                &[("name", invoice.client_name.as_str().into())],
            ),
            paragraphs,
            notes: invoice.notes.as_deref(),
            facts,
            questions: locale.text("email-questions", &[("seller", seller.into())]),
        };
        let (text, html) = self.render(&context)?;
        Ok(Letter {
            to: invoice.client_email.clone(),
            reply_to: from.email.to_owned(),
            sender_name: locale.text(
                "email-sender",
                &[("seller", seller.into()), ("platform", platform.into())],
            ),
            subject,
            text,
            html,
            cc: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// The letter's text and HTML, from the two templates.
    pub(super) fn render(
        &self,
        context: &Context<'_>,
    ) -> Result<(String, String), minijinja::Error> {
        let render = |extension: &str| {
            self.templates
                .get_template(&format!("letter.{extension}"))
                .and_then(|template| template.render(minijinja::value::Serde(context)))
        };
        Ok((render("txt")?, render("html")?))
    }
}

/// Labelled values (label, value, emphasised) as the templates show them: the plain text's
/// labels padded so the values line up.
pub(super) fn laid_out(facts: Vec<(String, String, bool)>) -> Vec<Fact> {
    let width = facts
        .iter()
        .map(|(label, _, _)| label.chars().count() + 1)
        .max()
        .unwrap_or(0)
        + 2;
    facts
        .into_iter()
        .map(|(label, value, emphasised)| Fact {
            padded: format!("{:width$}", format!("{label}:")),
            label,
            value,
            emphasised,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};
    use invoicing_workflows::domain::{Currency, InvoiceNumber};
    use uuid::Uuid;

    fn invoice() -> InvoiceSummary {
        InvoiceSummary {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            status: InvoiceStatus::Sent,
            number: Some(InvoiceNumber::new(42)),
            number_text: Some("INV-000042".into()),
            client_name: "Zoë <Müller> & Co".into(),
            client_email: "ap@acme.example".into(),
            currency: Currency::parse("EUR").unwrap(),
            issue_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
            notes: Some("Bank: DE89 3704 0044 0532 0130 00".into()),
            subtotal: 123_456,
            total: 123_456,
            amount_paid: 23_456,
            amount_credited: 0,
            amount_to_balance: 0,
            version: 3,
            sent_at: Some(Utc::now()),
            paid_at: None,
            voided_at: None,
            void_reason: None,
            uncollectible_on: None,
            uncollectible_reason: None,
            document_version: Some(1),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn compose(email: EmailKind) -> Letter {
        compose_in(email, Language::En)
    }

    fn compose_in(email: EmailKind, language: Language) -> Letter {
        Letters::new()
            .unwrap()
            .compose(
                &email,
                &invoice(),
                Seller {
                    name: None,
                    email: "studio@seller.example",
                },
                "Invoicing",
                language,
            )
            .unwrap()
    }

    #[test]
    fn a_seller_with_a_business_name_writes_under_it_and_receives_replies() {
        let letter = Letters::new()
            .unwrap()
            .compose(
                &EmailKind::InvoiceSent {
                    document_version: 1,
                },
                &invoice(),
                Seller {
                    name: Some("Northwind Design Studio"),
                    email: "studio@seller.example",
                },
                "Invoicing",
                Language::En,
            )
            .unwrap();
        assert_eq!(
            letter.subject,
            "Invoice INV-000042 from Northwind Design Studio: €1,000.00 due 24 December 2026"
        );
        assert_eq!(letter.sender_name, "Northwind Design Studio via Invoicing");
        assert_eq!(letter.reply_to, "studio@seller.example");
        assert!(
            letter.text.contains("reach Northwind Design Studio"),
            "{}",
            letter.text
        );
    }

    #[test]
    fn the_invoice_e_mail_names_number_amount_and_due_date() {
        let letter = compose(EmailKind::InvoiceSent {
            document_version: 1,
        });
        assert_eq!(
            letter.subject,
            "Invoice INV-000042 from studio@seller.example: €1,000.00 due 24 December 2026"
        );
        assert_eq!(letter.to, "ap@acme.example");
        assert_eq!(letter.reply_to, "studio@seller.example");
        assert!(letter.text.contains("€1,234.56"), "{}", letter.text);
        assert!(letter.text.contains("DE89 3704"));
        // HTML is escaped, text is not.
        assert!(
            letter.html.contains("Zoë &lt;Müller&gt; &amp; Co"),
            "{}",
            letter.html
        );
        assert!(letter.text.contains("Zoë <Müller> & Co"));
    }

    #[test]
    fn reminders_say_how_far_the_due_date_is() {
        let before = compose(EmailKind::Reminder {
            days_from_due_date: -3,
        });
        assert_eq!(
            before.subject,
            "Reminder: invoice INV-000042 is due in 3 days"
        );
        assert!(before.text.contains("due in 3 days, on 24 December 2026"));
        let today = compose(EmailKind::Reminder {
            days_from_due_date: 0,
        });
        assert_eq!(today.subject, "Reminder: invoice INV-000042 is due today");
        assert!(today.text.contains("is due today"));
        let after = compose(EmailKind::Reminder {
            days_from_due_date: 1,
        });
        assert_eq!(
            after.subject,
            "Overdue: invoice INV-000042 was due 1 day ago"
        );
        assert!(
            after
                .text
                .contains("1 day ago, and €1,000.00 is still outstanding")
        );
    }

    #[test]
    fn receipts_and_void_notices_carry_the_number() {
        let receipt = compose(EmailKind::PaymentReceipt {
            payment_id: Uuid::new_v4(),
            amount: 23_456,
        });
        assert_eq!(receipt.subject, "Payment received for invoice INV-000042");
        assert!(receipt.text.contains("payment of €234.56"));
        assert!(receipt.text.contains("€1,000.00 remains due"));
        let voided = compose(EmailKind::Voided {
            reason: Some("Duplicate".into()),
        });
        assert_eq!(voided.subject, "Invoice INV-000042 has been voided");
        assert!(voided.text.contains("Reason: Duplicate"));
    }

    #[test]
    fn german_letters_use_german_words_and_formats() {
        let letter = compose_in(
            EmailKind::InvoiceSent {
                document_version: 1,
            },
            Language::De,
        );
        assert_eq!(
            letter.subject,
            "Rechnung INV-000042 von studio@seller.example: 1.000,00\u{a0}€ fällig am 24. Dezember 2026"
        );
        assert!(
            letter.text.starts_with("Guten Tag Zoë <Müller> & Co,"),
            "{}",
            letter.text
        );
        assert!(
            letter.text.contains("über 1.234,56\u{a0}€"),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("Zahlbetrag:"), "{}", letter.text);
        assert!(letter.html.contains("<html lang=\"de\">"));
        assert_eq!(letter.sender_name, "studio@seller.example über Invoicing");
        let overdue = compose_in(
            EmailKind::Reminder {
                days_from_due_date: 3,
            },
            Language::De,
        );
        assert_eq!(
            overdue.subject,
            "Überfällig: Rechnung INV-000042 war vor 3 Tagen fällig"
        );
    }

    #[test]
    fn french_letters_use_french_words_and_formats() {
        let letter = compose_in(
            EmailKind::Reminder {
                days_from_due_date: -1,
            },
            Language::Fr,
        );
        assert_eq!(
            letter.subject,
            "Rappel\u{a0}: la facture INV-000042 arrive à échéance dans 1 jour"
        );
        assert!(
            letter.text.contains(
                "1\u{202f}000,00\u{a0}€ arrive à échéance dans 1 jour, le 24 décembre 2026"
            ),
            "{}",
            letter.text
        );
        let receipt = compose_in(
            EmailKind::PaymentReceipt {
                payment_id: Uuid::new_v4(),
                amount: 23_456,
            },
            Language::Fr,
        );
        assert_eq!(receipt.subject, "Paiement reçu pour la facture INV-000042");
        assert!(
            receipt.text.contains("paiement de 234,56\u{a0}€"),
            "{}",
            receipt.text
        );
    }

    #[test]
    fn spanish_letters_use_spanish_words_and_formats() {
        let letter = compose_in(
            EmailKind::Voided {
                reason: Some("Duplicada".into()),
            },
            Language::Es,
        );
        assert_eq!(letter.subject, "La factura INV-000042 ha sido anulada");
        assert!(letter.text.contains("Motivo: Duplicada"), "{}", letter.text);
        let sent = compose_in(
            EmailKind::InvoiceSent {
                document_version: 1,
            },
            Language::Es,
        );
        // Spanish groups thousands only from five digits on.
        assert!(sent.subject.contains("1000,00\u{a0}€"), "{}", sent.subject);
        assert!(
            sent.subject.contains("24 de diciembre de 2026"),
            "{}",
            sent.subject
        );
    }
}
