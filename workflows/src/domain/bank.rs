//! The bank accounts a seller is paid into by transfer: an IBAN (with an optional BIC), or a
//! domestic account number with a US routing number or a UK sort code.

use super::{money::Currency, validation::FieldErrors};
use iban::IbanLike;
use serde::{Deserialize, Serialize};

pub const MAX_HOLDER_CHARS: usize = 70;
pub const MAX_BANK_NAME_CHARS: usize = 100;
/// Accounts per seller: enough for one per currency a small business invoices in.
pub const MAX_BANK_ACCOUNTS: usize = 5;

/// A bank account as a client typed it: either `iban` (and optionally `bic`), or
/// `account_number` with exactly one of `routing_number` (US) or `sort_code` (UK).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "holder": "Schmidt Consulting GmbH",
    "bank_name": "Berliner Sparkasse",
    "currency": "EUR",
    "is_default": true,
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX"
})))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccountFields {
    /// The account holder's name, as the bank knows it.
    pub holder: String,
    #[serde(default)]
    pub bank_name: Option<String>,
    /// ISO 4217 code: the account is shown on invoices in this currency. `null`: on any
    /// invoice no account of its own currency claims.
    #[serde(default)]
    pub currency: Option<String>,
    /// The account shown when no account matches the invoice's currency. The first account
    /// is the default whatever this says; making one the default unmarks the others.
    #[serde(default)]
    pub is_default: bool,
    /// ISO 13616, with or without spaces.
    #[serde(default)]
    pub iban: Option<String>,
    /// 8 or 11 characters (ISO 9362); only with an IBAN.
    #[serde(default)]
    pub bic: Option<String>,
    /// A domestic account number, with `routing_number` or `sort_code`.
    #[serde(default)]
    pub account_number: Option<String>,
    /// A US ABA routing transit number: 9 digits.
    #[serde(default)]
    pub routing_number: Option<String>,
    /// A UK sort code: 6 digits (`12-34-56`).
    #[serde(default)]
    pub sort_code: Option<String>,
}

/// How money reaches the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountDetails {
    Iban {
        iban: Iban,
        bic: Option<Bic>,
    },
    /// A US account: number and ABA routing number.
    UsDomestic {
        account_number: String,
        routing_number: String,
    },
    /// A UK account: number and sort code (6 digits, stored without dashes).
    UkDomestic {
        account_number: String,
        sort_code: String,
    },
}

/// A bank account that meets the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankAccount {
    pub holder: String,
    pub bank_name: Option<String>,
    pub currency: Option<Currency>,
    pub is_default: bool,
    pub details: AccountDetails,
}

/// An IBAN whose checksum and national format hold, kept in its electronic form (upper case,
/// no spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iban(String);

impl Iban {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        match compact.parse::<iban::Iban>() {
            Ok(iban) => Ok(Self(iban.electronic_str().to_owned())),
            Err(iban::ParseIbanError::InvalidBaseIban {
                source: iban::ParseBaseIbanError::InvalidChecksum,
            }) => Err("is not a valid IBAN: its check digits do not match (a typo?)".to_owned()),
            Err(iban::ParseIbanError::InvalidBban(_)) => Err(format!(
                "is not a valid IBAN: the account part does not have {}'s format",
                compact.get(..2).unwrap_or_default()
            )),
            Err(iban::ParseIbanError::UnknownCountry(_)) => Err(format!(
                "is not a valid IBAN: '{}' is not a country that uses IBANs",
                compact.get(..2).unwrap_or_default()
            )),
            Err(iban::ParseIbanError::InvalidBaseIban { .. }) => Err(
                "is not an IBAN: two letters, two check digits and up to 30 letters or digits"
                    .to_owned(),
            ),
        }
    }

    /// Upper case, no spaces: what payment files and QR codes carry.
    pub fn electronic(&self) -> &str {
        &self.0
    }

    /// In groups of four, as printed on paper (ISO 13616's paper format).
    pub fn printed(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

/// A BIC (ISO 9362): bank code (4 letters), country (2 letters), location (2 letters or
/// digits) and optionally a branch (3 letters or digits); upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bic(String);

impl Bic {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bic: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = bic.as_bytes();
        let valid = matches!(bytes.len(), 8 | 11)
            && bytes[..6].iter().all(u8::is_ascii_uppercase)
            && bytes[6..].iter().all(u8::is_ascii_alphanumeric)
            && celes::Country::from_alpha2(&bic[4..6]).is_ok();
        if valid {
            Ok(Self(bic))
        } else {
            Err(
                "is not a BIC: 8 or 11 letters and digits (bank, country, location, branch; \
                 e.g. COBADEFFXXX)"
                    .to_owned(),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A US ABA routing transit number: 9 digits whose weighted sum (3, 7, 1, ...) is a multiple
/// of 10 (<https://www.aba.com/about-us/routing-number>).
pub fn check_routing_number(raw: &str) -> Result<String, String> {
    let digits: Vec<u32> = raw.trim().chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || raw.trim().chars().any(|c| !c.is_ascii_digit()) {
        return Err("must be a US routing number: 9 digits".to_owned());
    }
    let sum: u32 = digits
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(digit, weight)| digit * weight)
        .sum();
    if !sum.is_multiple_of(10) {
        return Err("is not a valid US routing number: its check digit does not match".to_owned());
    }
    Ok(digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect())
}

/// A UK sort code: 6 digits, typed with or without dashes or spaces; kept as the digits.
pub fn check_sort_code(raw: &str) -> Result<String, String> {
    let compact: String = raw.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err("must be a UK sort code: 6 digits (e.g. 12-34-56)".to_owned())
    }
}

/// `12-34-56`, as UK sort codes are printed.
pub fn printed_sort_code(sort_code: &str) -> String {
    sort_code
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

impl BankAccount {
    /// Checks every field and reports every problem at once, by field name.
    pub fn parse(fields: BankAccountFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let holder = fields.holder.trim().to_owned();
        if holder.is_empty() {
            errors.add("holder", "must not be empty");
        } else if holder.chars().count() > MAX_HOLDER_CHARS {
            errors.add(
                "holder",
                format!("must be at most {MAX_HOLDER_CHARS} characters"),
            );
        }
        let bank_name = present(fields.bank_name);
        if bank_name
            .as_ref()
            .is_some_and(|name| name.chars().count() > MAX_BANK_NAME_CHARS)
        {
            errors.add(
                "bank_name",
                format!("must be at most {MAX_BANK_NAME_CHARS} characters"),
            );
        }
        let currency = present(fields.currency).and_then(|code| {
            Currency::parse(&code)
                .map_err(|error| errors.add("currency", error.to_string()))
                .ok()
        });
        let details = details(
            present(fields.iban),
            present(fields.bic),
            present(fields.account_number),
            present(fields.routing_number),
            present(fields.sort_code),
            &mut errors,
        );
        errors.into_result()?;
        Ok(Self {
            holder,
            bank_name,
            currency,
            is_default: fields.is_default,
            details: details.expect("no errors, so the details were read"),
        })
    }

    pub fn into_fields(self) -> BankAccountFields {
        let mut fields = BankAccountFields {
            holder: self.holder,
            bank_name: self.bank_name,
            currency: self.currency.map(|c| c.code().to_owned()),
            is_default: self.is_default,
            ..BankAccountFields::default()
        };
        match self.details {
            AccountDetails::Iban { iban, bic } => {
                fields.iban = Some(iban.0);
                fields.bic = bic.map(|bic| bic.0);
            }
            AccountDetails::UsDomestic {
                account_number,
                routing_number,
            } => {
                fields.account_number = Some(account_number);
                fields.routing_number = Some(routing_number);
            }
            AccountDetails::UkDomestic {
                account_number,
                sort_code,
            } => {
                fields.account_number = Some(account_number);
                fields.sort_code = Some(sort_code);
            }
        }
        fields
    }
}

fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn details(
    iban: Option<String>,
    bic: Option<String>,
    account_number: Option<String>,
    routing_number: Option<String>,
    sort_code: Option<String>,
    errors: &mut FieldErrors,
) -> Option<AccountDetails> {
    match (iban, account_number) {
        (Some(_), Some(_)) => {
            errors.add(
                "account_number",
                "give either an IBAN or a domestic account number, not both",
            );
            None
        }
        (None, None) => {
            errors.add(
                "iban",
                "give an IBAN, or an account number with a routing number or sort code",
            );
            None
        }
        (Some(iban), None) => {
            for (field, value) in [
                ("routing_number", &routing_number),
                ("sort_code", &sort_code),
            ] {
                if value.is_some() {
                    errors.add(field, "only with a domestic account number, not an IBAN");
                }
            }
            let iban = Iban::parse(&iban).map_err(|m| errors.add("iban", m)).ok();
            let bic = match bic.map(|bic| Bic::parse(&bic)) {
                Some(Ok(bic)) => Some(bic),
                Some(Err(message)) => {
                    errors.add("bic", message);
                    None
                }
                None => None,
            };
            Some(AccountDetails::Iban { iban: iban?, bic })
        }
        (None, Some(account_number)) => {
            if bic.is_some() {
                errors.add("bic", "only with an IBAN");
            }
            match (routing_number, sort_code) {
                (Some(routing), None) => {
                    let routing = check_routing_number(&routing)
                        .map_err(|m| errors.add("routing_number", m))
                        .ok();
                    let number = account_digits(&account_number, 4..=17)
                        .map_err(|m| errors.add("account_number", m))
                        .ok();
                    Some(AccountDetails::UsDomestic {
                        account_number: number?,
                        routing_number: routing?,
                    })
                }
                (None, Some(sort_code)) => {
                    let sort_code = check_sort_code(&sort_code)
                        .map_err(|m| errors.add("sort_code", m))
                        .ok();
                    let number = account_digits(&account_number, 8..=8)
                        .map_err(|m| errors.add("account_number", m))
                        .ok();
                    Some(AccountDetails::UkDomestic {
                        account_number: number?,
                        sort_code: sort_code?,
                    })
                }
                (Some(_), Some(_)) => {
                    errors.add(
                        "sort_code",
                        "give a routing number (US) or a sort code (UK), not both",
                    );
                    None
                }
                (None, None) => {
                    errors.add(
                        "routing_number",
                        "a domestic account needs a routing number (US) or a sort code (UK)",
                    );
                    None
                }
            }
        }
    }
}

/// A domestic account number: digits only, spaces and dashes dropped.
fn account_digits(raw: &str, lengths: std::ops::RangeInclusive<usize>) -> Result<String, String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.bytes().all(|b| b.is_ascii_digit()) && lengths.contains(&digits.len()) {
        Ok(digits)
    } else if lengths.start() == lengths.end() {
        Err(format!("must be {} digits", lengths.start()))
    } else {
        Err(format!(
            "must be {} to {} digits",
            lengths.start(),
            lengths.end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iban_account(iban: &str, bic: Option<&str>) -> BankAccountFields {
        BankAccountFields {
            holder: " Schmidt Consulting GmbH ".into(),
            iban: Some(iban.into()),
            bic: bic.map(Into::into),
            ..BankAccountFields::default()
        }
    }

    #[test]
    fn an_iban_is_checked_kept_compact_and_printed_in_fours() {
        let account = BankAccount::parse(iban_account(
            "de89 3704 0044 0532 0130 00",
            Some("cobadeffxxx"),
        ))
        .unwrap();
        assert_eq!(account.holder, "Schmidt Consulting GmbH");
        let AccountDetails::Iban { iban, bic } = &account.details else {
            panic!("an IBAN account");
        };
        assert_eq!(iban.electronic(), "DE89370400440532013000");
        assert_eq!(iban.printed(), "DE89 3704 0044 0532 0130 00");
        assert_eq!(iban.country(), "DE");
        assert_eq!(bic.as_ref().unwrap().as_str(), "COBADEFFXXX");
        let fields = account.into_fields();
        assert_eq!(fields.iban.as_deref(), Some("DE89370400440532013000"));
    }

    #[test]
    fn a_wrong_iban_says_why() {
        let wrong_checksum = BankAccount::parse(iban_account("DE88370400440532013000", None));
        let errors = wrong_checksum.unwrap_err();
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["iban"]);
        assert!(errors.to_string().contains("check digits"), "{errors}");
        // The checksum holds (mod 97) but Germany's account part is 18 digits.
        let short = BankAccount::parse(iban_account("DE5937040044053201300", None)).unwrap_err();
        assert!(short.has("iban"), "{short}");
        assert!(
            BankAccount::parse(iban_account("hello", None))
                .unwrap_err()
                .has("iban")
        );
        let bad_bic = BankAccount::parse(iban_account("GB82WEST12345698765432", Some("WEST1")));
        assert!(bad_bic.unwrap_err().has("bic"));
        assert!(Bic::parse("NWBKGB2L").is_ok());
        assert!(Bic::parse("NWBKXX2L").is_err(), "no country XX");
    }

    #[test]
    fn domestic_accounts_need_their_routing_code() {
        let us = BankAccount::parse(BankAccountFields {
            holder: "Acme LLC".into(),
            account_number: Some("000123456789".into()),
            routing_number: Some("021000021".into()),
            currency: Some("usd".into()),
            ..BankAccountFields::default()
        })
        .unwrap();
        assert_eq!(us.currency.unwrap().code(), "USD");
        assert!(matches!(us.details, AccountDetails::UsDomestic { .. }));
        assert_eq!(
            check_routing_number("021000022").unwrap_err(),
            "is not a valid US routing number: its check digit does not match"
        );
        assert!(check_routing_number("02100002").is_err());
        assert!(check_routing_number("02100002a").is_err());
        let uk = BankAccount::parse(BankAccountFields {
            holder: "Ann's Studio Ltd".into(),
            account_number: Some("31926819".into()),
            sort_code: Some("60-16-13".into()),
            ..BankAccountFields::default()
        })
        .unwrap();
        let AccountDetails::UkDomestic { sort_code, .. } = &uk.details else {
            panic!("a UK account");
        };
        assert_eq!(printed_sort_code(sort_code), "60-16-13");
        let neither = BankAccount::parse(BankAccountFields {
            holder: "X".into(),
            account_number: Some("123".into()),
            ..BankAccountFields::default()
        })
        .unwrap_err();
        assert!(neither.has("routing_number"));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let errors = BankAccount::parse(BankAccountFields {
            holder: " ".into(),
            currency: Some("XYZ".into()),
            iban: Some("DE89370400440532013000".into()),
            account_number: Some("1".into()),
            ..BankAccountFields::default()
        })
        .unwrap_err();
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            ["account_number", "currency", "holder"]
        );
        let errors = BankAccount::parse(BankAccountFields {
            holder: "Acme".into(),
            ..BankAccountFields::default()
        })
        .unwrap_err();
        assert!(errors.has("iban"));
    }
}
