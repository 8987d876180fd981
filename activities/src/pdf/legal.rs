//! The sentences an invoice must carry when tax is not charged at a rate, in its language:
//! the reverse charge (VAT directive Article 226(11a)), an intra-community supply (Article
//! 138), an export (Article 146), an exemption with its reason (Article 226(11)), a supply
//! outside the scope of the tax; and that the prices include tax when they do.

use invoicing_workflows::domain::{PriceBasis, VatCategory, tax::UNTAXED_REASON};

use super::InvoiceDocument;
use crate::locale::Locale;

/// The sentences, in the order of the tax breakdown, each once.
pub(super) fn sentences(doc: &InvoiceDocument, locale: Locale) -> Vec<String> {
    let kind = doc.tax_kind.selector();
    let mut sentences: Vec<String> = Vec::new();
    for row in &doc.totals.breakdown {
        let reason = row
            .exemption
            .as_ref()
            .map(|e| e.reason.trim())
            .filter(|reason| !reason.is_empty());
        let sentence = match row.category {
            VatCategory::Standard | VatCategory::ZeroRated => None,
            VatCategory::ReverseCharge => Some(locale.t("legal-reverse-charge")),
            VatCategory::IntraCommunity => Some(locale.t("legal-intra-community")),
            VatCategory::Export => Some(locale.t("legal-export")),
            VatCategory::Exempt => Some(match reason {
                Some(reason) => locale.text("legal-exempt", &[("reason", reason.into())]),
                // The domain requires a reason or a VATEX code; the code then speaks.
                None => locale.text(
                    "legal-exempt",
                    &[(
                        "reason",
                        row.exemption
                            .as_ref()
                            .and_then(|e| e.code.as_deref())
                            .unwrap_or_default()
                            .into(),
                    )],
                ),
            }),
            VatCategory::OutsideScope => Some(match reason {
                // Lines that name no rate (`TaxRate::untaxed`): a seller who charges no tax
                // at all. Their reason is the domain's English text for e-invoices; the
                // document says it in its own words, without claiming a VAT status.
                Some(UNTAXED_REASON) => locale.t("legal-untaxed"),
                Some(reason) => locale.text(
                    "legal-outside-scope-reason",
                    &[("kind", kind.into()), ("reason", reason.into())],
                ),
                None => locale.text("legal-outside-scope", &[("kind", kind.into())]),
            }),
        };
        if let Some(sentence) = sentence
            && !sentences.contains(&sentence)
        {
            sentences.push(sentence);
        }
    }
    if doc.price_basis == PriceBasis::Inclusive {
        sentences.push(locale.text("legal-inclusive", &[("kind", kind.into())]));
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::sample_document;
    use invoicing_workflows::domain::{Exemption, Language, TaxSubtotal};
    use rust_decimal::Decimal;

    fn row(category: VatCategory, reason: &str) -> TaxSubtotal {
        TaxSubtotal {
            category,
            percent: Decimal::ZERO,
            exemption: Some(Exemption {
                reason: reason.to_owned(),
                code: None,
            }),
            base: 100,
            tax: 0,
        }
    }

    fn sentences_in(language: Language, rows: Vec<TaxSubtotal>, basis: PriceBasis) -> String {
        let mut doc = sample_document(1);
        doc.language = language;
        doc.tax_kind = crate::pdf::TaxKind::Vat;
        doc.totals.breakdown = rows;
        doc.price_basis = basis;
        sentences(&doc, Locale::of(language)).join("\n")
    }

    #[test]
    fn each_untaxed_category_has_its_sentence_in_each_language() {
        let rows = || {
            vec![
                row(VatCategory::Exempt, "Kleinunternehmer gemäß § 19 UStG"),
                row(VatCategory::ReverseCharge, "Reverse charge"),
                row(VatCategory::IntraCommunity, "Intra-community supply"),
                row(VatCategory::Export, "Export"),
                row(VatCategory::OutsideScope, "Not a supply"),
            ]
        };
        let expected = [
            (
                Language::En,
                [
                    "Reverse charge",
                    "Article 138",
                    "Article 146",
                    "Exempt from VAT: Kleinunternehmer",
                    "Not subject to VAT: Not a supply",
                ],
            ),
            (
                Language::De,
                [
                    "Steuerschuldnerschaft des Leistungsempfängers",
                    "Art. 138",
                    "Ausfuhrlieferung",
                    "Steuerbefreit: Kleinunternehmer gemäß § 19 UStG",
                    "Nicht steuerbarer Umsatz: Not a supply",
                ],
            ),
            (
                Language::Fr,
                [
                    "Autoliquidation",
                    "article 138",
                    "article 146",
                    "Exonération de TVA\u{a0}: Kleinunternehmer",
                    "hors du champ d’application de la TVA\u{a0}: Not a supply",
                ],
            ),
            (
                Language::Es,
                [
                    "Inversión del sujeto pasivo",
                    "artículo 138",
                    "artículo 146",
                    "Exento de IVA: Kleinunternehmer",
                    "no sujeta a IVA: Not a supply",
                ],
            ),
        ];
        for (language, parts) in expected {
            let text = sentences_in(language, rows(), PriceBasis::Exclusive);
            for part in parts {
                assert!(
                    text.contains(part),
                    "{language}: {part:?} missing from\n{text}"
                );
            }
            assert_eq!(text.lines().count(), 5, "{text}");
        }
    }

    #[test]
    fn taxed_invoices_need_no_sentence_unless_prices_include_tax() {
        let standard = || {
            vec![TaxSubtotal {
                category: VatCategory::Standard,
                percent: Decimal::from(19),
                exemption: None,
                base: 100,
                tax: 19,
            }]
        };
        assert_eq!(
            sentences_in(Language::De, standard(), PriceBasis::Exclusive),
            ""
        );
        assert_eq!(
            sentences_in(Language::De, standard(), PriceBasis::Inclusive),
            "Alle Preise enthalten die gesetzliche Umsatzsteuer."
        );
        // An outside-scope rate with a reason of its own says it.
        let own = sentences_in(
            Language::En,
            vec![row(VatCategory::OutsideScope, "Damages, not a supply")],
            PriceBasis::Exclusive,
        );
        assert_eq!(own, "Not subject to VAT: Damages, not a supply");
        // Lines that name no rate claim no VAT status.
        let untaxed = sentences_in(
            Language::De,
            vec![row(VatCategory::OutsideScope, UNTAXED_REASON)],
            PriceBasis::Exclusive,
        );
        assert_eq!(untaxed, "Auf dieser Rechnung wird keine Steuer berechnet.");
    }
}
