//! `invoicing_activity_outcomes_total{activity_type, outcome}`: how each activity ended, on the
//! worker's metrics page beside the SDK's own metrics.
//!
//! The SDK counts executions and failures; it cannot tell a failure Temporal will retry (an AWS
//! hiccup) from one no retry can fix (an invoice in an impossible state), nor an e-mail SES
//! accepted from one it refused. Those are what an operator pages on, so an activity
//! interceptor records them for every activity, new ones included.

use futures::future::BoxFuture;
use invoicing_workflows::contracts::{Delivered, EmailOutcome};
use std::sync::Arc;
use temporalio_common::telemetry::metrics::{
    CoreMeter, Counter, MetricKeyValue, MetricParameters, NewAttributes,
};
use temporalio_sdk::{
    activities::ActivityError,
    interceptors::{
        ActivityInboundInterceptor, ExecuteActivityInput, ExecuteActivityOutput,
        ExecuteActivityResult, Next,
    },
};

/// Counts activity outcomes on the meter of the worker's Prometheus exporter.
pub struct ActivityOutcomes {
    meter: Arc<dyn CoreMeter>,
    counter: Counter,
}

impl ActivityOutcomes {
    pub fn new(meter: Arc<dyn CoreMeter>) -> Self {
        let counter = meter.counter(
            MetricParameters::builder()
                .name("invoicing_activity_outcomes")
                .description(
                    "Activity executions by how they ended: completed, retrying (Temporal tries \
                     again), failed (no retry can fix it), cancelled; e-mails as sent, refused \
                     or skipped. A delivery also counts each of its e-mails, and each step it \
                     dropped (no retry could fix it).",
                )
                .build(),
        );
        Self { meter, counter }
    }

    fn record(&self, activity_type: String, outcome: &'static str) {
        let attributes = self.meter.new_attributes(NewAttributes::from([
            MetricKeyValue::new("activity_type", activity_type),
            MetricKeyValue::new("outcome", outcome),
        ]));
        self.counter.add(1, &attributes);
    }
}

impl ActivityInboundInterceptor for ActivityOutcomes {
    fn execute_activity<'a>(
        &'a self,
        input: ExecuteActivityInput,
        next: Next<'a, ExecuteActivityInput, ExecuteActivityOutput<'a>>,
    ) -> ExecuteActivityOutput<'a> {
        let activity_type = input.activity_info().activity_type.clone();
        Box::pin(async move {
            let result = next.run(input).await;
            self.record(activity_type.clone(), outcome(&result));
            if let Ok(value) = &result
                && let Some(delivered) = value.downcast_ref::<Delivered>()
            {
                for step in steps(delivered) {
                    self.record(activity_type.clone(), step);
                }
            }
            result
        }) as BoxFuture<'a, ExecuteActivityResult>
    }
}

/// How an execution ended, as a label with a small, fixed set of values.
fn outcome(result: &ExecuteActivityResult) -> &'static str {
    match result {
        Ok(value) => value
            .downcast_ref::<EmailOutcome>()
            .map_or("completed", email_outcome),
        Err(ActivityError::Application(failure)) if failure.is_non_retryable() => "failed",
        Err(ActivityError::Cancelled { .. }) => "cancelled",
        Err(ActivityError::WillCompleteAsync) => "completing_elsewhere",
        Err(ActivityError::Application(_)) => "retrying",
        // The enum is non-exhaustive: a kind of ending this code does not know yet.
        Err(_) => "other",
    }
}

fn email_outcome(email: &EmailOutcome) -> &'static str {
    match email {
        EmailOutcome::Sent { .. } => "email_sent",
        EmailOutcome::Refused { .. } => "email_refused",
        EmailOutcome::Skipped { .. } => "email_skipped",
    }
}

/// What a delivery did besides completing: its e-mails, and the steps it dropped.
fn steps(delivered: &Delivered) -> impl Iterator<Item = &'static str> + '_ {
    let dropped = delivered.dropped.iter().map(|_| "step_dropped");
    delivered.emails.iter().map(email_outcome).chain(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicing_workflows::contracts::{DroppedStep, failures};
    use temporalio_common::error::ApplicationFailure;

    #[test]
    fn outcomes_tell_retries_from_permanent_failures_and_name_e_mail_results() {
        let ok = |value: EmailOutcome| -> ExecuteActivityResult { Ok(Box::new(value)) };
        let reason = || "address on the suppression list".to_owned();
        assert_eq!(
            outcome(&ok(EmailOutcome::Sent {
                message_id: "m".to_owned()
            })),
            "email_sent"
        );
        assert_eq!(
            outcome(&ok(EmailOutcome::Refused { reason: reason() })),
            "email_refused"
        );
        assert_eq!(
            outcome(&ok(EmailOutcome::Skipped { reason: reason() })),
            "email_skipped"
        );
        assert_eq!(outcome(&Ok(Box::new(()))), "completed");
        let retry = ActivityError::from(anyhow::anyhow!("S3 timed out"));
        assert_eq!(outcome(&Err(retry)), "retrying");
        let permanent = ActivityError::application(ApplicationFailure::non_retryable(
            anyhow::anyhow!("no such invoice"),
        ));
        assert_eq!(outcome(&Err(permanent)), "failed");
        assert_eq!(outcome(&Err(ActivityError::cancelled())), "cancelled");
    }

    #[test]
    fn a_delivery_counts_its_e_mails_and_dropped_steps() {
        let delivered = Delivered {
            rendered: vec![1],
            emails: vec![
                EmailOutcome::Sent {
                    message_id: "m".to_owned(),
                },
                EmailOutcome::Refused {
                    reason: "bounced".to_owned(),
                },
            ],
            dropped: vec![DroppedStep {
                step: "publish_event".to_owned(),
                failure: failures::INVOICE_NOT_FOUND.to_owned(),
                message: "no such invoice".to_owned(),
            }],
        };
        assert_eq!(
            steps(&delivered).collect::<Vec<_>>(),
            ["email_sent", "email_refused", "step_dropped"]
        );
        assert_eq!(outcome(&Ok(Box::new(delivered))), "completed");
        assert_eq!(steps(&Delivered::default()).count(), 0);
    }
}
