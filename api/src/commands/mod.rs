//! The one path of every change to an invoice: load it with an access check, run the command
//! as an Update to the invoice's workflow (restarting a workflow that was lost), and answer the
//! invoice as stored once the workflow has recorded the change (read-your-writes). Handlers
//! parse their input and call one function here; `temporal` is the Temporal client side.

mod temporal;

pub use temporal::{Command, CommandError, WorkflowClient};

use crate::{
    auth::AuthUser,
    error::ApiError,
    idempotency::RequestKey,
    state::AppState,
    views::{self, InvoiceJson},
};
use invoicing_store::{
    credit_notes,
    invoices::{self, Invoice, InvoiceSummary},
    payments::{self, Payment},
};
use invoicing_workflows::{
    InvoiceWorkflowInput,
    contracts::{Checkout, PaymentRequest},
    domain::{Action, InvoiceStatus},
};
use uuid::Uuid;

/// What the caller wants to do with an invoice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Change,
    /// Only the owner, not even an administrator (the invoice's documents).
    Own,
}

/// The invoice, if the caller may access it this way. Someone else's invoice is "not found",
/// so its existence is not revealed; an admin may read every invoice but change only their own.
pub async fn load(
    state: &AppState,
    caller: AuthUser,
    id: Uuid,
    access: Access,
) -> Result<Invoice, ApiError> {
    let invoice = invoices::get(&state.db, id).await?;
    check_access(invoice, caller, access)
}

/// Like [`load`] without the line items.
pub async fn load_summary(
    state: &AppState,
    caller: AuthUser,
    id: Uuid,
    access: Access,
) -> Result<InvoiceSummary, ApiError> {
    let invoice = invoices::get_summary(&state.db, id).await?;
    check_access(invoice, caller, access)
}

/// Whether `caller` may read an invoice owned by `owner` (what [`load`] checks for
/// [`Access::Read`], for answers that do not load the invoice).
pub fn may_read(owner: Uuid, caller: AuthUser) -> bool {
    owner == caller.id || caller.is_admin()
}

trait Owned {
    fn owner(&self) -> Uuid;
}

impl Owned for Invoice {
    fn owner(&self) -> Uuid {
        self.summary.user_id
    }
}

impl Owned for InvoiceSummary {
    fn owner(&self) -> Uuid {
        self.user_id
    }
}

fn check_access<T: Owned>(
    invoice: Option<T>,
    caller: AuthUser,
    access: Access,
) -> Result<T, ApiError> {
    let invoice = invoice.ok_or(ApiError::NotFound("invoice"))?;
    if invoice.owner() == caller.id {
        return Ok(invoice);
    }
    match (caller.is_admin(), access) {
        (true, Access::Read) => Ok(invoice),
        (true, Access::Change) => Err(ApiError::Forbidden(
            "Administrators can read every invoice but change only their own.",
        )),
        (true, Access::Own) => Err(ApiError::Forbidden(
            "Only the invoice's owner can download its PDF.",
        )),
        (false, _) => Err(ApiError::NotFound("invoice")),
    }
}

/// Runs `command` on an invoice the caller may change; answers the invoice as stored once the
/// workflow has recorded the change.
pub async fn apply(
    state: &AppState,
    caller: AuthUser,
    invoice_id: Uuid,
    command: Command,
    key: Option<&RequestKey>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    load_summary(state, caller, invoice_id, Access::Change).await?;
    run(state, invoice_id, command, key).await?;
    views::stored_invoice(&state.db, invoice_id).await
}

/// Records an offline payment on an invoice the caller may change; returns the payment as
/// stored and the invoice with it. A retry whose first attempt was recorded (the payment id is
/// derived from its Idempotency-Key) gets that payment, without asking the workflow again.
pub async fn record_payment(
    state: &AppState,
    caller: AuthUser,
    invoice_id: Uuid,
    payment: PaymentRequest,
    key: Option<&RequestKey>,
) -> Result<(Payment, InvoiceJson), ApiError> {
    load_summary(state, caller, invoice_id, Access::Change).await?;
    let payment_id = payment.payment_id;
    let recorded = match payments::get(&state.db, payment_id).await? {
        Some(recorded) if recorded.invoice_id == invoice_id => recorded,
        Some(_) => {
            return Err(ApiError::internal(anyhow::anyhow!(
                "payment {payment_id} belongs to another invoice"
            )));
        }
        None => {
            run(state, invoice_id, Command::RecordPayment(payment), key).await?;
            payments::get(&state.db, payment_id).await?.ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("payment {payment_id} was not stored"))
            })?
        }
    };
    let axum::Json(invoice) = views::stored_invoice(&state.db, invoice_id).await?;
    Ok((recorded, invoice))
}

/// Sends `command` to the invoice's workflow; returns once the change is stored. The caller's
/// access was checked by the handler (see [`apply`]).
///
/// If no workflow is running, the stored invoice decides: a paid or void invoice refuses the
/// action as its status dictates; an invoice still in progress has lost its workflow (an
/// operator terminated it, or the process creating the invoice died before starting it), so
/// the workflow is restarted from the stored invoice and the command sent again.
///
/// The cached invoice is invalidated afterwards, whatever the outcome (a command that timed out
/// may still have changed it). The worker invalidates after each write too; doing it here as
/// well means a read after a completed command never depends on the worker reaching Redis.
///
/// With an Idempotency-Key, the update's id is derived from it, so a retry reaches the first
/// attempt's update. A retry of a request that was never answered (`key.retry`) may find the
/// command done and the workflow finished since (a void, a last payment): the stored invoice
/// then shows the command applied, and that is the answer.
pub async fn run(
    state: &AppState,
    invoice_id: Uuid,
    command: Command,
    key: Option<&RequestKey>,
) -> Result<(), ApiError> {
    let update_id = key.map(|key| key.update_id(command.name()));
    let result = execute(state, invoice_id, &command, update_id).await;
    state.cache.invalidate(invoice_id).await;
    if result.is_ok() {
        tracing::info!(%invoice_id, command = command.name(), "invoice command applied");
    }
    match (result, key) {
        (Err(refused @ (ApiError::Conflict { .. } | ApiError::Validation(_))), Some(key)) => {
            if applied(state, invoice_id, &command, key.retry).await? {
                tracing::info!(%invoice_id, command = command.name(), "retried command found applied");
                Ok(())
            } else {
                Err(refused)
            }
        }
        (result, _) => result,
    }
}

/// Whether the stored invoice shows `command` applied: a payment by its (derived) id; a send
/// or a void by the invoice's state, only for a `retry` (a first request refused for them was
/// refused, not retried).
async fn applied(
    state: &AppState,
    invoice_id: Uuid,
    command: &Command,
    retry: bool,
) -> Result<bool, ApiError> {
    if let Command::RecordPayment(payment) = command {
        return Ok(payments::get(&state.db, payment.payment_id)
            .await?
            .is_some_and(|stored| stored.invoice_id == invoice_id));
    }
    if let Command::IssueCreditNote(request) = command {
        return Ok(credit_notes::get(&state.db, request.credit_note_id)
            .await?
            .is_some_and(|stored| stored.invoice_id == invoice_id));
    }
    if !retry {
        return Ok(false);
    }
    let Some(stored) = invoices::get_summary(&state.db, invoice_id).await? else {
        return Ok(false);
    };
    Ok(match command {
        Command::Send => stored.number.is_some(),
        Command::Void(_) => stored.status == InvoiceStatus::Void,
        Command::MarkUncollectible(_) => stored.status == InvoiceStatus::Uncollectible,
        _ => false,
    })
}

async fn execute(
    state: &AppState,
    invoice_id: Uuid,
    command: &Command,
    update_id: Option<String>,
) -> Result<(), ApiError> {
    match state
        .workflows
        .execute(invoice_id, command, update_id.clone())
        .await
    {
        Err(CommandError::NotRunning) => {}
        other => return other.map_err(ApiError::from),
    }
    // A paid invoice's workflow has completed; a credit note starts a run with it.
    if let Command::IssueCreditNote(request) = command
        && let Some(input) = resumable(state, invoice_id, Action::IssueCreditNote).await?
    {
        return state
            .workflows
            .credit_with_start(input, request.clone())
            .await
            .map_err(ApiError::from);
    }
    restart(state, invoice_id, command.action()).await?;
    state
        .workflows
        .execute(invoice_id, command, update_id)
        .await
        .map_err(ApiError::from)
}

/// The input of a new run for a final invoice that still takes `action` (a paid invoice takes
/// credit notes); `None` for any other invoice.
async fn resumable(
    state: &AppState,
    invoice_id: Uuid,
    action: Action,
) -> Result<Option<InvoiceWorkflowInput>, ApiError> {
    let stored = invoices::get_summary(&state.db, invoice_id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    if !(stored.status.is_final() && stored.status.allows(action)) {
        return Ok(None);
    }
    let input = InvoiceWorkflowInput::resume(invoices::for_workflow(&state.db, invoice_id).await?);
    Ok(Some(input))
}

/// A pay link for an invoice the caller may change, from its workflow (restarted like [`run`]
/// if it was lost); 503 when this server takes no online payments.
pub async fn checkout(
    state: &AppState,
    caller: AuthUser,
    invoice_id: Uuid,
    key: Option<&RequestKey>,
) -> Result<Checkout, ApiError> {
    load_summary(state, caller, invoice_id, Access::Change).await?;
    if !state.stripe.payments_enabled {
        return Err(ApiError::PaymentsUnavailable(
            "Online payments are not configured on this server (APP_STRIPE__SECRET_KEY)."
                .to_owned(),
        ));
    }
    let update_id = key.map(|key| key.update_id("checkout"));
    let result = open_checkout(state, invoice_id, update_id).await;
    state.cache.invalidate(invoice_id).await;
    result
}

async fn open_checkout(
    state: &AppState,
    invoice_id: Uuid,
    update_id: Option<String>,
) -> Result<Checkout, ApiError> {
    match state
        .workflows
        .checkout(invoice_id, update_id.clone())
        .await
    {
        Err(CommandError::NotRunning) => {}
        other => return other.map_err(ApiError::from),
    }
    restart(state, invoice_id, Action::Checkout).await?;
    state
        .workflows
        .checkout(invoice_id, update_id)
        .await
        .map_err(ApiError::from)
}

/// No workflow is running for the invoice: refuses `action` as the stored status dictates, or
/// restarts the lost workflow of an invoice still in progress.
async fn restart(state: &AppState, invoice_id: Uuid, action: Action) -> Result<(), ApiError> {
    let stored = invoices::get_summary(&state.db, invoice_id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    stored.status.check(action)?;
    if stored.status.is_final() {
        // Every action on a final invoice is refused above; nothing to restart.
        return Err(ApiError::internal(anyhow::anyhow!(
            "{} invoice {invoice_id} accepted {action:?}",
            stored.status
        )));
    }
    tracing::warn!(%invoice_id, status = %stored.status, "no workflow running for an open invoice; restarting it");
    let input = InvoiceWorkflowInput::resume(invoices::for_workflow(&state.db, invoice_id).await?);
    state.workflows.start(input).await?;
    Ok(())
}

impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Refused(refusal) => refusal.into(),
            CommandError::NotRunning => ApiError::conflict(
                "workflow-not-running",
                "This invoice's workflow is not running; try again shortly.",
            ),
            CommandError::Unavailable(cause) => ApiError::Unavailable(cause),
            CommandError::Failed(cause) => ApiError::Internal(cause),
        }
    }
}
