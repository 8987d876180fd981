//! `StatementWorkflow`: a customer's statement of account as a PDF, and when asked, e-mailed to
//! the customer. One short run per statement, started by the API (which waits for its result):
//! render and store the PDF (`statement.render`), then e-mail it and record that it went
//! (`statement.email`). PDFs, S3 and SES are side effects, so they are activities here as they
//! are for invoices; the e-mail's record keeps a retried activity from sending it twice.

use crate::{
    contracts::{
        EmailStatementInput, RenderStatementInput, RenderedStatement, StatementEmailOutcome,
        activity, failures,
    },
    operations,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{ActivityOptions, ApplicationFailure, WorkflowContext, WorkflowResult};
use uuid::Uuid;

/// The workflow id of statement `statement_id`: `statement-{uuid}`. The API makes the id fresh
/// for each request, or derives it from the request's `Idempotency-Key`, so a retried request
/// reaches the same statement.
pub fn statement_workflow_id(statement_id: Uuid) -> String {
    format!("statement-{statement_id}")
}

/// Which statement, and whether it is e-mailed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRequest {
    pub statement_id: Uuid,
    pub account_id: Uuid,
    pub customer_id: Uuid,
    /// The first and last day (UTC), both included; the API has checked the span.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// E-mail it to the customer (and record that it was sent).
    pub email: bool,
}

/// The stored statement and, when it was e-mailed, what became of the e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementOutcome {
    pub document: RenderedStatement,
    pub email: Option<StatementEmailOutcome>,
}

#[workflow]
#[derive(Default)]
pub struct StatementWorkflow;

#[workflow_methods]
impl StatementWorkflow {
    #[run]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        request: StatementRequest,
    ) -> WorkflowResult<StatementOutcome> {
        let now: DateTime<Utc> = ctx
            .workflow_time()
            .map(DateTime::<Utc>::from)
            .ok_or_else(|| ApplicationFailure::new("workflow time is not available"))?;
        let document = operations::activity(
            ctx,
            activity::RenderStatement,
            RenderStatementInput {
                statement_id: request.statement_id,
                account_id: request.account_id,
                customer_id: request.customer_id,
                from: request.from,
                to: request.to,
                made_at: now,
                kept: request.email,
            },
            options(
                Duration::from_secs(120),
                "render and store the statement's PDF",
            ),
        )
        .await?;
        if !request.email {
            return Ok(StatementOutcome {
                document,
                email: None,
            });
        }
        let email = operations::activity(
            ctx,
            activity::EmailStatement,
            EmailStatementInput {
                statement_id: request.statement_id,
                account_id: request.account_id,
                customer_id: request.customer_id,
                from: request.from,
                to: request.to,
                document: document.clone(),
                requested_at: now,
            },
            options(
                Duration::from_secs(60),
                "e-mail the statement to the customer",
            ),
        )
        .await?;
        Ok(StatementOutcome {
            document,
            email: Some(email),
        })
    }
}

/// IO is retried with backoff for as long as the run may last (the API sets its execution
/// timeout); what no retry can fix fails the run at once.
fn options(start_to_close: Duration, summary: &str) -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(start_to_close)
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(500))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(10))
                .non_retryable_error_types([
                    failures::CUSTOMER_NOT_FOUND,
                    failures::NO_RECIPIENT,
                    failures::INVOICE_STATE_INVALID,
                    failures::RENDER_FAILED,
                    failures::TEMPLATE_FAILED,
                ])
                .build(),
        )
        .summary(summary.to_owned())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_workflow_is_named_by_its_statement() {
        let id = Uuid::from_u128(7);
        assert_eq!(statement_workflow_id(id), format!("statement-{id}"));
    }
}
