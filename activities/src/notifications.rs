//! The notification activities: render and store a PDF version, e-mail the client, publish a
//! lifecycle event; and deliver, which does the three in order for one change. Each step checks
//! its idempotency key (invoice + step) in PostgreSQL before acting and records it after, so a
//! retried or replayed activity does not act twice.

use crate::{
    email::{Attachment, Delivery, Letters, Mailer},
    events::Publisher,
    failure, pdf,
    source::{self, Account, document, language},
    storage::DocumentStore,
};
use invoicing_platform::invoice_cache::InvoiceCache;
use invoicing_store::{
    documents::{self, NewDocument},
    invoices::Invoice,
    side_effects::{self, EmailAnswer, Entry},
};
use invoicing_workflows::{
    contracts::{
        Delivered, DeliveryInput, DeliveryStep, DroppedStep, EmailKind, EmailOutcome,
        LifecycleEvent, RenderDocumentInput, SendEmailInput, activity, document_key, failures,
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
}

impl Notifications {
    pub fn new(
        pool: PgPool,
        documents: DocumentStore,
        mailer: Mailer,
        publisher: Publisher,
        platform_name: String,
        cache: InvoiceCache,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            cache,
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
    async fn render(&self, input: RenderDocumentInput) -> Result<(), ActivityError> {
        if documents::stored(&self.pool, input.invoice_id, input.version)
            .await
            .map_err(failure::store)?
        {
            return Ok(());
        }
        let (invoice, seller) = self.invoice(input.invoice_id).await?;
        let number = invoice
            .summary
            .number_text
            .clone()
            .unwrap_or_else(|| "DRAFT".to_owned());
        let document = document(&invoice, &seller, input.mark);
        let pdf = tokio::task::spawn_blocking(move || pdf::render(&document))
            .await
            .map_err(|error| failure::retry(error.into()))?
            .map_err(|error| failure::permanent(failures::RENDER_FAILED, error.into()))?;
        let key = document_key(input.invoice_id, input.version);
        let size_bytes = pdf.len() as i64;
        self.documents
            .put_pdf(&key, pdf, &format!("{number}.pdf"))
            .await
            .map_err(failure::retry)?;
        documents::record(
            &self.pool,
            &NewDocument {
                invoice_id: input.invoice_id,
                version: input.version,
                storage_key: &key,
                size_bytes,
                mark: input.mark,
                event_seq: input.event_seq,
                at: input.at,
            },
        )
        .await
        .map_err(failure::store)?;
        self.cache.invalidate(input.invoice_id).await;
        Ok(())
    }

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
        if let EmailKind::InvoiceSent { document_version } = input.email {
            let key = document_key(input.invoice_id, document_version);
            let number = invoice
                .summary
                .number
                .map(|n| n.to_string())
                .unwrap_or_default();
            letter.attachment = Some(Attachment {
                filename: format!("{number}.pdf"),
                content_type: "application/pdf",
                bytes: self.documents.get(&key).await.map_err(failure::retry)?,
            });
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
