//! The e-mails a client receives, written from templates (`activities/templates/email/`): an HTML
//! and a plain-text body each, and a subject that always carries the invoice number.

use chrono::NaiveDate;
use invoicing_store::invoices::InvoiceSummary;
use invoicing_workflows::{
    contracts::EmailKind,
    domain::{InvoiceStatus, Money},
};
use minijinja::Environment;
use serde::Serialize;

/// One e-mail, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub to: String,
    /// Replies reach the seller, not the platform.
    pub reply_to: String,
    /// Shown as "{seller} via {platform}".
    pub sender_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachment: Option<Attachment>,
}

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
    fn shown(&self) -> &str {
        self.name.unwrap_or(self.email)
    }
}

/// The compiled templates.
pub struct Letters {
    templates: Environment<'static>,
}

/// What a template can use.
#[derive(Serialize)]
struct Context<'a> {
    subject: &'a str,
    seller: &'a str,
    client_name: &'a str,
    number: &'a str,
    due_date: String,
    total: String,
    amount_due: String,
    notes: Option<&'a str>,
    voided: bool,
    days_until_due: i32,
    days_overdue: i32,
    payment_amount: Option<String>,
    settled: bool,
    reason: Option<&'a str>,
}

macro_rules! template {
    ($env:expr, $name:literal) => {
        $env.add_template(
            $name,
            include_str!(concat!("../../templates/email/", $name)),
        )
    };
}

impl Letters {
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut templates = Environment::new();
        template!(templates, "layout.html")?;
        template!(templates, "invoice_sent.html")?;
        template!(templates, "invoice_sent.txt")?;
        template!(templates, "reminder.html")?;
        template!(templates, "reminder.txt")?;
        template!(templates, "payment_receipt.html")?;
        template!(templates, "payment_receipt.txt")?;
        template!(templates, "invoice_voided.html")?;
        template!(templates, "invoice_voided.txt")?;
        Ok(Self { templates })
    }

    /// The e-mail `email` for `invoice`, from `seller`.
    pub fn compose(
        &self,
        email: &EmailKind,
        invoice: &InvoiceSummary,
        from: Seller<'_>,
        platform: &str,
    ) -> Result<Letter, minijinja::Error> {
        let seller = from.shown();
        let number = invoice
            .number
            .map(|number| number.to_string())
            .unwrap_or_else(|| "(draft)".to_owned());
        let money = |minor: i64| Money::new(minor, invoice.currency).to_string();
        let (template, subject) = match email {
            EmailKind::InvoiceSent { .. } => (
                "invoice_sent",
                format!(
                    "Invoice {number} from {seller}: {} due {}",
                    money(invoice.amount_due()),
                    long_date(invoice.due_date)
                ),
            ),
            EmailKind::Reminder { days_from_due_date } => (
                "reminder",
                match days_from_due_date.signum() {
                    -1 => format!(
                        "Reminder: invoice {number} is due in {}",
                        days(-days_from_due_date)
                    ),
                    0 => format!("Reminder: invoice {number} is due today"),
                    _ => format!(
                        "Overdue: invoice {number} was due {} ago",
                        days(*days_from_due_date)
                    ),
                },
            ),
            EmailKind::PaymentReceipt { .. } => (
                "payment_receipt",
                format!("Payment received for invoice {number}"),
            ),
            EmailKind::Voided { .. } => (
                "invoice_voided",
                format!("Invoice {number} has been voided"),
            ),
        };
        let days_from_due = match email {
            EmailKind::Reminder { days_from_due_date } => *days_from_due_date,
            _ => 0,
        };
        let context = Context {
            subject: &subject,
            seller,
            client_name: &invoice.client_name,
            number: &number,
            due_date: long_date(invoice.due_date),
            total: money(invoice.total),
            amount_due: money(invoice.amount_due()),
            notes: invoice.notes.as_deref(),
            voided: invoice.status == InvoiceStatus::Void,
            days_until_due: (-days_from_due).max(0),
            days_overdue: days_from_due.max(0),
            payment_amount: match email {
                EmailKind::PaymentReceipt { amount, .. } => Some(money(*amount)),
                _ => None,
            },
            settled: invoice.amount_due() == 0,
            reason: match email {
                EmailKind::Voided { reason } => reason.as_deref(),
                _ => None,
            },
        };
        let render = |extension: &str| {
            self.templates
                .get_template(&format!("{template}.{extension}"))
                .and_then(|template| template.render(minijinja::value::Serde(&context)))
        };
        let (text, html) = (render("txt")?, render("html")?);
        Ok(Letter {
            to: invoice.client_email.clone(),
            reply_to: from.email.to_owned(),
            sender_name: format!("{seller} via {platform}"),
            subject,
            text,
            html,
            attachment: None,
        })
    }
}

/// `24 December 2026`: unambiguous in every locale, unlike 12/24/2026.
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn days(count: i32) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use invoicing_workflows::domain::{Currency, InvoiceNumber};
    use uuid::Uuid;

    fn invoice() -> InvoiceSummary {
        InvoiceSummary {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            status: InvoiceStatus::Sent,
            number: Some(InvoiceNumber::new(42)),
            client_name: "Zoë <Müller> & Co".into(),
            client_email: "ap@acme.example".into(),
            currency: Currency::parse("EUR").unwrap(),
            issue_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
            notes: Some("Bank: DE89 3704 0044 0532 0130 00".into()),
            subtotal: 123_456,
            total: 123_456,
            amount_paid: 23_456,
            version: 3,
            sent_at: Some(Utc::now()),
            paid_at: None,
            voided_at: None,
            void_reason: None,
            document_version: Some(1),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn compose(email: EmailKind) -> Letter {
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
            )
            .unwrap();
        assert_eq!(
            letter.subject,
            "Invoice INV-000042 from Northwind Design Studio: 1,000.00 EUR due 24 December 2026"
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
            "Invoice INV-000042 from studio@seller.example: 1,000.00 EUR due 24 December 2026"
        );
        assert_eq!(letter.to, "ap@acme.example");
        assert_eq!(letter.reply_to, "studio@seller.example");
        assert!(letter.text.contains("1,234.56 EUR"), "{}", letter.text);
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
                .contains("1 day ago, and 1,000.00 EUR is still outstanding")
        );
    }

    #[test]
    fn receipts_and_void_notices_carry_the_number() {
        let receipt = compose(EmailKind::PaymentReceipt {
            payment_id: Uuid::new_v4(),
            amount: 23_456,
        });
        assert_eq!(receipt.subject, "Payment received for invoice INV-000042");
        assert!(receipt.text.contains("payment of 234.56 EUR"));
        assert!(receipt.text.contains("1,000.00 EUR remains due"));
        let voided = compose(EmailKind::Voided {
            reason: Some("Duplicate".into()),
        });
        assert_eq!(voided.subject, "Invoice INV-000042 has been voided");
        assert!(voided.text.contains("Reason: Duplicate"));
    }
}
