//! `ReconciliationWorkflow`: once a night (a Temporal Schedule the worker keeps), compare
//! Stripe's succeeded payments of the last days with the payments table and record every
//! discrepancy for an administrator (`GET /api/admin/reconciliation`).

use crate::{
    contracts::{ReconcileInput, ReconcileSummary, activity, failures},
    operations,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{ActivityOptions, ApplicationFailure, WorkflowContext, WorkflowResult};

/// The schedule's id for a task queue; one per deployment.
pub fn schedule_id(task_queue: &str) -> String {
    format!("stripe-reconciliation-{task_queue}")
}

/// How far back each run looks. Overlapping windows are on purpose: a discrepancy is recorded
/// once however often it is seen, and a night the schedule missed is covered by the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationInput {
    pub days: u32,
}

#[workflow]
#[derive(Default)]
pub struct ReconciliationWorkflow;

#[workflow_methods]
impl ReconciliationWorkflow {
    #[run]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: ReconciliationInput,
    ) -> WorkflowResult<ReconcileSummary> {
        let until: DateTime<Utc> = ctx
            .workflow_time()
            .map(DateTime::<Utc>::from)
            .ok_or_else(|| ApplicationFailure::new("workflow time is not available"))?;
        let since = until - chrono::Duration::days(i64::from(input.days.max(1)));
        let summary = operations::activity(
            ctx,
            activity::Reconcile,
            ReconcileInput { since, until },
            ActivityOptions::with_start_to_close_timeout(Duration::from_secs(15 * 60))
                .retry_policy(
                    RetryPolicy::builder()
                        .initial_interval(Duration::from_secs(5))
                        .backoff_coefficient(2.0)
                        .maximum_interval(Duration::from_secs(600))
                        .maximum_attempts(10)
                        .non_retryable_error_types([failures::STRIPE_NOT_CONFIGURED])
                        .build(),
                )
                .summary("compare Stripe's payments with ours".to_owned())
                .build(),
        )
        .await?;
        Ok(summary)
    }
}
