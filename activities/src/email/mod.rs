//! E-mail to clients through SES v2: letters written from templates, sent as MIME messages
//! with the PDF (and the XML e-invoice) attached where there is one; the statement of account's
//! letter (`statements`) with its PDF.

mod letters;
mod sending;
mod statements;

pub use letters::{Attachment, Letter, Letters, Seller};
pub use sending::{Delivery, Mailer};
pub use statements::StatementLetter;

use serde::Deserialize;

/// `APP_EMAIL__*`.
#[derive(Clone, Debug, Deserialize)]
pub struct EmailSettings {
    /// `APP_EMAIL__FROM_ADDRESS`: the verified SES identity e-mails are sent from.
    pub from_address: String,
    /// `APP_EMAIL__FROM_NAME`: shown after the seller's name ("Northwind via Invoicing").
    pub from_name: String,
    /// `APP_EMAIL__ENDPOINT_URL`: an SES endpoint of its own, overriding `APP_AWS__ENDPOINT_URL`.
    #[serde(
        default,
        deserialize_with = "invoicing_platform::config::empty_is_none"
    )]
    pub endpoint_url: Option<String>,
}

/// Defaults for [`EmailSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("email.from_address", "billing@invoicing.local"),
    ("email.from_name", "Invoicing"),
];
