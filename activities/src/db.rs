//! The invoice's PostgreSQL writes. Each is idempotent (see `invoicing_store::lifecycle`), so
//! Temporal may retry it after any failure, including a worker that died mid-write.

use crate::failure;
use invoicing_store::lifecycle;
use invoicing_workflows::contracts::{
    ChangeDueDateInput, DeleteDraftInput, MarkOverdueInput, MarkSentInput, MarkVoidInput,
    RecordPaymentInput, ReviseDraftInput, SentInvoice, activity,
};
use sqlx::PgPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};

/// Activities that record the lifecycle in PostgreSQL.
pub struct InvoiceRecords {
    pool: PgPool,
}

impl InvoiceRecords {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[activities]
impl InvoiceRecords {
    #[activity(definition = activity::MarkSent)]
    pub async fn mark_sent(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkSentInput,
    ) -> Result<SentInvoice, ActivityError> {
        lifecycle::mark_sent(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::RecordPayment)]
    pub async fn record_payment(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RecordPaymentInput,
    ) -> Result<(), ActivityError> {
        lifecycle::record_payment(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::MarkOverdue)]
    pub async fn mark_overdue(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkOverdueInput,
    ) -> Result<(), ActivityError> {
        lifecycle::mark_overdue(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::MarkVoid)]
    pub async fn mark_void(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkVoidInput,
    ) -> Result<(), ActivityError> {
        lifecycle::mark_void(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::ChangeDueDate)]
    pub async fn change_due_date(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: ChangeDueDateInput,
    ) -> Result<(), ActivityError> {
        lifecycle::change_due_date(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::ReviseDraft)]
    pub async fn revise_draft(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: ReviseDraftInput,
    ) -> Result<(), ActivityError> {
        lifecycle::revise_draft(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::DeleteDraft)]
    pub async fn delete_draft(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: DeleteDraftInput,
    ) -> Result<(), ActivityError> {
        lifecycle::delete_draft(&self.pool, &input)
            .await
            .map_err(failure::store)
    }
}
