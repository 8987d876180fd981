//! A customer's statement of account as a document: rendered to PDF in the customer's language
//! and stored, then, when asked, e-mailed to the customer and recorded (`StatementWorkflow`).
//! The payloads carry ids and the PDF's key, never the statement itself: a ten-year statement
//! may run to thousands of lines, and the history stays small.

use crate::domain::{Currency, Language};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// Where statement `statement_id` of a customer is stored in the documents bucket: under
/// `statements/` when it is `kept` (it was e-mailed, and its record names it), else under
/// `statement-downloads/`, which the bucket's lifecycle expires after a day (a download is
/// streamed once; the customer's statement is made again whenever it is asked for).
pub fn statement_key(customer_id: Uuid, statement_id: Uuid, kept: bool) -> String {
    let prefix = if kept {
        "statements"
    } else {
        "statement-downloads"
    };
    format!("{prefix}/{customer_id}/{statement_id}.pdf")
}

/// Render the customer's statement from `from` to `to` (both included, UTC days) as it stands
/// now and store it at [`statement_key`]; a retry renders and stores it again, to the same key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderStatementInput {
    pub statement_id: Uuid,
    pub account_id: Uuid,
    pub customer_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The statement's date, printed on it: when the workflow started.
    pub made_at: DateTime<Utc>,
    /// Whether it is kept (it is to be e-mailed); see [`statement_key`].
    pub kept: bool,
}

/// A stored statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedStatement {
    pub key: String,
    /// What the file is called for the customer, in their language
    /// (`statement-2026-01-01-to-2026-03-31.pdf`, `Kontoauszug-2026-01-01-bis-2026-03-31.pdf`).
    pub file_name: String,
    /// The language it is written in: the customer's.
    pub language: Language,
    pub size_bytes: u64,
    /// What the customer owed at the end of the period, per currency, as the PDF says it (the
    /// e-mail repeats it).
    pub balances: Vec<ClosingBalance>,
}

/// What the customer owed in one currency at the end of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingBalance {
    pub currency: Currency,
    pub amount: i64,
}

/// E-mail the stored statement to the customer and record that it was sent, once per
/// `statement_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailStatementInput {
    pub statement_id: Uuid,
    pub account_id: Uuid,
    pub customer_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub document: RenderedStatement,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
}

/// What became of a statement's e-mail. A refusal no retry can fix (a rejected address, an
/// unverified sender) is an outcome, recorded like a sent e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StatementEmailOutcome {
    Sent { message_id: String },
    Refused { reason: String },
}

/// Statements of account. Implemented by `invoicing_activities`.
pub struct StatementActivities;

#[activity_definitions]
impl StatementActivities {
    #[activity(name = "statement.render")]
    pub fn render_statement(
        input: RenderStatementInput,
    ) -> Result<RenderedStatement, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "statement.email")]
    pub fn email_statement(
        input: EmailStatementInput,
    ) -> Result<StatementEmailOutcome, ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::statement_activities::*;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_stored_under_its_customer() {
        let (customer, statement) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            statement_key(customer, statement, true),
            format!("statements/{customer}/{statement}.pdf")
        );
        assert_eq!(
            statement_key(customer, statement, false),
            format!("statement-downloads/{customer}/{statement}.pdf")
        );
    }
}
