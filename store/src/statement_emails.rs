//! Statements of account e-mailed to customers (`statement_emails`): the record the books keep
//! of each (who, when, which period, to whom, the PDF's key), and SES's answer. The activity
//! that sends one records its attempt before calling SES and the answer after, so a retried
//! activity never sends an answered statement twice.

use crate::{StoreError, invoices::PageKey};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::domain::Language;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A statement e-mail about to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStatementEmail<'a> {
    /// The statement's id (its workflow's).
    pub id: Uuid,
    pub user_id: Uuid,
    pub customer_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub recipient: &'a str,
    pub cc: &'a [String],
    pub language: Language,
    pub storage_key: &'a str,
    pub requested_at: DateTime<Utc>,
}

/// What became of a statement e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// SES has not answered (yet): being sent, or its worker died around the call.
    Pending {
        /// Why the last call failed, when it did (then it was not sent).
        failure: Option<String>,
    },
    Accepted {
        message_id: String,
        at: DateTime<Utc>,
    },
    /// Refused for good (a rejected address or sender).
    Refused { reason: String, at: DateTime<Utc> },
}

/// A statement e-mail as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementEmail {
    pub id: Uuid,
    pub user_id: Uuid,
    pub customer_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub recipient: String,
    pub cc: Vec<String>,
    pub language: Language,
    pub storage_key: String,
    pub requested_at: DateTime<Utc>,
    /// Calls to SES so far.
    pub attempts: i32,
    pub delivery: Delivery,
}

impl StatementEmail {
    /// Whether an attempt may have reached SES without its answer being recorded (its worker
    /// died around the call): sending again may send it twice.
    pub fn possibly_sent(&self) -> bool {
        self.attempts > 0 && self.delivery == Delivery::Pending { failure: None }
    }
}

struct Row {
    id: Uuid,
    user_id: Uuid,
    customer_id: Uuid,
    period_from: NaiveDate,
    period_to: NaiveDate,
    recipient: String,
    cc: Vec<String>,
    language: String,
    storage_key: String,
    requested_at: DateTime<Utc>,
    attempts: i32,
    message_id: Option<String>,
    refusal: Option<String>,
    failure: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

impl TryFrom<Row> for StatementEmail {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self, StoreError> {
        let delivery = match (row.message_id, row.refusal, row.answered_at) {
            (Some(message_id), _, Some(at)) => Delivery::Accepted { message_id, at },
            (None, Some(reason), Some(at)) => Delivery::Refused { reason, at },
            _ => Delivery::Pending {
                failure: row.failure,
            },
        };
        Ok(StatementEmail {
            id: row.id,
            user_id: row.user_id,
            customer_id: row.customer_id,
            from: row.period_from,
            to: row.period_to,
            recipient: row.recipient,
            cc: row.cc,
            language: row.language.parse().map_err(StoreError::corrupt)?,
            storage_key: row.storage_key,
            requested_at: row.requested_at,
            attempts: row.attempts,
            delivery,
        })
    }
}

/// The statement e-mail `id`, if it was started.
#[tracing::instrument(skip_all, fields(statement_id = %id))]
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<StatementEmail>, StoreError> {
    let row = sqlx::query_as!(
        Row,
        r#"
        SELECT id, user_id, customer_id, period_from, period_to, recipient, cc, language,
               storage_key, requested_at, attempts, message_id, refusal, failure, answered_at
        FROM statement_emails
        WHERE id = $1
        "#,
        id,
    )
    .fetch_optional(db)
    .await?;
    row.map(StatementEmail::try_from).transpose()
}

/// Records that the e-mail is about to go to SES (another attempt, for one started before):
/// the failure of the attempt before is cleared. An answered e-mail is left as it is.
#[tracing::instrument(skip_all, fields(statement_id = %email.id))]
pub async fn begin_attempt(
    db: impl PgExecutor<'_>,
    email: &NewStatementEmail<'_>,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO statement_emails (id, user_id, customer_id, period_from, period_to,
                                      recipient, cc, language, storage_key, requested_at,
                                      attempts)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
        ON CONFLICT (id) DO UPDATE
            SET attempts = statement_emails.attempts + 1, failure = NULL
            WHERE statement_emails.answered_at IS NULL
        "#,
        email.id,
        email.user_id,
        email.customer_id,
        email.from,
        email.to,
        email.recipient,
        email.cc,
        email.language.tag(),
        email.storage_key,
        email.requested_at,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// SES's answer to the latest attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    Accepted {
        message_id: &'a str,
    },
    Refused {
        reason: &'a str,
    },
    /// The call failed: not sent, to be tried again.
    Failed {
        error: &'a str,
    },
}

/// Records SES's answer. An e-mail answered already keeps its first answer.
#[tracing::instrument(skip_all, fields(statement_id = %id))]
pub async fn answer(
    db: impl PgExecutor<'_>,
    id: Uuid,
    answer: Answer<'_>,
) -> Result<(), StoreError> {
    let (message_id, refusal, failure) = match answer {
        Answer::Accepted { message_id } => (Some(message_id), None, None),
        Answer::Refused { reason } => (None, Some(reason), None),
        Answer::Failed { error } => (None, None, Some(error)),
    };
    sqlx::query!(
        r#"
        UPDATE statement_emails
           SET message_id = $2, refusal = $3, failure = $4,
               answered_at = CASE WHEN $4::text IS NULL THEN now() END
         WHERE id = $1 AND answered_at IS NULL
        "#,
        id,
        message_id,
        refusal,
        failure,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The customer's statement e-mails, newest first, after `after`; at most `limit`.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %customer_id))]
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    customer_id: Uuid,
    after: Option<PageKey>,
    limit: i64,
) -> Result<Vec<StatementEmail>, StoreError> {
    let rows = sqlx::query_as!(
        Row,
        r#"
        SELECT id, user_id, customer_id, period_from, period_to, recipient, cc, language,
               storage_key, requested_at, attempts, message_id, refusal, failure, answered_at
        FROM statement_emails
        WHERE user_id = $1 AND customer_id = $2
          AND ($3::timestamptz IS NULL OR (requested_at, id) < ($3, $4))
        ORDER BY requested_at DESC, id DESC
        LIMIT $5
        "#,
        user_id,
        customer_id,
        after.map(|key| key.created_at),
        after.map(|key| key.id),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(StatementEmail::try_from).collect()
}
