//! Tax rates as EN 16931 reads them: a VAT category (UNTDID 5305, BT-151 on a line, BT-118 in
//! the breakdown), a percentage and, for the categories that are not taxed at a rate, the
//! reason the supply is exempt (BT-120 text, BT-121 VATEX code).

use crate::domain::FieldErrors;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// Decimal places a tax percentage may have (`8.875`, `5.5`, `19`).
pub const MAX_RATE_DECIMALS: u32 = 4;
/// The longest exemption text accepted.
pub const MAX_EXEMPTION_CHARS: usize = 300;
/// The longest VATEX code accepted (`VATEX-EU-132-1A` is 15).
pub const MAX_VATEX_CHARS: usize = 30;
/// The exemption reason of [`TaxRate::untaxed`].
pub const UNTAXED_REASON: &str = "Not subject to tax";

/// The VAT categories an invoice line can carry, by their EN 16931 codes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
pub enum VatCategory {
    /// `S`: taxed at a standard or reduced rate above zero.
    #[serde(rename = "S")]
    #[strum(serialize = "S")]
    Standard,
    /// `Z`: taxed at a rate of zero (zero-rated goods).
    #[serde(rename = "Z")]
    #[strum(serialize = "Z")]
    ZeroRated,
    /// `E`: exempt from VAT.
    #[serde(rename = "E")]
    #[strum(serialize = "E")]
    Exempt,
    /// `AE`: reverse charge, the buyer accounts for the VAT.
    #[serde(rename = "AE")]
    #[strum(serialize = "AE")]
    ReverseCharge,
    /// `K`: an intra-community supply of goods or services within the EU (VAT exempt).
    #[serde(rename = "K")]
    #[strum(serialize = "K")]
    IntraCommunity,
    /// `G`: an export outside the EU (free export, VAT not charged).
    #[serde(rename = "G")]
    #[strum(serialize = "G")]
    Export,
    /// `O`: services outside the scope of VAT.
    #[serde(rename = "O")]
    #[strum(serialize = "O")]
    OutsideScope,
}

impl VatCategory {
    /// The EN 16931 code (`S`, `AE`, …).
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Whether an invoice must say why the supply is not taxed (BR-E-10, BR-AE-10, BR-IC-10,
    /// BR-G-10, BR-O-10); the standard and zero-rated categories must not (BR-S-10, BR-Z-10).
    pub fn needs_exemption(self) -> bool {
        !matches!(self, VatCategory::Standard | VatCategory::ZeroRated)
    }

    /// Whether the rate is above zero (`S`) or exactly zero (every other category: BR-Z-5,
    /// BR-E-5, BR-AE-5, BR-IC-5, BR-G-5; `O` carries no rate, which is zero here).
    pub fn is_taxed(self) -> bool {
        self == VatCategory::Standard
    }
}

/// Why a supply is not taxed: the text printed on the invoice, and its VATEX code when there
/// is one (`VATEX-EU-AE` for a reverse charge).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Exemption {
    pub reason: String,
    pub code: Option<String>,
}

/// A tax rate as a line carries it: valid by construction (see [`TaxRate::new`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxRate {
    category: VatCategory,
    #[serde(with = "rust_decimal::serde::str")]
    percent: Decimal,
    exemption: Option<Exemption>,
}

impl TaxRate {
    /// Checks `percent` (0 to 100, at most [`MAX_RATE_DECIMALS`] places) against the category's
    /// rules, and the exemption against whether the category needs one. Errors are keyed
    /// `percent`, `category` and `exemption_reason`/`exemption_code`.
    pub fn new(
        category: VatCategory,
        percent: Decimal,
        exemption: Option<Exemption>,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let percent = percent.normalize();
        if percent.is_sign_negative() || percent > Decimal::ONE_HUNDRED {
            errors.add("percent", "must be from 0 to 100");
        } else if percent.scale() > MAX_RATE_DECIMALS {
            errors.add(
                "percent",
                format!("must have at most {MAX_RATE_DECIMALS} decimal places"),
            );
        } else if category.is_taxed() && percent.is_zero() {
            errors.add(
                "percent",
                "must be above 0 for the standard category (S); use Z for a zero rate",
            );
        } else if !category.is_taxed() && !percent.is_zero() {
            errors.add(
                "percent",
                format!("must be 0 for category {}", category.code()),
            );
        }
        let exemption = exemption.and_then(|exemption| {
            let reason = exemption.reason.trim().to_owned();
            let code = exemption
                .code
                .map(|code| code.trim().to_owned())
                .filter(|code| !code.is_empty());
            (!reason.is_empty() || code.is_some()).then_some(Exemption { reason, code })
        });
        match (&exemption, category.needs_exemption()) {
            (None, true) => errors.add(
                "exemption_reason",
                format!(
                    "category {} needs the reason the supply is not taxed",
                    category.code()
                ),
            ),
            (Some(_), false) => errors.add(
                "exemption_reason",
                format!(
                    "category {} is taxed: it takes no exemption reason",
                    category.code()
                ),
            ),
            (Some(exemption), true) => check_exemption(exemption, &mut errors),
            (None, false) => {}
        }
        errors.into_result()?;
        Ok(Self {
            category,
            percent,
            exemption,
        })
    }

    /// The rate of a line that names none: outside the scope of tax (`O`, 0 %). Every line of
    /// a seller who charges no tax (a US business below every sales-tax threshold) carries it,
    /// and so do the lines of invoices made before tax rates existed. Documents word its reason
    /// in their own language; this text is what e-invoices carry (BT-120).
    pub fn untaxed() -> Self {
        Self {
            category: VatCategory::OutsideScope,
            percent: Decimal::ZERO,
            exemption: Some(Exemption {
                reason: UNTAXED_REASON.to_owned(),
                code: None,
            }),
        }
    }

    /// Whether this is [`TaxRate::untaxed`].
    pub fn is_untaxed(&self) -> bool {
        *self == Self::untaxed()
    }

    pub fn category(&self) -> VatCategory {
        self.category
    }

    /// The percentage, normalised (`19`, `8.875`).
    pub fn percent(&self) -> Decimal {
        self.percent
    }

    pub fn exemption(&self) -> Option<&Exemption> {
        self.exemption.as_ref()
    }
}

fn check_exemption(exemption: &Exemption, errors: &mut FieldErrors) {
    if exemption.reason.is_empty() {
        errors.add(
            "exemption_reason",
            "is needed: the invoice prints it in words",
        );
    } else if exemption.reason.chars().count() > MAX_EXEMPTION_CHARS {
        errors.add(
            "exemption_reason",
            format!("must be at most {MAX_EXEMPTION_CHARS} characters"),
        );
    }
    if let Some(code) = &exemption.code {
        let well_formed = code.len() <= MAX_VATEX_CHARS
            && code.strip_prefix("VATEX-").is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            });
        if !well_formed {
            errors.add("exemption_code", "must be a VATEX code such as VATEX-EU-AE");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn percent(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn exemption(reason: &str, code: Option<&str>) -> Option<Exemption> {
        Some(Exemption {
            reason: reason.to_owned(),
            code: code.map(str::to_owned),
        })
    }

    #[test]
    fn codes_are_en_16931s() {
        let codes: Vec<&str> = VatCategory::VARIANTS.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["S", "Z", "E", "AE", "K", "G", "O"]);
        for category in VatCategory::VARIANTS {
            assert_eq!(VatCategory::from_str(category.code()), Ok(*category));
            assert_eq!(
                serde_json::to_value(category).unwrap(),
                serde_json::json!(category.code())
            );
        }
    }

    #[test]
    fn standard_rates_are_above_zero_with_up_to_four_decimals() {
        let rate = TaxRate::new(VatCategory::Standard, percent("8.8750"), None).unwrap();
        assert_eq!(rate.percent().to_string(), "8.875");
        assert!(TaxRate::new(VatCategory::Standard, percent("100"), None).is_ok());
        for bad in ["0", "-1", "100.0001", "19.00001"] {
            let errors = TaxRate::new(VatCategory::Standard, percent(bad), None).unwrap_err();
            assert!(errors.has("percent"), "{bad}: {errors}");
        }
    }

    #[test]
    fn untaxed_categories_are_zero_and_say_why() {
        let reverse = TaxRate::new(
            VatCategory::ReverseCharge,
            Decimal::ZERO,
            exemption("Reverse charge", Some("VATEX-EU-AE")),
        )
        .unwrap();
        assert_eq!(
            reverse.exemption().unwrap().code.as_deref(),
            Some("VATEX-EU-AE")
        );
        for category in [
            VatCategory::Exempt,
            VatCategory::ReverseCharge,
            VatCategory::IntraCommunity,
            VatCategory::Export,
            VatCategory::OutsideScope,
        ] {
            let errors = TaxRate::new(category, Decimal::ZERO, None).unwrap_err();
            assert!(errors.has("exemption_reason"), "{category}");
            let errors =
                TaxRate::new(category, percent("19"), exemption("Exempt", None)).unwrap_err();
            assert!(errors.has("percent"), "{category}");
        }
        assert!(TaxRate::new(VatCategory::ZeroRated, Decimal::ZERO, None).is_ok());
    }

    #[test]
    fn taxed_categories_take_no_exemption_and_codes_are_vatex() {
        let errors = TaxRate::new(
            VatCategory::Standard,
            percent("19"),
            exemption("Exempt", None),
        )
        .unwrap_err();
        assert!(errors.has("exemption_reason"));
        for bad in [
            "AE",
            "vatex-eu-ae",
            "VATEX-",
            "VATEX-EU-AE-AND-MUCH-MORE-THAN-30",
        ] {
            let errors = TaxRate::new(
                VatCategory::ReverseCharge,
                Decimal::ZERO,
                exemption("Reverse charge", Some(bad)),
            )
            .unwrap_err();
            assert!(errors.has("exemption_code"), "{bad}");
        }
        let errors = TaxRate::new(
            VatCategory::Exempt,
            Decimal::ZERO,
            exemption("  ", Some("VATEX-EU-132-1A")),
        )
        .unwrap_err();
        assert!(errors.has("exemption_reason"));
    }
}
