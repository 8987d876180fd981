//! Stripe's webhooks. The signature is verified on the raw body before anything is parsed;
//! each event is recorded by id, so a redelivery is acknowledged and not applied again; a
//! handled event becomes a signal to its invoice's workflow.

use crate::{
    error::ApiError,
    extract::RawBody,
    openapi::{BadRequest, PayloadTooLarge, Unavailable},
    state::AppState,
    stripe::{
        events::{self, Event, InvoiceHint, Meaning},
        signature,
    },
};
use axum::{extract::State, http::HeaderMap};
use invoicing_store::{
    invoices,
    stripe::{self as store, EventOutcome, ReceivedEvent},
};
use invoicing_workflows::{
    InvoiceWorkflowInput,
    contracts::{Discrepancy, ReportSource, StripeReport},
    domain::{DiscrepancyKind, StripeChange},
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stripe))
}

/// What Stripe is told: received, and whether it was a redelivery.
#[derive(Serialize, ToSchema)]
#[schema(as = WebhookAck)]
struct Ack {
    /// Always `true`.
    received: bool,
    /// The event was received before; it is not applied again.
    duplicate: bool,
}

/// Receives a Stripe event
///
/// Stripe's webhook endpoint; no access token, the `Stripe-Signature` header is checked against
/// the raw body (<https://docs.stripe.com/webhooks#verify-manually>). Handled:
/// `checkout.session.completed`, `payment_intent.succeeded`, `payment_intent.payment_failed`,
/// `charge.refunded`; other types are acknowledged and kept.
#[utoipa::path(
    post,
    path = "/webhooks/stripe",
    operation_id = "stripe_webhook",
    tag = "webhooks",
    params(
        (
            "Stripe-Signature" = String,
            Header,
            description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">`, signed with the \
                endpoint's secret; at most 300 s old.",
        ),
    ),
    request_body(
        content = Event,
        content_type = "application/json",
        description = "The event exactly as Stripe sent it: the signature covers these bytes.",
    ),
    responses(
        (status = 200, description = "The event was received.", body = Ack),
        BadRequest, PayloadTooLarge, Unavailable,
    ),
)]
async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<axum::Json<Ack>, ApiError> {
    let secret = state.stripe.webhook_secret.as_ref().ok_or_else(|| {
        ApiError::PaymentsUnavailable(
            "Stripe webhooks are not configured on this server (APP_STRIPE__WEBHOOK_SECRET)."
                .to_owned(),
        )
    })?;
    let header = headers
        .get("stripe-signature")
        .map(|value| value.to_str().unwrap_or_default());
    signature::verify(
        header,
        &body,
        secret.expose_secret().as_bytes(),
        state.stripe.webhook_tolerance_secs,
        chrono::Utc::now().timestamp(),
    )
    .map_err(|error| {
        tracing::warn!(%error, "Stripe webhook refused");
        ApiError::BadRequest(format!("invalid Stripe signature: {error}"))
    })?;
    // Parsed once: the payload is kept as received, the event read from it.
    let payload: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|error| ApiError::BadRequest(format!("not a Stripe event: {error}")))?;
    let event = Event::deserialize(&payload)
        .map_err(|error| ApiError::BadRequest(format!("not a Stripe event: {error}")))?;
    let meaning = events::meaning(&event).map_err(ApiError::BadRequest)?;
    let mut owner = None;
    let (invoice_id, outcome, change) = match meaning {
        Meaning::Report { invoice, change } => match find_invoice(&state, &invoice).await? {
            Some(id) => {
                owner = claim(&state, id, &change).await?;
                let outcome = match owner {
                    Some(owner) if owner != id => EventOutcome::Conflict,
                    _ => EventOutcome::Pending,
                };
                (Some(id), outcome, Some(change))
            }
            None => (None, EventOutcome::Unmatched, Some(change)),
        },
        Meaning::Nothing => (None, EventOutcome::Ignored, None),
    };
    let earlier = store::receive_event(
        &state.db,
        &ReceivedEvent {
            id: &event.id,
            event_type: &event.event_type,
            invoice_id,
            outcome,
            payload: &payload,
            created_at: event.created_at(),
        },
    )
    .await?;
    let duplicate = earlier.is_some();
    match (earlier, outcome) {
        // Already handed over (or nothing to hand over): acknowledged, not applied again.
        (
            Some(
                EventOutcome::Signaled
                | EventOutcome::Unmatched
                | EventOutcome::Ignored
                | EventOutcome::Conflict,
            ),
            _,
        ) => {
            tracing::info!(event_id = %event.id, "Stripe event redelivered; already handled");
        }
        (_, EventOutcome::Unmatched) => {
            tracing::warn!(event_id = %event.id, event_type = %event.event_type, "Stripe event for no invoice we have; kept for inspection");
            if let Some(discrepancy) = change.as_ref().and_then(|change| unclaimed(&event, change))
            {
                store::record_discrepancy(&state.db, &discrepancy).await?;
            }
        }
        (_, EventOutcome::Conflict) => {
            if let (Some(named), Some(owner), Some(change)) = (invoice_id, owner, &change)
                && let Some(discrepancy) = elsewhere(&event, change, named, owner)
            {
                tracing::warn!(event_id = %event.id, %named, %owner, "Stripe event names another invoice than its PaymentIntent's; applied to neither");
                store::record_discrepancy(&state.db, &discrepancy).await?;
            }
        }
        (_, EventOutcome::Ignored) => {
            let handled = events::HANDLED.contains(&event.event_type.as_str());
            tracing::info!(event_id = %event.id, event_type = %event.event_type, handled, "Stripe event acknowledged; nothing to apply");
        }
        // New, or received before but never handed over (the signal failed): hand it over.
        (None | Some(EventOutcome::Pending), EventOutcome::Pending | EventOutcome::Signaled) => {
            if let (Some(invoice_id), Some(change)) = (invoice_id, change) {
                let report = StripeReport {
                    event_id: event.id.clone(),
                    source: ReportSource::Webhook,
                    change,
                };
                let input = InvoiceWorkflowInput::resume(
                    invoices::for_workflow(&state.db, invoice_id).await?,
                );
                state.workflows.report_stripe(input, report).await?;
                store::mark_signaled(&state.db, &event.id).await?;
                tracing::info!(event_id = %event.id, event_type = %event.event_type, %invoice_id, "Stripe event signaled to the invoice's workflow");
            }
        }
    }
    Ok(axum::Json(Ack {
        received: true,
        duplicate,
    }))
}

/// Money Stripe received for no invoice we have: an administrator must find its owner.
fn unclaimed(event: &Event, change: &StripeChange) -> Option<Discrepancy> {
    let StripeChange::Succeeded {
        intent_id,
        amount,
        currency,
        ..
    } = change
    else {
        return None;
    };
    Some(Discrepancy {
        kind: DiscrepancyKind::UnknownInvoice,
        transaction_id: intent_id.clone(),
        invoice_id: None,
        other_invoice_id: None,
        source: ReportSource::Webhook,
        expected_amount: None,
        actual_amount: Some(*amount),
        currency: Some(currency.clone()),
        detail: format!(
            "Stripe event {} reports {amount} {} received for no invoice we have.",
            event.id,
            currency.to_uppercase()
        ),
    })
}

/// The money a report moves: its PaymentIntent, what it is, the amount and the currency. A
/// failed attempt moves none.
fn money_moved(change: &StripeChange) -> Option<(&str, &'static str, i64, &str)> {
    match change {
        StripeChange::Succeeded {
            intent_id,
            amount,
            currency,
            ..
        } => Some((intent_id, "a payment", *amount, currency)),
        StripeChange::Refunded {
            intent_id,
            amount_refunded,
            currency,
            ..
        } => Some((intent_id, "a refund", *amount_refunded, currency)),
        StripeChange::Failed { .. } => None,
    }
}

/// For a report that moves money: the invoice its PaymentIntent belongs to, claimed for
/// `invoice_id` if no invoice had it yet. Failed attempts claim nothing.
async fn claim(
    state: &AppState,
    invoice_id: Uuid,
    change: &StripeChange,
) -> Result<Option<Uuid>, ApiError> {
    let Some((intent_id, ..)) = money_moved(change) else {
        return Ok(None);
    };
    Ok(Some(
        store::claim_transaction(&state.db, intent_id, invoice_id).await?,
    ))
}

/// A payment or refund naming invoice `named` for a PaymentIntent that belongs to `owner`.
fn elsewhere(
    event: &Event,
    change: &StripeChange,
    named: Uuid,
    owner: Uuid,
) -> Option<Discrepancy> {
    let (intent_id, what, amount, currency) = money_moved(change)?;
    Some(Discrepancy {
        kind: DiscrepancyKind::OtherInvoice,
        transaction_id: intent_id.to_owned(),
        invoice_id: Some(named),
        other_invoice_id: Some(owner),
        source: ReportSource::Webhook,
        expected_amount: None,
        actual_amount: Some(amount),
        currency: Some(currency.to_owned()),
        detail: format!(
            "Stripe event {} reports {what} of {amount} {} on PaymentIntent {intent_id} for \
             invoice {named}, but that PaymentIntent belongs to invoice {owner}; neither \
             invoice was changed.",
            event.id,
            currency.to_uppercase()
        ),
    })
}

/// The invoice an event is about, if we have it.
async fn find_invoice(state: &AppState, hint: &InvoiceHint) -> Result<Option<Uuid>, ApiError> {
    match hint {
        InvoiceHint::Metadata(id) => {
            Ok(store::invoice_exists(&state.db, *id).await?.then_some(*id))
        }
        InvoiceHint::Transaction(intent_id) => {
            Ok(store::invoice_for_transaction(&state.db, intent_id).await?)
        }
        InvoiceHint::Nothing => Ok(None),
    }
}
