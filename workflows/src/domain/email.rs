//! E-mail addresses, checked once at the boundary.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest address SMTP can carry (RFC 5321 §4.5.3.1.3: a 256-octet path less the angle brackets).
pub const MAX_LEN: usize = 254;

/// A syntactically valid e-mail address (RFC 5322 addr-spec), trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a valid e-mail address")]
pub struct InvalidEmail(pub String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let trimmed = raw.trim();
        let options = email_address::Options::default()
            .without_display_text()
            .without_domain_literal();
        let valid = trimmed.len() <= MAX_LEN
            && email_address::EmailAddress::parse_with_options(trimmed, options).is_ok()
            // A bare host ("ann@localhost") is legal syntax but never a client's address.
            && trimmed.rsplit_once('@').is_some_and(|(_, domain)| {
                domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            });
        if valid {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(InvalidEmail(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_trims_them() {
        assert_eq!(
            Email::parse(" ann.lee+billing@example.co.uk ")
                .unwrap()
                .as_str(),
            "ann.lee+billing@example.co.uk"
        );
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for raw in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@localhost",
            "ann@@example.com",
            "Ann <ann@example.com>",
            "ann@[127.0.0.1]",
            "ann@example.com.",
            "ann smith@example.com",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
