//! The e-mail that carries a customer's statement of account, in the customer's language: the
//! period in the subject, the balance at its end per currency beneath the letter, the PDF
//! attached. Laid out by the same templates as the invoice e-mails.

use super::letters::{Context, Letters, laid_out};
use super::{Letter, Seller};
use crate::locale::Locale;
use chrono::NaiveDate;
use invoicing_workflows::domain::{Currency, Language};

/// What the statement's e-mail says.
#[derive(Clone, Debug)]
pub struct StatementLetter<'a> {
    /// The customer's name, for the greeting.
    pub customer: &'a str,
    /// The customer's first address; the others and its cc addresses get a copy.
    pub to: &'a str,
    pub cc: Vec<String>,
    pub from: NaiveDate,
    pub to_day: NaiveDate,
    /// What the customer owed at the end of the period, per currency.
    pub balances: Vec<(Currency, i64)>,
    pub language: Language,
}

impl Letters {
    /// The statement's e-mail from `seller`, without its attachment.
    pub fn statement(
        &self,
        statement: &StatementLetter<'_>,
        from: Seller<'_>,
        platform: &str,
    ) -> Result<Letter, minijinja::Error> {
        let locale = Locale::of(statement.language);
        let seller = from.shown();
        let period = locale.period(statement.from, statement.to_day);
        let subject = locale.text(
            "email-statement-subject",
            &[
                ("seller", seller.into()),
                ("period", period.as_str().into()),
            ],
        );
        let mut paragraphs = vec![locale.text(
            "email-statement-body",
            &[("period", period.as_str().into())],
        )];
        if statement.balances.is_empty() {
            paragraphs.push(locale.t("email-statement-nothing"));
        }
        let mut facts = vec![(locale.t("email-label-period"), period.clone(), false)];
        let balance_label = locale.text(
            "email-statement-balance",
            &[("date", locale.long_date(statement.to_day).into())],
        );
        facts.extend(statement.balances.iter().map(|(currency, balance)| {
            (
                balance_label.clone(),
                locale.money(*balance, currency),
                true,
            )
        }));
        let context = Context {
            lang: statement.language.tag(),
            subject: &subject,
            seller,
            title: locale.t("email-statement-title"),
            greeting: locale.text("email-dear", &[("name", statement.customer.into())]),
            paragraphs,
            notes: None,
            facts: laid_out(facts),
            questions: locale.text("email-statement-questions", &[("seller", seller.into())]),
        };
        let (text, html) = self.render(&context)?;
        Ok(Letter {
            to: statement.to.to_owned(),
            cc: statement.cc.clone(),
            reply_to: from.email.to_owned(),
            sender_name: locale.text(
                "email-sender",
                &[("seller", seller.into()), ("platform", platform.into())],
            ),
            subject,
            text,
            html,
            attachments: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn letter(language: Language, balances: Vec<(Currency, i64)>) -> Letter {
        Letters::new()
            .unwrap()
            .statement(
                &StatementLetter {
                    customer: "Zoë <Müller> & Co",
                    to: "ap@acme.example",
                    cc: vec!["controller@acme.example".into()],
                    from: day("2026-01-01"),
                    to_day: day("2026-03-31"),
                    balances,
                    language,
                },
                Seller {
                    name: Some("Northwind Studio"),
                    email: "studio@seller.example",
                },
                "Invoicing",
            )
            .unwrap()
    }

    #[test]
    fn the_statement_e_mail_names_the_period_and_the_balance_owed() {
        let eur = Currency::parse("EUR").unwrap();
        let usd = Currency::parse("USD").unwrap();
        let letter = letter(Language::En, vec![(eur, 123_456), (usd, -500)]);
        assert_eq!(
            letter.subject,
            "Statement of account from Northwind Studio: 1 Jan 2026 – 31 Mar 2026"
        );
        assert_eq!(letter.to, "ap@acme.example");
        assert_eq!(letter.cc, ["controller@acme.example"]);
        assert_eq!(letter.reply_to, "studio@seller.example");
        assert!(
            letter.text.starts_with("Dear Zoë <Müller> & Co,"),
            "{}",
            letter.text
        );
        assert!(
            letter
                .text
                .contains("statement of account for 1 Jan 2026 – 31 Mar 2026"),
            "{}",
            letter.text
        );
        assert!(
            letter.text.contains("Balance on 31 March 2026:"),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("€1,234.56"), "{}", letter.text);
        assert!(letter.text.contains("-$5.00"), "{}", letter.text);
        assert!(letter.html.contains("Zoë &lt;Müller&gt; &amp; Co"));
        assert!(letter.text.contains("Questions about this statement?"));
    }

    #[test]
    fn a_german_customer_gets_a_german_statement_e_mail() {
        let eur = Currency::parse("EUR").unwrap();
        let letter = letter(Language::De, vec![(eur, 123_456)]);
        assert_eq!(
            letter.subject,
            "Kontoauszug von Northwind Studio: 01.01.2026 – 31.03.2026"
        );
        assert!(
            letter.text.contains("Saldo am 31. März 2026:"),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("1.234,56\u{a0}€"), "{}", letter.text);
        assert!(letter.html.contains("<html lang=\"de\">"));
    }

    #[test]
    fn every_language_says_when_nothing_was_owed() {
        for language in [Language::En, Language::De, Language::Fr, Language::Es] {
            let letter = letter(language, Vec::new());
            let nothing = Locale::of(language).t("email-statement-nothing");
            assert!(
                letter.text.contains(&nothing),
                "{language}: {}",
                letter.text
            );
        }
    }
}
