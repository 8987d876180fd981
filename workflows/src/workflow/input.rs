//! How an invoice's workflow run starts: for a new draft, for a run that takes an invoice over
//! from PostgreSQL (its workflow was terminated, or never started), and for a continued run.
//!
//! The store hands over plain rows ([`StoredInvoice`]); what they mean to the workflow (which
//! side effects were reminders, which payments came from Stripe) is read here, beside the code
//! that wrote them.

use super::{InvoiceState, InvoiceWorkflow, OpenCheckout, writes::WriteQueue};
use crate::{
    contracts::EmailKind,
    domain::{
        Draft, InvoiceStatus, Ledger, ReminderSchedule,
        credit::Credited,
        ledger::{IntentEntry, IntentOutcome},
    },
};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use uuid::Uuid;

/// How a workflow run starts: the invoice as stored, for a new invoice, a continue-as-new, or a
/// workflow restarted from PostgreSQL after an operator terminated the previous run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceWorkflowInput {
    pub invoice_id: Uuid,
    pub owner_id: Uuid,
    pub invoice: InvoiceState,
    /// The invoice row's `version`; every write increases it.
    pub version: i64,
    /// Sequence number of the next timeline entry.
    pub next_event_seq: i32,
    /// Payments already recorded, so a payment delivered again is recognised.
    pub recorded_payments: Vec<Uuid>,
    /// The reminders of a sent invoice (its schedule, and those already done).
    #[serde(default)]
    pub reminders: ReminderSchedule,
    /// PDF versions asked for so far, and the latest stored.
    #[serde(default)]
    pub documents_issued: i32,
    #[serde(default)]
    pub document_version: i32,
    /// What Stripe has reported, per PaymentIntent.
    #[serde(default)]
    pub ledger: Ledger,
    /// Pay links still waiting for their outcome.
    #[serde(default)]
    pub checkouts: Vec<OpenCheckout>,
    /// What its credit notes have credited.
    #[serde(default)]
    pub credited: Credited,
    /// The credit notes issued, so a request delivered again is recognised.
    #[serde(default)]
    pub credit_notes: Vec<Uuid>,
}

/// An invoice as PostgreSQL holds it: the columns a workflow run needs to take it over, as
/// stored, without interpretation.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredInvoice {
    pub invoice_id: Uuid,
    pub owner_id: Uuid,
    /// Its status, number, currency, dates and amounts.
    pub invoice: InvoiceState,
    pub version: i64,
    /// The latest PDF version stored; `None` before the first.
    pub document_version: Option<i32>,
    /// The sequence number after the timeline's last entry.
    pub next_event_seq: i32,
    /// Every payment recorded, oldest first.
    pub payment_ids: Vec<Uuid>,
    /// The account's reminder days as they were when the invoice was sent; empty before.
    pub reminder_days: Vec<i32>,
    /// The steps of the side effects already performed for the invoice (`side_effects.step`).
    pub side_effect_steps: Vec<String>,
    /// The payments that came through Stripe, oldest first.
    pub stripe_payments: Vec<StoredStripePayment>,
    /// What its credit notes have credited (`invoices.credited`).
    pub credited: Credited,
    /// Its credit notes, oldest first.
    pub credit_note_ids: Vec<Uuid>,
}

/// A payment row that came through Stripe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredStripePayment {
    pub payment_id: Uuid,
    /// Its PaymentIntent (`payments.transaction_id`).
    pub intent_id: String,
    pub amount: i64,
    pub amount_refunded: i64,
}

impl InvoiceWorkflowInput {
    /// The first run of a draft just stored (version 0, with its `created` timeline entry).
    pub fn for_draft(invoice_id: Uuid, owner_id: Uuid, draft: &Draft) -> Self {
        Self {
            invoice_id,
            owner_id,
            invoice: InvoiceState {
                status: InvoiceStatus::Draft,
                number: None,
                currency: draft.currency,
                issue_date: draft.issue_date,
                due_date: draft.due_date,
                total: draft.total(),
                amount_paid: 0,
                amount_credited: 0,
                amount_to_balance: 0,
            },
            version: 0,
            // Entry 0, `created`, was written with the draft.
            next_event_seq: 1,
            recorded_payments: Vec::new(),
            reminders: ReminderSchedule::default(),
            documents_issued: 0,
            document_version: 0,
            ledger: Ledger::default(),
            checkouts: Vec::new(),
            credited: Credited::default(),
            credit_notes: Vec::new(),
        }
    }

    /// A run that takes over an invoice from its stored state, when none is running (an
    /// operator terminated it, or the process that created the invoice died before starting
    /// it).
    pub fn resume(stored: StoredInvoice) -> Self {
        // A reminder sent (or skipped) by an earlier run is not sent again.
        let reminders_done = stored
            .side_effect_steps
            .iter()
            .filter_map(|step| EmailKind::reminder_in_step(step))
            .collect();
        // Stripe payments already recorded, with what was refunded on each: a late or repeated
        // report of them changes nothing, a larger refund total still applies.
        let ledger = Ledger {
            intents: stored
                .stripe_payments
                .into_iter()
                .map(|payment| IntentEntry {
                    intent_id: payment.intent_id,
                    outcome: IntentOutcome::Received {
                        payment_id: payment.payment_id,
                        amount: payment.amount,
                        refunded: payment.amount_refunded,
                    },
                })
                .collect(),
        };
        let document_version = stored.document_version.unwrap_or(0);
        Self {
            invoice_id: stored.invoice_id,
            owner_id: stored.owner_id,
            invoice: stored.invoice,
            version: stored.version,
            next_event_seq: stored.next_event_seq,
            recorded_payments: stored.payment_ids,
            reminders: ReminderSchedule {
                days: stored.reminder_days,
                done: reminders_done,
            },
            documents_issued: document_version,
            document_version,
            ledger,
            // Pay links of an earlier run are left to the nightly reconciliation.
            checkouts: Vec::new(),
            credited: stored.credited,
            credit_notes: stored.credit_note_ids,
        }
    }
}

impl InvoiceWorkflow {
    /// A run's state when it starts: the input's, with nothing in flight.
    pub(super) fn start(input: InvoiceWorkflowInput) -> Self {
        Self {
            invoice_id: input.invoice_id,
            owner_id: input.owner_id,
            invoice: input.invoice,
            version: input.version,
            next_event_seq: input.next_event_seq,
            recorded_payments: input.recorded_payments,
            due_date_version: 0,
            deleted: false,
            sending: false,
            writes: WriteQueue::default(),
            reminders: input.reminders,
            documents_issued: input.documents_issued,
            document_version: input.document_version,
            outbox: VecDeque::new(),
            done: false,
            ledger: input.ledger,
            stripe_inbox: VecDeque::new(),
            settling: false,
            taking_credit: false,
            checkouts: input.checkouts,
            checkouts_version: 0,
            credited: input.credited,
            credit_notes: input.credit_notes,
            credit_basis: None,
        }
    }

    /// The input of the run this one continues as: everything it holds, nothing in flight
    /// (it continues only once every change is stored and every effect delivered).
    pub(super) fn continued_input(&self) -> InvoiceWorkflowInput {
        InvoiceWorkflowInput {
            invoice_id: self.invoice_id,
            owner_id: self.owner_id,
            invoice: self.invoice.clone(),
            version: self.version,
            next_event_seq: self.next_event_seq,
            recorded_payments: self.recorded_payments.clone(),
            reminders: self.reminders.clone(),
            documents_issued: self.documents_issued,
            document_version: self.document_version,
            ledger: self.ledger.clone(),
            checkouts: self.checkouts.clone(),
            credited: self.credited.clone(),
            credit_notes: self.credit_notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Currency, DraftFields, Email, InvoiceNumber, LineItemFields, PriceBasis, ReminderPolicy,
        Unit,
        draft::{CustomerRef, DecimalText, References},
    };
    use chrono::NaiveDate;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn draft() -> Draft {
        let customer = CustomerRef {
            id: Uuid::from_u128(9),
            name: "Acme".to_owned(),
            email: Email::parse("billing@acme.test").unwrap(),
            vat_id: None,
        };
        Draft::parse(
            DraftFields {
                customer_id: customer.id,
                currency: "EUR".to_owned(),
                issue_date: date("2026-12-01"),
                due_date: date("2026-12-31"),
                supply_date: None,
                service_period: None,
                price_basis: PriceBasis::Exclusive,
                notes: None,
                items: vec![LineItemFields {
                    description: "Design".to_owned(),
                    quantity: DecimalText("3".to_owned()),
                    unit: Unit::Hour,
                    unit_amount: Some(12_500),
                    unit_amount_decimal: None,
                    discount: None,
                    tax_rate_id: None,
                    period: None,
                }],
                adjustments: vec![],
            },
            date("2026-12-01"),
            &References {
                customer: Some(customer),
                rates: Default::default(),
            },
        )
        .unwrap()
    }

    fn stored() -> StoredInvoice {
        StoredInvoice {
            invoice_id: Uuid::from_u128(1),
            owner_id: Uuid::from_u128(2),
            invoice: InvoiceState {
                status: InvoiceStatus::Overdue,
                number: Some(InvoiceNumber::new(7)),
                currency: Currency::parse("USD").unwrap(),
                issue_date: date("2026-11-01"),
                due_date: date("2026-12-01"),
                total: 50_000,
                amount_paid: 20_000,
                amount_credited: 0,
                amount_to_balance: 0,
            },
            version: 6,
            document_version: Some(2),
            next_event_seq: 11,
            payment_ids: vec![Uuid::from_u128(10), Uuid::from_u128(11)],
            reminder_days: ReminderPolicy::default().days().to_vec(),
            side_effect_steps: Vec::new(),
            stripe_payments: Vec::new(),
            credited: Default::default(),
            credit_note_ids: Vec::new(),
        }
    }

    #[test]
    fn a_new_draft_starts_at_version_0_after_its_created_entry() {
        let draft = draft();
        let input = InvoiceWorkflowInput::for_draft(Uuid::from_u128(1), Uuid::from_u128(2), &draft);
        assert_eq!(input.invoice_id, Uuid::from_u128(1));
        assert_eq!(input.owner_id, Uuid::from_u128(2));
        assert_eq!(
            input.invoice,
            InvoiceState {
                status: InvoiceStatus::Draft,
                number: None,
                currency: draft.currency,
                issue_date: date("2026-12-01"),
                due_date: date("2026-12-31"),
                total: 37_500,
                amount_paid: 0,
                amount_credited: 0,
                amount_to_balance: 0,
            }
        );
        assert_eq!((input.version, input.next_event_seq), (0, 1));
        assert!(input.recorded_payments.is_empty());
        assert_eq!(input.reminders, ReminderSchedule::default());
        assert_eq!((input.documents_issued, input.document_version), (0, 0));
        assert_eq!(input.ledger, Ledger::default());
        assert!(input.checkouts.is_empty());
    }

    #[test]
    fn a_resumed_run_takes_the_invoice_as_stored() {
        let input = InvoiceWorkflowInput::resume(stored());
        assert_eq!(input.invoice_id, Uuid::from_u128(1));
        assert_eq!(input.owner_id, Uuid::from_u128(2));
        assert_eq!(input.invoice.status, InvoiceStatus::Overdue);
        assert_eq!(input.invoice.number, Some(InvoiceNumber::new(7)));
        assert_eq!(input.invoice.amount_due(), 30_000);
        assert_eq!((input.version, input.next_event_seq), (6, 11));
        assert_eq!(
            input.recorded_payments,
            [Uuid::from_u128(10), Uuid::from_u128(11)]
        );
        assert_eq!(input.reminders.days, [-3, 0, 1, 7, 14]);
        assert!(input.reminders.done.is_empty());
        // Every version issued is stored: nothing is being rendered.
        assert_eq!((input.documents_issued, input.document_version), (2, 2));
        assert!(input.checkouts.is_empty());
    }

    #[test]
    fn a_draft_never_rendered_resumes_at_document_version_0() {
        let sent = stored();
        let input = InvoiceWorkflowInput::resume(StoredInvoice {
            invoice: InvoiceState {
                status: InvoiceStatus::Draft,
                number: None,
                ..sent.invoice
            },
            document_version: None,
            reminder_days: Vec::new(),
            ..sent
        });
        assert_eq!((input.documents_issued, input.document_version), (0, 0));
        assert_eq!(input.reminders, ReminderSchedule::default());
    }

    #[test]
    fn reminders_already_performed_are_done_and_other_steps_are_not_reminders() {
        let steps = [
            "email:invoice_sent",
            "email:reminder:-3",
            "email:reminder:0",
            "email:reminder:7",
            "email:receipt:00000000-0000-0000-0000-00000000000a",
            "email:voided",
            "email:reminder:",
            "email:reminder:seven",
            "email:reminders:1",
            "publish:email:reminder:14",
        ];
        let input = InvoiceWorkflowInput::resume(StoredInvoice {
            side_effect_steps: steps.map(str::to_owned).to_vec(),
            ..stored()
        });
        assert_eq!(input.reminders.done, [-3, 0, 7]);
        assert_eq!(
            input
                .reminders
                .next(input.invoice.due_date)
                .map(|(day, _)| day),
            Some(1)
        );
    }

    #[test]
    fn stripe_payments_are_in_the_ledger_with_their_refunds() {
        let input = InvoiceWorkflowInput::resume(StoredInvoice {
            stripe_payments: vec![StoredStripePayment {
                payment_id: Uuid::from_u128(11),
                intent_id: "pi_1".to_owned(),
                amount: 15_000,
                amount_refunded: 5_000,
            }],
            ..stored()
        });
        assert_eq!(
            input.ledger.intents,
            [IntentEntry {
                intent_id: "pi_1".to_owned(),
                outcome: IntentOutcome::Received {
                    payment_id: Uuid::from_u128(11),
                    amount: 15_000,
                    refunded: 5_000,
                },
            }]
        );
    }

    #[test]
    fn a_continued_run_starts_with_everything_this_one_holds() {
        let mut input = InvoiceWorkflowInput::resume(StoredInvoice {
            side_effect_steps: vec!["email:reminder:-3".to_owned()],
            stripe_payments: vec![StoredStripePayment {
                payment_id: Uuid::from_u128(11),
                intent_id: "pi_1".to_owned(),
                amount: 15_000,
                amount_refunded: 0,
            }],
            ..stored()
        });
        input.checkouts.push(OpenCheckout {
            checkout: crate::contracts::Checkout {
                session_id: "cs_1".to_owned(),
                url: "https://checkout.stripe.test/cs_1".to_owned(),
                amount: 30_000,
                currency: input.invoice.currency,
                expires_at: "2026-12-02T00:00:00Z".parse().unwrap(),
            },
            check_at: "2026-12-01T01:00:00Z".parse().unwrap(),
            watchdog_after_secs: 3_600,
        });
        assert_eq!(
            InvoiceWorkflow::start(input.clone()).continued_input(),
            input
        );
    }
}
