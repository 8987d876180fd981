//! The invoice's PostgreSQL writes. Each is idempotent (see `invoicing_store::transitions`), so
//! Temporal may retry it after any failure, including a worker that died mid-write.

use crate::failure;
use invoicing_platform::invoice_cache::InvoiceCache;
use invoicing_store::StoreError;
use invoicing_store::{credit_notes, customer_credits, transitions, write_offs};
use invoicing_workflows::{
    contracts::{
        ChangeDueDateInput, DeleteDraftInput, IssueCreditNoteInput, IssuedCreditNote,
        LoadCreditBasisInput, MarkOverdueInput, MarkSentInput, MarkUncollectibleInput,
        MarkVoidInput, RecordPaymentInput, ReviseDraftInput, SentInvoice, TakeCreditInput,
        TakenCredit, activity,
    },
    domain::credit::CreditBasis,
};
use sqlx::PgPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};

/// Activities that record the lifecycle in PostgreSQL, and forget the cached invoice after each
/// change (see `invoicing_platform::invoice_cache`).
pub struct InvoiceRecords {
    pool: PgPool,
    cache: InvoiceCache,
}

impl InvoiceRecords {
    pub fn new(pool: PgPool, cache: InvoiceCache) -> Self {
        Self { pool, cache }
    }

    async fn recorded<T>(
        &self,
        invoice_id: uuid::Uuid,
        result: Result<T, StoreError>,
    ) -> Result<T, ActivityError> {
        if result.is_ok() {
            self.cache.invalidate(invoice_id).await;
        }
        result.map_err(failure::store)
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
        let result = transitions::mark_sent(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::RecordPayment)]
    pub async fn record_payment(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RecordPaymentInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::record_payment(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::MarkOverdue)]
    pub async fn mark_overdue(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkOverdueInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::mark_overdue(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::MarkVoid)]
    pub async fn mark_void(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkVoidInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::mark_void(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::MarkUncollectible)]
    pub async fn mark_uncollectible(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: MarkUncollectibleInput,
    ) -> Result<(), ActivityError> {
        let result = write_offs::mark_uncollectible(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    /// A sent invoice's content, for its credit notes (a read: nothing to invalidate).
    #[activity(definition = activity::LoadCreditBasis)]
    pub async fn load_credit_basis(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: LoadCreditBasisInput,
    ) -> Result<CreditBasis, ActivityError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|error| failure::store(error.into()))?;
        credit_notes::basis(&mut conn, input.invoice_id)
            .await
            .map_err(failure::store)
    }

    /// Money out of the customer's credit balance (the invoice row is not touched: nothing to
    /// invalidate).
    #[activity(definition = activity::TakeCredit)]
    pub async fn take_credit(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: TakeCreditInput,
    ) -> Result<TakenCredit, ActivityError> {
        customer_credits::take(&self.pool, &input)
            .await
            .map_err(failure::store)
    }

    #[activity(definition = activity::IssueCreditNote)]
    pub async fn issue_credit_note(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: IssueCreditNoteInput,
    ) -> Result<IssuedCreditNote, ActivityError> {
        let result = credit_notes::issue(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::ChangeDueDate)]
    pub async fn change_due_date(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: ChangeDueDateInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::change_due_date(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::ReviseDraft)]
    pub async fn revise_draft(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: ReviseDraftInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::revise_draft(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }

    #[activity(definition = activity::DeleteDraft)]
    pub async fn delete_draft(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: DeleteDraftInput,
    ) -> Result<(), ActivityError> {
        let result = transitions::delete_draft(&self.pool, &input).await;
        self.recorded(input.invoice_id, result).await
    }
}
