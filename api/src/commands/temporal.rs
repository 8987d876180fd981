//! The Temporal client side of the invoice workflows: starting them and sending them commands
//! (Temporal Updates). Every command returns once the workflow has stored the change, so the API can
//! answer with the invoice as stored (read-your-writes).

use chrono::NaiveDate;
use invoicing_workflows::{
    InvoiceWorkflow, InvoiceWorkflowInput, UncollectibleRequest, VoidRequest,
    contracts::{Checkout, CreditNoteRequest, PaymentRequest, StripeReport},
    domain::{Action, Draft, Refusal},
    search, workflow_id,
};
use temporalio_client::{
    Client, WorkflowExecuteUpdateOptions, WorkflowIdConflictPolicy, WorkflowIdReusePolicy,
    WorkflowStartOptions, WorkflowUpdateWithStartOptions,
    errors::{WorkflowStartError, WorkflowUpdateError, WorkflowUpdateWithStartError},
    tonic::Code,
};
use temporalio_common::{
    HasWorkflowDefinition, UpdateDefinition, search_attributes::SearchAttributes,
};
use uuid::Uuid;

/// Starts invoice workflows and sends them commands.
#[derive(Clone)]
pub struct WorkflowClient {
    client: Client,
    task_queue: String,
}

/// A command on an invoice, as an Update to its workflow.
#[derive(Clone, Debug)]
pub enum Command {
    /// Boxed: a draft is far larger than every other command.
    ReviseDraft(Box<Draft>),
    DeleteDraft,
    Send,
    RecordPayment(PaymentRequest),
    Void(VoidRequest),
    ChangeDueDate(NaiveDate),
    MarkUncollectible(UncollectibleRequest),
    IssueCreditNote(CreditNoteRequest),
}

impl Command {
    /// The command's name, the first part of its update id.
    pub fn name(&self) -> &'static str {
        match self {
            Command::ReviseDraft(_) => "revise",
            Command::DeleteDraft => "delete",
            Command::Send => "send",
            Command::RecordPayment(_) => "payment",
            Command::Void(_) => "void",
            Command::ChangeDueDate(_) => "due-date",
            Command::MarkUncollectible(_) => "uncollectible",
            Command::IssueCreditNote(_) => "credit-note",
        }
    }

    /// The action the status machine checks for this command.
    pub fn action(&self) -> Action {
        match self {
            Command::ReviseDraft(_) => Action::Edit,
            Command::DeleteDraft => Action::Delete,
            Command::Send => Action::Send,
            Command::RecordPayment(_) => Action::RecordPayment,
            Command::Void(_) => Action::Void,
            Command::ChangeDueDate(_) => Action::ChangeDueDate,
            Command::MarkUncollectible(_) => Action::MarkUncollectible,
            Command::IssueCreditNote(_) => Action::IssueCreditNote,
        }
    }
}

/// Why a command did not go through.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The workflow refused the command (its validator, or its handler on a second look).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// No workflow is running for the invoice: it finished (paid, void, deleted) or never
    /// started.
    #[error("no workflow is running for this invoice")]
    NotRunning,
    /// Temporal could not be reached.
    #[error("Temporal is unavailable")]
    Unavailable(#[source] anyhow::Error),
    #[error("the command failed")]
    Failed(#[source] anyhow::Error),
}

impl WorkflowClient {
    pub fn new(client: Client, task_queue: String) -> Self {
        Self { client, task_queue }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Starts the invoice's workflow. Starting one that is already running is a no-op, and a
    /// workflow that completed successfully (paid, void, deleted) is never started again;
    /// one that was terminated or failed may be restarted from the stored invoice.
    pub async fn start(&self, input: InvoiceWorkflowInput) -> Result<(), CommandError> {
        let attributes = SearchAttributes::new(search::for_invoice(&input.invoice));
        let options =
            WorkflowStartOptions::new(self.task_queue.clone(), workflow_id(input.invoice_id))
                .id_reuse_policy(WorkflowIdReusePolicy::AllowDuplicateFailedOnly)
                .id_conflict_policy(WorkflowIdConflictPolicy::Fail)
                .search_attributes(attributes)
                .build();
        match self
            .client
            .start_workflow(InvoiceWorkflow::run, input, options)
            .await
        {
            Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => Ok(()),
            Err(WorkflowStartError::Rpc(status)) => Err(rpc_error(status)),
            Err(other) => Err(CommandError::Failed(other.into())),
        }
    }

    /// A pay link for the invoice's amount due, from its workflow. A retried request with the
    /// same `update_id` gets the same link.
    pub async fn checkout(
        &self,
        id: Uuid,
        update_id: Option<String>,
    ) -> Result<Checkout, CommandError> {
        self.update(id, InvoiceWorkflow::checkout, (), update_id)
            .await
    }

    /// Hands Stripe's report to the invoice's workflow, starting a new run from the stored
    /// invoice if none is running: a refund reopens a paid invoice whose workflow completed,
    /// and a payment for a void one is flagged by its workflow. `input` is only used to start.
    pub async fn report_stripe(
        &self,
        input: InvoiceWorkflowInput,
        report: StripeReport,
    ) -> Result<(), CommandError> {
        let attributes = SearchAttributes::new(search::for_invoice(&input.invoice));
        let options =
            WorkflowStartOptions::new(self.task_queue.clone(), workflow_id(input.invoice_id))
                .id_reuse_policy(WorkflowIdReusePolicy::AllowDuplicate)
                .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
                .search_attributes(attributes)
                .build();
        match self
            .client
            .signal_with_start_workflow(
                InvoiceWorkflow::run,
                input,
                InvoiceWorkflow::stripe_report,
                report,
                options,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(WorkflowStartError::Rpc(status)) => Err(rpc_error(status)),
            Err(other) => Err(CommandError::Failed(other.into())),
        }
    }

    /// Sends `command` to the invoice's workflow and waits until the change is stored. Temporal
    /// runs an update once per `update_id` (a retried request's id is the first one's), and
    /// answers a repeated id with the first outcome.
    pub async fn execute(
        &self,
        id: Uuid,
        command: &Command,
        update_id: Option<String>,
    ) -> Result<(), CommandError> {
        match command.clone() {
            Command::ReviseDraft(draft) => {
                self.update(id, InvoiceWorkflow::revise_draft, *draft, update_id)
                    .await?;
            }
            Command::DeleteDraft => {
                self.update(id, InvoiceWorkflow::delete_draft, (), update_id)
                    .await?;
            }
            Command::Send => {
                self.update(id, InvoiceWorkflow::send, (), update_id)
                    .await?;
            }
            Command::RecordPayment(payment) => {
                // The payment id doubles as the update id, so a retried request is recorded once
                // (with an Idempotency-Key, the payment id is derived from it).
                let update_id = format!("payment-{}", payment.payment_id);
                self.update(
                    id,
                    InvoiceWorkflow::record_payment,
                    payment,
                    Some(update_id),
                )
                .await?;
            }
            Command::Void(request) => {
                self.update(id, InvoiceWorkflow::void, request, update_id)
                    .await?;
            }
            Command::ChangeDueDate(due_date) => {
                self.update(id, InvoiceWorkflow::change_due_date, due_date, update_id)
                    .await?;
            }
            Command::MarkUncollectible(request) => {
                self.update(id, InvoiceWorkflow::mark_uncollectible, request, update_id)
                    .await?;
            }
            Command::IssueCreditNote(request) => {
                // Like a payment's, the note's id is the update's: a retried request issues
                // one note.
                let update_id = credit_note_update_id(&request);
                self.update(
                    id,
                    InvoiceWorkflow::issue_credit_note,
                    request,
                    Some(update_id),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// A credit note for an invoice whose workflow has completed (a paid one): a new run from
    /// the stored invoice, started together with the update, so it cannot finish before it
    /// has taken the note. A run that is running after all takes the update itself.
    pub async fn credit_with_start(
        &self,
        input: InvoiceWorkflowInput,
        request: CreditNoteRequest,
    ) -> Result<(), CommandError> {
        let attributes = SearchAttributes::new(search::for_invoice(&input.invoice));
        let options = WorkflowUpdateWithStartOptions::new(
            self.task_queue.clone(),
            workflow_id(input.invoice_id),
            WorkflowIdConflictPolicy::UseExisting,
        )
        .id_reuse_policy(WorkflowIdReusePolicy::AllowDuplicate)
        .search_attributes(attributes)
        .update_id(credit_note_update_id(&request))
        .build();
        match self
            .client
            .execute_update_with_start_workflow(
                InvoiceWorkflow::run,
                input,
                InvoiceWorkflow::issue_credit_note,
                request,
                options,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(WorkflowUpdateWithStartError::Update(error)) => Err(classify(error)),
            Err(
                WorkflowUpdateWithStartError::Rpc(status)
                | WorkflowUpdateWithStartError::Start(WorkflowStartError::Rpc(status)),
            ) => Err(rpc_error(status)),
            Err(other) => Err(CommandError::Failed(other.into())),
        }
    }

    async fn update<U>(
        &self,
        id: Uuid,
        update: U,
        input: U::Input,
        update_id: Option<String>,
    ) -> Result<U::Output, CommandError>
    where
        U: UpdateDefinition<Workflow = <InvoiceWorkflow as HasWorkflowDefinition>::Run>,
        U::Input: Send,
        U::Output: 'static,
    {
        let handle = self
            .client
            .get_workflow_handle::<InvoiceWorkflow>(workflow_id(id));
        let options = WorkflowExecuteUpdateOptions::builder()
            .maybe_update_id(update_id)
            .build();
        handle
            .execute_update(update, input, options)
            .await
            .map_err(classify)
    }
}

fn credit_note_update_id(request: &CreditNoteRequest) -> String {
    format!("credit-note-{}", request.credit_note_id)
}

fn classify(error: WorkflowUpdateError) -> CommandError {
    match error {
        WorkflowUpdateError::Failed(failure) => match Refusal::parse(&failure.message) {
            Some(refusal) => CommandError::Refused(refusal),
            None => CommandError::Failed(anyhow::anyhow!(
                "the workflow failed the update: {}",
                failure.message
            )),
        },
        // The dev server says "workflow execution already completed"; the test server names
        // the update. Either way nothing is running that could take the command.
        WorkflowUpdateError::NotFound(_) => CommandError::NotRunning,
        WorkflowUpdateError::Rpc(status) => rpc_error(status),
        other => CommandError::Failed(other.into()),
    }
}

fn rpc_error(status: temporalio_client::tonic::Status) -> CommandError {
    match status.code() {
        Code::Unavailable | Code::DeadlineExceeded | Code::ResourceExhausted | Code::Cancelled => {
            CommandError::Unavailable(status.into())
        }
        Code::NotFound => CommandError::NotRunning,
        _ => CommandError::Failed(status.into()),
    }
}
