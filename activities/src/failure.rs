//! How activity errors reach Temporal: a business failure that retrying cannot fix is
//! non-retryable, with a type name from `invoicing_workflows::contracts::failures` (the names
//! the workflows' retry policies know); IO is retried.

use invoicing_store::StoreError;
use invoicing_workflows::contracts::failures;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::activities::ActivityError;

/// A store error: a missing invoice or a row in an impossible state will not heal by retrying
/// (the operator sees the failure in the Temporal UI); anything else is IO and is retried.
pub fn store(error: StoreError) -> ActivityError {
    let type_name = match &error {
        StoreError::NotFound(_) => failures::INVOICE_NOT_FOUND,
        StoreError::Corrupt(_) => failures::INVOICE_STATE_INVALID,
        StoreError::Conflict { .. } | StoreError::Database(_) => {
            return retry(error.into());
        }
    };
    permanent(type_name, error.into())
}

/// A failure worth retrying: logged, and Temporal tries again with backoff.
pub fn retry(error: anyhow::Error) -> ActivityError {
    tracing::warn!(
        error = format!("{error:#}"),
        "activity failed; Temporal will retry"
    );
    ActivityError::from(error)
}

/// A failure no retry can fix.
pub fn permanent(type_name: &str, error: anyhow::Error) -> ActivityError {
    tracing::error!(
        error = format!("{error:#}"),
        type_name,
        "activity cannot succeed"
    );
    ActivityError::application(
        ApplicationFailure::builder(error)
            .type_name(type_name.to_owned())
            .non_retryable(true)
            .build(),
    )
}
