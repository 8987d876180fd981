//! The notification activities: render and store a PDF version (with its e-invoice, see
//! [`render`]), e-mail the client, publish a lifecycle event; and deliver, which does the
//! three in order for one change. Each step checks
//! its idempotency key (invoice + step) in PostgreSQL before acting and records it after, so a
//! retried or replayed activity does not act twice.

mod render;

use crate::{
    email::{Attachment, Delivery, Letters, Mailer},
    events::Publisher,
    failure,
    source::{self, Account, language},
    storage::DocumentStore,
};
use invoicing_platform::invoice_cache::InvoiceCache;
use invoicing_store::{
    documents,
    invoices::Invoice,
    side_effects::{self, EmailAnswer, Entry},
};
use invoicing_workflows::{
    contracts::{
        Delivered, DeliveryInput, DeliveryStep, DroppedStep, EmailKind, EmailOutcome,
        LifecycleEvent, RenderDocumentInput, SendEmailInput, activity, failures,
    },
    domain::EventKind,
};
use serde_json::json;
use sqlx::PgPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use uuid::Uuid;

/// Documents, e-mails and events, with what they need.
pub struct Notifications {
    pool: PgPool,
    documents: DocumentStore,
    mailer: Mailer,
    letters: Letters,
    publisher: Publisher,
    /// Shown after the seller in the sender's name.
    platform_name: String,
    /// A new PDF version changes the invoice's `pdf_url`.
    cache: InvoiceCache,
    /// Whether buyers can pay by card online (Stripe is configured): the payment means an
    /// e-invoice without a bank account states, as the gate at send saw it.
    card_payments: bool,
}

impl Notifications {
    pub fn new(
        pool: PgPool,
        documents: DocumentStore,
        mailer: Mailer,
        publisher: Publisher,
        platform_name: String,
        cache: InvoiceCache,
        card_payments: bool,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            cache,
            card_payments,
            pool,
            documents,
            mailer,
            letters: Letters::new()?,
            publisher,
            platform_name,
        })
    }

    /// The invoice and its seller as they are now, with the seller's logo.
    async fn invoice(&self, invoice_id: Uuid) -> Result<(Invoice, Account), ActivityError> {
        source::load(&self.pool, Some(&self.documents), invoice_id).await
    }
}

#[activities]
impl Notifications {
    /// Renders the invoice as stored now and stores it as PDF `version`.
    #[activity(definition = activity::RenderDocument)]
    pub async fn render_document(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RenderDocumentInput,
    ) -> Result<(), ActivityError> {
        self.render(input).await
    }

    /// E-mails the invoice's client, once per step.
    #[activity(definition = activity::SendEmail)]
    pub async fn send_email(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: SendEmailInput,
    ) -> Result<EmailOutcome, ActivityError> {
        self.email(input).await
    }

    /// Publishes a lifecycle event, once.
    #[activity(definition = activity::PublishEvent)]
    pub async fn publish_event(
        self: Arc<Self>,
        _ctx: ActivityContext,
        event: LifecycleEvent,
    ) -> Result<(), ActivityError> {
        self.publish(event).await
    }

    /// Performs the steps of one change in order. A failure worth retrying fails the whole
    /// delivery, and Temporal retries it: the steps already done are found done (their
    /// idempotency keys) and skipped. A failure no retry can fix drops that step only.
    ///
    /// Heartbeats while it works: a delivery whose worker died is retried once its heartbeat
    /// timeout passes (seconds), not its whole start-to-close timeout (minutes).
    #[activity(definition = activity::Deliver)]
    pub async fn deliver(
        self: Arc<Self>,
        ctx: ActivityContext,
        input: DeliveryInput,
    ) -> Result<Delivered, ActivityError> {
        let work = self.deliver_steps(input);
        tokio::pin!(work);
        let mut beat = tokio::time::interval(HEARTBEAT_EVERY);
        loop {
            tokio::select! {
                delivered = &mut work => return delivered,
                _ = beat.tick() => {
                    if let Err(error) = ctx.record_heartbeat(()).await {
                        tracing::warn!(%error, "could not record a delivery's heartbeat");
                    }
                }
            }
        }
    }
}

/// How often a delivery heartbeats; well inside the heartbeat timeout the workflow gives it.
const HEARTBEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl Notifications {
    async fn deliver_steps(&self, input: DeliveryInput) -> Result<Delivered, ActivityError> {
        let mut delivered = Delivered::default();
        for step in input.steps {
            let name = step.name();
            let done = match step {
                DeliveryStep::Render(render) => {
                    let version = render.version;
                    self.render(render)
                        .await
                        .map(|()| delivered.rendered.push(version))
                }
                DeliveryStep::RenderCreditNote(render) => self.render_credit_note(render).await,
                DeliveryStep::Email(email) => self
                    .email(email)
                    .await
                    .map(|outcome| delivered.emails.push(outcome)),
                DeliveryStep::Publish(event) => self.publish(event).await,
            };
            match done {
                Ok(()) => {}
                Err(ActivityError::Application(failure)) if failure.is_non_retryable() => {
                    delivered.dropped.push(DroppedStep {
                        step: name.to_owned(),
                        failure: failure.type_name().unwrap_or("Unknown").to_owned(),
                        message: failure.source_error().to_string(),
                    });
                }
                Err(error) => return Err(error),
            }
        }
        Ok(delivered)
    }
}

impl Notifications {
    async fn email(&self, input: SendEmailInput) -> Result<EmailOutcome, ActivityError> {
        let step = input.email.step();
        if let Some(done) = side_effects::outcome(&self.pool, input.invoice_id, &step)
            .await
            .map_err(failure::store)?
        {
            return serde_json::from_value(done).map_err(|error| {
                failure::permanent(failures::SIDE_EFFECT_RECORD_INVALID, error.into())
            });
        }
        let (invoice, seller) = self.invoice(input.invoice_id).await?;
        if let EmailKind::Reminder { .. } = input.email
            && invoice.summary.status.is_final()
        {
            // Paid or voided while the reminder waited its turn.
            return Ok(EmailOutcome::Skipped {
                reason: format!("the invoice is {}", invoice.summary.status),
            });
        }
        let mut letter = self
            .letters
            .compose(
                &input.email,
                &invoice.summary,
                seller.as_sender(),
                &self.platform_name,
                language(&invoice),
            )
            .map_err(|error| failure::permanent(failures::TEMPLATE_FAILED, error.into()))?;
        match &input.email {
            EmailKind::InvoiceSent { document_version } => {
                letter.attachments = self.attachments(&invoice, *document_version).await?;
            }
            EmailKind::CreditNoteIssued { credit_note_id, .. } => {
                letter.attachments = self.credit_note_attachments(*credit_note_id).await?;
            }
            _ => {}
        }
        let attempts = side_effects::email_attempts(&self.pool, input.invoice_id, &step)
            .await
            .map_err(failure::store)?;
        let possibly_sent_before = attempts.unanswered > 0 && attempts.answer.is_none();
        let answer = match attempts.answer {
            // SES answered an earlier attempt, whose worker died before recording the step:
            // that answer, and no second e-mail.
            Some(answer) => answer,
            None => {
                if possibly_sent_before {
                    // The one window left: a worker died between SES accepting an earlier
                    // attempt and recording its answer. Nobody can tell; the e-mail goes again.
                    metrics::counter!("emails_possibly_sent_twice_total").increment(1);
                    tracing::warn!(invoice_id = %input.invoice_id, step, unanswered = attempts.unanswered, "an earlier attempt of this e-mail has no recorded answer; sending again");
                }
                let attempt = attempts.made + 1;
                side_effects::start_email_attempt(
                    &self.pool,
                    input.invoice_id,
                    &step,
                    attempt,
                    &letter.to,
                )
                .await
                .map_err(failure::store)?;
                let answer = match self.mailer.send(&letter).await {
                    Ok(Delivery::Sent { message_id }) => EmailAnswer::Accepted { message_id },
                    Ok(Delivery::Refused { reason }) => EmailAnswer::Refused { reason },
                    Err(error) => EmailAnswer::Failed {
                        error: format!("{error:#}"),
                    },
                };
                side_effects::answer_email_attempt(
                    &self.pool,
                    input.invoice_id,
                    &step,
                    attempt,
                    &answer,
                )
                .await
                .map_err(failure::store)?;
                answer
            }
        };
        let outcome = match answer {
            EmailAnswer::Accepted { message_id } => EmailOutcome::Sent { message_id },
            EmailAnswer::Refused { reason } => EmailOutcome::Refused { reason },
            EmailAnswer::Failed { error } => {
                return Err(failure::retry(anyhow::anyhow!(
                    "sending an e-mail: {error}"
                )));
            }
        };
        let kind = match (&outcome, &input.email) {
            (EmailOutcome::Refused { .. }, _) => EventKind::EmailFailed,
            (_, EmailKind::Reminder { .. }) => EventKind::ReminderSent,
            _ => EventKind::EmailSent,
        };
        let mut data = json!({
            "email": input.email,
            "to": letter.to,
            "subject": letter.subject,
        });
        if let EmailOutcome::Refused { reason } = &outcome {
            data["reason"] = json!(reason);
        }
        if possibly_sent_before {
            // Shown on the timeline: the client may have this e-mail twice.
            data["possibly_sent_before"] = json!(true);
        }
        side_effects::record(
            &self.pool,
            input.invoice_id,
            &step,
            &json!(outcome),
            Some(Entry {
                seq: input.event_seq,
                kind,
                data,
                occurred_at: input.at,
            }),
        )
        .await
        .map_err(failure::store)?;
        Ok(outcome)
    }

    /// What a credit note's e-mail attaches: its PDF, then its XML e-invoice for a customer who
    /// receives one in XML, named by the note's number.
    async fn credit_note_attachments(
        &self,
        credit_note_id: Uuid,
    ) -> Result<Vec<Attachment>, ActivityError> {
        let note = invoicing_store::credit_notes::get(&self.pool, credit_note_id)
            .await
            .map_err(failure::store)?
            .ok_or_else(|| {
                failure::permanent(
                    failures::INVOICE_NOT_FOUND,
                    anyhow::anyhow!("credit note {credit_note_id} is not stored"),
                )
            })?;
        // The delivery renders the note before it e-mails it.
        let pdf_key = note.pdf_key.as_deref().ok_or_else(|| {
            failure::retry(anyhow::anyhow!(
                "credit note {credit_note_id} is not rendered yet"
            ))
        })?;
        let mut attachments = vec![Attachment {
            filename: format!("{}.pdf", note.number),
            content_type: "application/pdf",
            bytes: self.documents.get(pdf_key).await.map_err(failure::retry)?,
        }];
        if let Some(key) = &note.e_invoice_key {
            let format = note
                .e_invoice_format
                .as_deref()
                .and_then(|format| format.parse::<invoicing_einvoice::Format>().ok());
            attachments.push(Attachment {
                filename: format.map_or_else(
                    || format!("{}.xml", note.number),
                    |format| format.file_name(&note.number),
                ),
                content_type: "application/xml",
                bytes: self.documents.get(key).await.map_err(failure::retry)?,
            });
        }
        Ok(attachments)
    }

    /// What the invoice e-mail attaches: what the customer receives of the version. The PDF
    /// (for a Factur-X customer, the hybrid that carries its XML), then for a customer who
    /// receives XRechnung or Peppol the XML, named as [`Format::file_name`] names it: the
    /// invoice number, so accounts payable match it to the PDF, and the format, which their
    /// import picks the syntax by.
    ///
    /// [`Format::file_name`]: invoicing_einvoice::Format::file_name
    async fn attachments(
        &self,
        invoice: &Invoice,
        version: i32,
    ) -> Result<Vec<Attachment>, ActivityError> {
        let document = documents::version(&self.pool, invoice.summary.id, version)
            .await
            .map_err(failure::store)?
            .ok_or_else(|| {
                // The delivery renders the version before it e-mails it.
                failure::retry(anyhow::anyhow!(
                    "version {version} of the invoice is not stored yet"
                ))
            })?;
        // The number as it was issued, in the account's format then (`RE-00001`).
        let number = invoice
            .summary
            .number_text
            .clone()
            .or_else(|| invoice.summary.number.map(|n| n.to_string()))
            .unwrap_or_default();
        let mut attachments = vec![Attachment {
            filename: format!("{number}.pdf"),
            content_type: "application/pdf",
            bytes: self
                .documents
                .get(&document.storage_key)
                .await
                .map_err(failure::retry)?,
        }];
        if let Some(e_invoice) = &document.e_invoice
            && let Some(key) = &e_invoice.key
        {
            attachments.push(Attachment {
                filename: e_invoice.format.file_name(&number),
                content_type: "application/xml",
                bytes: self.documents.get(key).await.map_err(failure::retry)?,
            });
        }
        Ok(attachments)
    }

    async fn publish(&self, event: LifecycleEvent) -> Result<(), ActivityError> {
        let step = format!("event:{}", event.event_id);
        if side_effects::outcome(&self.pool, event.invoice_id, &step)
            .await
            .map_err(failure::store)?
            .is_some()
        {
            return Ok(());
        }
        let message_id = self
            .publisher
            .publish(&event)
            .await
            .map_err(failure::retry)?;
        side_effects::record(
            &self.pool,
            event.invoice_id,
            &step,
            &json!({ "message_id": message_id, "type": event.event_type }),
            None,
        )
        .await
        .map_err(failure::store)?;
        Ok(())
    }
}
