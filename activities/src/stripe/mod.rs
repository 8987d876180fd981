//! Stripe: pay links (Checkout Sessions), the watchdog's look at a pay link, the nightly
//! reconciliation, and the PostgreSQL writes for refunds and payment notes.

pub mod client;
pub mod objects;

use crate::failure;
use chrono::{DateTime, Utc};
use client::{StripeClient, StripeError};
use invoicing_platform::invoice_cache::InvoiceCache;
use invoicing_platform::stripe::StripeSettings;
use invoicing_store::{stripe, transitions};
use invoicing_workflows::{
    contracts::{
        CheckCheckoutInput, Checkout, CheckoutState, CreateCheckoutInput, CreatedCheckout,
        Discrepancy, ExpireCheckoutInput, ExpiredCheckout, NotePaymentInput, ReconcileInput,
        ReconcileSummary, RecordRefundInput, RefundStripePaymentInput, ReportSource, StripeRefund,
        activity, failures,
    },
    domain::{Currency, DiscrepancyKind, StripeChange},
};
use sqlx::PgPool;
use std::{collections::HashMap, sync::Arc};
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use uuid::Uuid;

/// The Stripe activities, with what they need. Without a secret key, online payments are off:
/// creating a pay link fails permanently with [`failures::STRIPE_NOT_CONFIGURED`].
pub struct StripeGateway {
    pool: PgPool,
    client: Option<StripeClient>,
    watchdog_after_secs: u64,
    return_url: String,
    /// A refund changes the invoice's amounts.
    cache: InvoiceCache,
}

impl StripeGateway {
    pub fn new(
        pool: PgPool,
        settings: &StripeSettings,
        cache: InvoiceCache,
    ) -> anyhow::Result<Self> {
        let client = settings
            .secret_key
            .clone()
            .map(|key| StripeClient::new(&settings.api_base, key))
            .transpose()?;
        if client.is_none() {
            tracing::warn!("APP_STRIPE__SECRET_KEY is not set: online payments are off");
        }
        Ok(Self {
            cache,
            pool,
            client,
            watchdog_after_secs: settings.watchdog_after_secs,
            return_url: settings.checkout_return_url.clone(),
        })
    }

    fn client(&self) -> Result<&StripeClient, ActivityError> {
        self.client.as_ref().ok_or_else(|| {
            failure::permanent(
                failures::STRIPE_NOT_CONFIGURED,
                anyhow::anyhow!("online payments are off: APP_STRIPE__SECRET_KEY is not set"),
            )
        })
    }

    /// The form Stripe's `POST /v1/checkout/sessions` takes: one line for the amount due, the
    /// invoice on the session and on its PaymentIntent (webhooks about either name it).
    fn checkout_params(&self, input: &CreateCheckoutInput) -> Vec<(String, String)> {
        let invoice_id = input.invoice_id.to_string();
        let return_url = self.return_url.replace("{invoice_id}", &invoice_id);
        let separator = if return_url.contains('?') { '&' } else { '?' };
        let pair = |key: &str, value: &str| (key.to_owned(), value.to_owned());
        vec![
            pair("mode", "payment"),
            pair("client_reference_id", &invoice_id),
            pair(
                "line_items[0][price_data][currency]",
                &input.currency.code().to_lowercase(),
            ),
            pair(
                "line_items[0][price_data][unit_amount]",
                &input.amount.to_string(),
            ),
            pair(
                "line_items[0][price_data][product_data][name]",
                &format!("Invoice {}", input.number),
            ),
            pair("line_items[0][quantity]", "1"),
            pair("metadata[invoice_id]", &invoice_id),
            pair("metadata[invoice_number]", &input.number),
            pair("payment_intent_data[metadata][invoice_id]", &invoice_id),
            pair(
                "payment_intent_data[metadata][invoice_number]",
                &input.number,
            ),
            pair(
                "success_url",
                &format!("{return_url}{separator}payment=success"),
            ),
            pair(
                "cancel_url",
                &format!("{return_url}{separator}payment=cancelled"),
            ),
        ]
    }
}

/// A Stripe failure as Temporal should see it: a refused request is permanent, the rest retried.
fn stripe_failure(error: StripeError) -> ActivityError {
    match error {
        StripeError::Refused { .. } => {
            failure::permanent(failures::STRIPE_REQUEST_REFUSED, error.into())
        }
        StripeError::Unavailable(_) | StripeError::Unexpected(_) => failure::retry(error.into()),
    }
}

fn timestamp(seconds: i64) -> Result<DateTime<Utc>, ActivityError> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
        failure::retry(anyhow::anyhow!(
            "Stripe sent a timestamp out of range: {seconds}"
        ))
    })
}

#[activities]
impl StripeGateway {
    #[activity(definition = activity::CreateCheckout)]
    pub async fn create_checkout(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: CreateCheckoutInput,
    ) -> Result<CreatedCheckout, ActivityError> {
        let client = self.client()?;
        let session = client
            .create_checkout_session(&self.checkout_params(&input), &input.idempotency_key)
            .await
            .map_err(stripe_failure)?;
        let url = session.url.clone().ok_or_else(|| {
            failure::retry(anyhow::anyhow!(
                "Stripe created checkout session {} without a URL",
                session.id
            ))
        })?;
        let checkout = Checkout {
            session_id: session.id,
            url,
            amount: session.amount_total.unwrap_or(input.amount),
            currency: input.currency,
            expires_at: timestamp(session.expires_at)?,
        };
        stripe::insert_checkout(
            &self.pool,
            input.invoice_id,
            &checkout,
            input.at,
            input.event_seq,
        )
        .await
        .map_err(failure::store)?;
        tracing::info!(invoice_id = %input.invoice_id, session_id = %checkout.session_id, "pay link created");
        Ok(CreatedCheckout {
            checkout,
            watchdog_after_secs: self.watchdog_after_secs,
        })
    }

    #[activity(definition = activity::CheckCheckout)]
    pub async fn check_checkout(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: CheckCheckoutInput,
    ) -> Result<CheckoutState, ActivityError> {
        let client = self.client()?;
        let session = client
            .checkout_session(&input.session_id)
            .await
            .map_err(stripe_failure)?;
        let state = match (session.status.as_deref(), session.payment_intent.as_deref()) {
            (Some("expired"), _) => CheckoutState::Expired,
            (Some("complete"), Some(intent_id)) if session.payment_status == "paid" => {
                let intent = client
                    .payment_intent(intent_id)
                    .await
                    .map_err(stripe_failure)?;
                if intent.status == "succeeded" {
                    CheckoutState::Paid {
                        change: StripeChange::Succeeded {
                            intent_id: intent.id,
                            amount: intent.amount_received,
                            currency: intent.currency,
                            checkout_session_id: Some(session.id.clone()),
                        },
                    }
                } else {
                    CheckoutState::Open
                }
            }
            _ => CheckoutState::Open,
        };
        tracing::info!(invoice_id = %input.invoice_id, session_id = %session.id, ?state, "watchdog looked at a pay link");
        Ok(state)
    }

    #[activity(definition = activity::ExpireCheckout)]
    pub async fn expire_checkout(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: ExpireCheckoutInput,
    ) -> Result<ExpiredCheckout, ActivityError> {
        let client = self.client()?;
        match client.expire_checkout_session(&input.session_id).await {
            Ok(_) => {
                tracing::info!(invoice_id = %input.invoice_id, session_id = %input.session_id, "stale pay link expired");
                Ok(ExpiredCheckout { expired: true })
            }
            // No longer open (paid a moment ago, or expired already): nothing to do; a payment
            // through it is reported and flagged like any other.
            Err(StripeError::Refused {
                status, message, ..
            }) if status == reqwest::StatusCode::BAD_REQUEST => {
                tracing::info!(invoice_id = %input.invoice_id, session_id = %input.session_id, %message, "pay link was no longer open");
                Ok(ExpiredCheckout { expired: false })
            }
            Err(error) => Err(stripe_failure(error)),
        }
    }

    /// Gives a credit note's excess back at Stripe. The books recorded the refund already;
    /// Stripe's key makes a retried activity one refund.
    #[activity(definition = activity::RefundPayment)]
    pub async fn refund_payment(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RefundStripePaymentInput,
    ) -> Result<StripeRefund, ActivityError> {
        let client = self.client()?;
        let invoice_id = input.invoice_id.to_string();
        let refund = client
            .create_refund(
                &input.intent_id,
                input.amount,
                &[("invoice_id", &invoice_id)],
                &input.idempotency_key,
            )
            .await
            .map_err(stripe_failure)?;
        tracing::info!(invoice_id = %input.invoice_id, intent_id = %input.intent_id, refund_id = %refund.id, amount = refund.amount, "refunded at Stripe");
        Ok(StripeRefund {
            refund_id: refund.id,
        })
    }

    /// Compares Stripe's succeeded PaymentIntents for invoices with the payments table and
    /// records what does not match.
    #[activity(definition = activity::Reconcile)]
    pub async fn reconcile(
        self: Arc<Self>,
        ctx: ActivityContext,
        input: ReconcileInput,
    ) -> Result<ReconcileSummary, ActivityError> {
        let client = self.client()?;
        let mut summary = ReconcileSummary::default();
        let mut after: Option<String> = None;
        loop {
            let page = client
                .payment_intents(
                    input.since.timestamp(),
                    input.until.timestamp(),
                    after.as_deref(),
                )
                .await
                .map_err(stripe_failure)?;
            // A long history is many pages: tell Temporal the activity is alive.
            let _ = ctx.record_heartbeat(summary.checked).await;
            let ours: Vec<_> = page
                .data
                .iter()
                .filter(|intent| intent.status == "succeeded")
                .filter_map(|intent| {
                    let invoice_id = intent.metadata.get("invoice_id")?;
                    Some((intent, Uuid::parse_str(invoice_id).ok()))
                })
                .collect();
            let ids: Vec<String> = ours.iter().map(|(intent, _)| intent.id.clone()).collect();
            let known: HashMap<String, stripe::KnownPayment> =
                stripe::known_payments(&self.pool, &ids)
                    .await
                    .map_err(failure::store)?
                    .into_iter()
                    .map(|payment| (payment.transaction_id.clone(), payment))
                    .collect();
            for (intent, invoice_id) in ours {
                summary.checked += 1;
                let found = self
                    .compare(intent, invoice_id, known.get(&intent.id))
                    .await?;
                if let Some(discrepancy) = found {
                    summary.discrepancies += 1;
                    let new = stripe::record_discrepancy(&self.pool, &discrepancy)
                        .await
                        .map_err(failure::store)?;
                    if new {
                        tracing::warn!(
                            kind = discrepancy.kind.as_str(),
                            transaction_id = %discrepancy.transaction_id,
                            detail = %discrepancy.detail,
                            "reconciliation found a discrepancy"
                        );
                    }
                }
            }
            match (page.has_more, page.data.last()) {
                (true, Some(last)) => after = Some(last.id.clone()),
                _ => break,
            }
        }
        tracing::info!(
            checked = summary.checked,
            discrepancies = summary.discrepancies,
            "reconciliation finished"
        );
        Ok(summary)
    }

    #[activity(definition = activity::RecordRefund)]
    pub async fn record_refund(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RecordRefundInput,
    ) -> Result<(), ActivityError> {
        transitions::record_refund(&self.pool, &input)
            .await
            .map_err(failure::store)?;
        self.cache.invalidate(input.invoice_id).await;
        Ok(())
    }

    #[activity(definition = activity::NotePayment)]
    pub async fn note_payment(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: NotePaymentInput,
    ) -> Result<(), ActivityError> {
        stripe::note_payment(&self.pool, &input)
            .await
            .map_err(failure::store)
    }
}

impl StripeGateway {
    /// What is wrong, if anything, between a succeeded intent and the payment recorded for it.
    async fn compare(
        &self,
        intent: &objects::PaymentIntent,
        invoice_id: Option<Uuid>,
        known: Option<&stripe::KnownPayment>,
    ) -> Result<Option<Discrepancy>, ActivityError> {
        let discrepancy = |kind, expected: Option<i64>, detail: String| Discrepancy {
            kind,
            transaction_id: intent.id.clone(),
            invoice_id,
            other_invoice_id: None,
            source: ReportSource::Reconciliation,
            expected_amount: expected,
            actual_amount: Some(intent.amount_received),
            currency: Some(intent.currency.clone()),
            detail,
        };
        let amount = Currency::parse(&intent.currency)
            .map(|currency| {
                invoicing_workflows::domain::Money::new(intent.amount_received, currency)
                    .to_string()
            })
            .unwrap_or_else(|_| format!("{} {}", intent.amount_received, intent.currency));
        match known {
            Some(payment) if payment.amount == intent.amount_received => Ok(None),
            Some(payment) => Ok(Some(discrepancy(
                DiscrepancyKind::AmountMismatch,
                Some(payment.amount),
                format!(
                    "Stripe received {amount} but the payment recorded for it is {} {}.",
                    payment.amount, payment.currency
                ),
            ))),
            None => {
                let exists = match invoice_id {
                    Some(id) => stripe::invoice_exists(&self.pool, id)
                        .await
                        .map_err(failure::store)?,
                    None => false,
                };
                Ok(Some(if exists {
                    discrepancy(
                        DiscrepancyKind::MissingPayment,
                        None,
                        format!("Stripe received {amount} that the payments table lacks."),
                    )
                } else {
                    discrepancy(
                        DiscrepancyKind::UnknownInvoice,
                        None,
                        format!("Stripe received {amount} for an invoice we do not have."),
                    )
                }))
            }
        }
    }
}
