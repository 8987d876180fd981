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
                // The reason of lines that name no rate is the domain's English text for
                // e-invoices: the document says it in its own language.
                Some(reason) if reason != UNTAXED_REASON => locale.text(
                    "legal-outside-scope-reason",
                    &[("kind", kind.into()), ("reason", reason.into())],
                ),
                _ => locale.text("legal-outside-scope", &[("kind", kind.into())]),
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
