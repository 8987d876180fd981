//! Credit notes on the invoice's workflow. A note is computed here, from the invoice's content
//! (loaded once per run: a sent invoice's content never changes) and what earlier notes
//! credited, in the same synchronous step that changes the amounts, so notes and payments
//! apply in the order the workflow accepted them and the next validator already sees the
//! result. What a note takes beyond the amount due (the invoice was paid) is its excess: moved
//! to the customer's credit balance, or refunded on the invoice's payments, newest first (at
//! Stripe for a Stripe payment).

use super::{HandlerError, InvoiceView, InvoiceWorkflow, now, outbox::Effect};
use crate::{
    contracts::{
        CreditNoteRequest, DocumentMark, EmailKind, IssueCreditNoteInput, LifecycleEventType,
        LoadCreditBasisInput, RefundStripePaymentInput, activity,
    },
    domain::{Action, FieldErrors, InvoiceStatus, Refusal, RefusalKind},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use temporalio_sdk::WorkflowContext;
use uuid::Uuid;

/// The longest reason a credit note takes, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What the `issue_credit_note` update answers: the note's id and the invoice after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteOutcome {
    pub credit_note_id: Uuid,
    pub invoice: InvoiceView,
}

/// A credit the invoice cannot take, as the refusal carries it (the API shows each field).
fn invalid(errors: FieldErrors) -> Refusal {
    let detail = serde_json::to_string(&errors).unwrap_or_else(|_| errors.to_string());
    Refusal::new(RefusalKind::InvalidCredit, detail)
}

impl InvoiceWorkflow {
    /// Whether the invoice takes `request`: its status, the reason, and (once the invoice's
    /// content is loaded) the credit itself. A note already issued is accepted (and changes
    /// nothing).
    pub(super) fn check_credit_note(&self, request: &CreditNoteRequest) -> Result<(), Refusal> {
        if self.credit_notes.contains(&request.credit_note_id) {
            return Ok(());
        }
        self.check(Action::IssueCreditNote)?;
        let reason = request.reason.trim();
        if reason.is_empty() {
            return Err(invalid(FieldErrors::single(
                "reason",
                "must say why the invoice is credited",
            )));
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(invalid(FieldErrors::single(
                "reason",
                format!("must be at most {MAX_REASON_CHARS} characters"),
            )));
        }
        if let Some(basis) = &self.credit_basis {
            basis
                .creditable()
                .credit(&self.credited, &request.scope)
                .map_err(invalid)?;
        }
        Ok(())
    }

    pub(super) async fn credit(
        ctx: &WorkflowContext<Self>,
        request: CreditNoteRequest,
    ) -> Result<CreditNoteOutcome, HandlerError> {
        let credit_note_id = request.credit_note_id;
        let outcome = |s: &Self| CreditNoteOutcome {
            credit_note_id,
            invoice: s.to_view(),
        };
        ctx.state(|s| s.check_credit_note(&request))?;
        if ctx.state(|s| s.credit_notes.contains(&credit_note_id)) {
            return Ok(ctx.state(outcome));
        }
        if ctx.state(|s| s.credit_basis.is_none()) {
            let input = ctx.state(|s| LoadCreditBasisInput {
                invoice_id: s.invoice_id,
            });
            let basis = Self::short(
                ctx,
                activity::LoadCreditBasis,
                input,
                super::outbox::short("load the invoice for a credit note", 30),
            )
            .await?;
            ctx.state_mut(|s| s.credit_basis.get_or_insert(basis).clone());
        }
        let at = now(ctx)?;
        let event_ids = [Self::event_id(ctx), Self::event_id(ctx)];
        let accepted = ctx.state_mut(|s| {
            s.check_credit_note(&request)?;
            // The same note, delivered again while the first was loading the invoice.
            if s.credit_notes.contains(&credit_note_id) {
                return Ok::<_, Refusal>(None);
            }
            let basis = s.credit_basis.as_ref().ok_or_else(|| {
                Refusal::new(RefusalKind::Busy, "The invoice is being loaded; try again.")
            })?;
            let note = basis
                .creditable()
                .credit(&s.credited, &request.scope)
                .map_err(invalid)?;
            s.credited = note.credited.clone();
            s.credit_notes.push(credit_note_id);
            let was = s.invoice.status;
            let excess = s.invoice.credit(note.gross_total, request.excess_to);
            let mut effects = Vec::new();
            if s.invoice.status == InvoiceStatus::Paid && was != InvoiceStatus::Paid {
                effects.push(s.render(Some(DocumentMark::Paid)));
                effects.push(Effect::Publish(s.lifecycle_event(
                    event_ids[1],
                    LifecycleEventType::Paid,
                    at,
                    json!({}),
                )));
            }
            effects.extend(s.retire_checkouts());
            let input = IssueCreditNoteInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                credit_note_id,
                at,
                reason: request.reason.trim().to_owned(),
                scope: request.scope.clone(),
                note,
                excess,
                excess_to: request.excess_to,
                amount_paid: s.invoice.amount_paid,
                amount_credited: s.invoice.amount_credited,
                amount_to_balance: s.invoice.amount_to_balance,
                status: s.invoice.status,
                event_seq: s.take_event_seq(),
            };
            Ok(Some((s.writes.issue(), input, effects)))
        })?;
        let Some((ticket, input, effects)) = accepted else {
            return Ok(ctx.state(outcome));
        };
        Self::publish_search_attributes(ctx);
        let gross_total = input.note.gross_total;
        let (excess, excess_to) = (input.excess, input.excess_to);
        let issued = Self::write(ctx, ticket, activity::IssueCreditNote, input).await?;
        let reason = request.reason.trim().to_owned();
        ctx.state_mut(|s| {
            // The note's PDF and e-invoice, then the e-mail that attaches them.
            let mut issued_effects = vec![
                Effect::RenderCreditNote { credit_note_id },
                Effect::Email(EmailKind::CreditNoteIssued {
                    credit_note_id,
                    number: issued.number.clone(),
                    gross_total,
                    reason,
                }),
            ];
            issued_effects.push(Effect::Publish(s.lifecycle_event(
                event_ids[0],
                LifecycleEventType::CreditNoteIssued,
                at,
                json!({
                    "credit_note_id": credit_note_id,
                    "number": issued.number,
                    "issue_date": issued.issue_date,
                    "gross_total": gross_total,
                    "excess": excess,
                    "excess_to": (excess > 0).then_some(excess_to),
                }),
            )));
            // The money goes back at Stripe; Stripe's own report of it, when it comes, finds
            // the refund already counted.
            for share in &issued.refunds {
                if let Some(intent_id) = &share.intent_id {
                    s.ledger.count_refund(intent_id, share.amount);
                    issued_effects.push(Effect::RefundStripe(RefundStripePaymentInput {
                        invoice_id: s.invoice_id,
                        intent_id: intent_id.clone(),
                        amount: share.amount,
                        idempotency_key: format!(
                            "credit-note-{credit_note_id}-{}",
                            share.payment_id
                        ),
                    }));
                }
            }
            s.outbox.extend(issued_effects);
            s.outbox.extend(effects);
        });
        Ok(ctx.state(outcome))
    }
}
