//! Online payments as Stripe reports them, and what each report does to an invoice.
//!
//! Stripe delivers webhooks at least once, late, and in any order. The ledger keeps, per
//! PaymentIntent, the furthest state Stripe has reported (a succeeded intent never fails again;
//! refunds are cumulative amounts that only grow), so applying the same reports in any order,
//! any number of times, leaves the invoice in the same state.

use super::{Action, Currency, InvoiceStatus, Money};
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;
use uuid::Uuid;

/// What Stripe reported about a payment for an invoice. Amounts are in the currency's minor
/// unit, as Stripe counts them; the currency is Stripe's lower-case code, compared with the
/// invoice's before anything is applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StripeChange {
    /// A PaymentIntent succeeded: `amount` was received.
    Succeeded {
        intent_id: String,
        amount: i64,
        currency: String,
        /// The Checkout Session (pay link) it was paid through, if any.
        checkout_session_id: Option<String>,
    },
    /// A payment attempt on the intent failed; the payer may try again.
    Failed {
        intent_id: String,
        amount: i64,
        currency: String,
        reason: Option<String>,
    },
    /// A charge of the intent was refunded, `amount_refunded` in total so far.
    Refunded {
        intent_id: String,
        charge_id: String,
        /// What the charge took (a refund proves it succeeded).
        amount: i64,
        amount_refunded: i64,
        currency: String,
    },
}

/// Why a reported payment was recorded for inspection instead of applied.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiscrepancyKind {
    /// Not the amount of the pay link it was made through.
    AmountMismatch,
    /// Not the invoice's currency.
    CurrencyMismatch,
    /// The invoice cannot take a payment (a draft, void).
    NotPayable,
    /// More than the amount due (paid twice, or paid offline meanwhile).
    Overpayment,
    /// Stripe has a succeeded payment the payments table lacks.
    MissingPayment,
    /// The payment names no invoice we have.
    UnknownInvoice,
    /// The payment (or its refund) names an invoice, but the same PaymentIntent already
    /// belongs to another one: applied to neither.
    OtherInvoice,
}

impl DiscrepancyKind {
    /// The kind as stored (`payment_discrepancies.kind`): `amount_mismatch`, ….
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The id of the payment row a PaymentIntent becomes: derived from the intent, so every run of
/// the workflow, and every report of the same intent, names the same payment.
pub fn payment_id_for(intent_id: &str) -> Uuid {
    const NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_3c2a_8b4e_4f7a_9c1d_2e3f_4a5b_6c7d);
    Uuid::new_v5(&NAMESPACE, format!("stripe:{intent_id}").as_bytes())
}

/// What the invoice looks like to a report: whether it can take money, and how much.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payable {
    pub status: InvoiceStatus,
    pub currency: Currency,
    pub amount_due: i64,
}

/// One thing a report makes the workflow do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Record the intent's payment.
    Record {
        payment_id: Uuid,
        intent_id: String,
        amount: i64,
    },
    /// Give `refunded` more back on the payment (`amount_refunded` in total).
    Refund {
        payment_id: Uuid,
        intent_id: String,
        charge_id: String,
        refunded: i64,
        amount_refunded: i64,
    },
    /// A payment attempt failed; the invoice stays payable.
    NoteFailure {
        intent_id: String,
        amount: i64,
        reason: Option<String>,
    },
    /// Record for inspection; change nothing.
    Flag {
        kind: DiscrepancyKind,
        intent_id: String,
        expected_amount: Option<i64>,
        actual_amount: i64,
        currency: String,
        detail: String,
    },
}

/// The furthest state Stripe reported for one PaymentIntent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentEntry {
    pub intent_id: String,
    pub outcome: IntentOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IntentOutcome {
    /// Only failed attempts so far.
    Failed,
    /// The money arrived and is recorded as payment `payment_id`.
    Received {
        payment_id: Uuid,
        amount: i64,
        refunded: i64,
    },
    /// The money arrived but could not be applied; it is recorded as a discrepancy.
    Flagged,
}

/// Every PaymentIntent reported for one invoice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub intents: Vec<IntentEntry>,
}

impl Ledger {
    /// Counts `amount` more as refunded on the intent's payment: a refund the workflow made
    /// itself (a credit note's excess), so Stripe's report of it, whenever it comes, adds
    /// nothing.
    pub fn count_refund(&mut self, intent_id: &str, amount: i64) {
        if let Some(IntentOutcome::Received { refunded, .. }) = self
            .intents
            .iter_mut()
            .find(|entry| entry.intent_id == intent_id)
            .map(|entry| &mut entry.outcome)
        {
            *refunded += amount;
        }
    }

    fn entry(&self, intent_id: &str) -> Option<&IntentOutcome> {
        self.intents
            .iter()
            .find(|entry| entry.intent_id == intent_id)
            .map(|entry| &entry.outcome)
    }

    fn set(&mut self, intent_id: &str, outcome: IntentOutcome) {
        match self
            .intents
            .iter_mut()
            .find(|entry| entry.intent_id == intent_id)
        {
            Some(entry) => entry.outcome = outcome,
            None => self.intents.push(IntentEntry {
                intent_id: intent_id.to_owned(),
                outcome,
            }),
        }
    }

    /// What `change` does to an invoice that looks like `payable`, given what was reported
    /// before. `expected` is the amount of the pay link the payment went through, if known.
    /// The ledger moves forward at once; the steps are for the workflow to carry out in order.
    pub fn apply(
        &mut self,
        change: &StripeChange,
        payable: Payable,
        expected: Option<i64>,
    ) -> Vec<Step> {
        match change {
            StripeChange::Succeeded {
                intent_id,
                amount,
                currency,
                ..
            } => self.receive(intent_id, *amount, currency, payable, expected),
            StripeChange::Failed {
                intent_id,
                amount,
                reason,
                ..
            } => match self.entry(intent_id) {
                // Stripe's intent already succeeded: this failure is an earlier attempt,
                // delivered late. It changes nothing.
                Some(IntentOutcome::Received { .. } | IntentOutcome::Flagged) => Vec::new(),
                _ => {
                    self.set(intent_id, IntentOutcome::Failed);
                    vec![Step::NoteFailure {
                        intent_id: intent_id.clone(),
                        amount: *amount,
                        reason: reason.clone(),
                    }]
                }
            },
            StripeChange::Refunded {
                intent_id,
                charge_id,
                amount,
                amount_refunded,
                currency,
            } => {
                // A refunded charge was paid first, whether or not that report has arrived.
                let mut steps = self.receive(intent_id, *amount, currency, payable, expected);
                if let Some(IntentOutcome::Received {
                    payment_id,
                    amount,
                    refunded,
                }) = self.entry(intent_id).cloned()
                {
                    let total = (*amount_refunded).clamp(0, amount);
                    if total > refunded {
                        steps.push(Step::Refund {
                            payment_id,
                            intent_id: intent_id.clone(),
                            charge_id: charge_id.clone(),
                            refunded: total - refunded,
                            amount_refunded: total,
                        });
                        self.set(
                            intent_id,
                            IntentOutcome::Received {
                                payment_id,
                                amount,
                                refunded: total,
                            },
                        );
                    }
                }
                steps
            }
        }
    }

    fn receive(
        &mut self,
        intent_id: &str,
        amount: i64,
        currency: &str,
        payable: Payable,
        expected: Option<i64>,
    ) -> Vec<Step> {
        if matches!(
            self.entry(intent_id),
            Some(IntentOutcome::Received { .. } | IntentOutcome::Flagged)
        ) {
            return Vec::new();
        }
        let flag = |kind, detail: String| Step::Flag {
            kind,
            intent_id: intent_id.to_owned(),
            expected_amount: expected.or(Some(payable.amount_due)),
            actual_amount: amount,
            currency: currency.to_owned(),
            detail,
        };
        let code = payable.currency.code();
        let problem = if !currency.eq_ignore_ascii_case(code) {
            Some(flag(
                DiscrepancyKind::CurrencyMismatch,
                format!(
                    "Stripe reported {amount} in {}, but the invoice is in {code}.",
                    currency.to_uppercase()
                ),
            ))
        } else if amount <= 0 {
            Some(flag(
                DiscrepancyKind::AmountMismatch,
                format!("Stripe reported a payment of {amount}."),
            ))
        } else if expected.is_some_and(|expected| expected != amount) {
            Some(flag(
                DiscrepancyKind::AmountMismatch,
                format!(
                    "Stripe reported {}, but the pay link asked for {}.",
                    Money::new(amount, payable.currency),
                    Money::new(expected.unwrap_or_default(), payable.currency)
                ),
            ))
        } else if !payable.status.allows(Action::RecordPayment) {
            Some(flag(
                if payable.status == InvoiceStatus::Paid {
                    DiscrepancyKind::Overpayment
                } else {
                    DiscrepancyKind::NotPayable
                },
                format!(
                    "Stripe reported {} for a {} invoice.",
                    Money::new(amount, payable.currency),
                    payable.status
                ),
            ))
        } else if amount > payable.amount_due {
            Some(flag(
                DiscrepancyKind::Overpayment,
                format!(
                    "Stripe reported {}, more than the amount due, {}.",
                    Money::new(amount, payable.currency),
                    Money::new(payable.amount_due, payable.currency)
                ),
            ))
        } else {
            None
        };
        if let Some(flag) = problem {
            self.set(intent_id, IntentOutcome::Flagged);
            return vec![flag];
        }
        let payment_id = payment_id_for(intent_id);
        self.set(
            intent_id,
            IntentOutcome::Received {
                payment_id,
                amount,
                refunded: 0,
            },
        );
        vec![Step::Record {
            payment_id,
            intent_id: intent_id.to_owned(),
            amount,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrepancy_kinds_are_stored_as_they_serialize() {
        let kinds = [
            (DiscrepancyKind::AmountMismatch, "amount_mismatch"),
            (DiscrepancyKind::CurrencyMismatch, "currency_mismatch"),
            (DiscrepancyKind::NotPayable, "not_payable"),
            (DiscrepancyKind::Overpayment, "overpayment"),
            (DiscrepancyKind::MissingPayment, "missing_payment"),
            (DiscrepancyKind::UnknownInvoice, "unknown_invoice"),
            (DiscrepancyKind::OtherInvoice, "other_invoice"),
        ];
        for (kind, text) in kinds {
            assert_eq!(kind.as_str(), text);
            assert_eq!(serde_json::to_value(kind).unwrap(), text);
        }
    }

    fn open(amount_due: i64) -> Payable {
        Payable {
            status: InvoiceStatus::Sent,
            currency: Currency::parse("USD").unwrap(),
            amount_due,
        }
    }

    fn succeeded(intent: &str, amount: i64) -> StripeChange {
        StripeChange::Succeeded {
            intent_id: intent.to_owned(),
            amount,
            currency: "usd".to_owned(),
            checkout_session_id: None,
        }
    }

    fn failed(intent: &str) -> StripeChange {
        StripeChange::Failed {
            intent_id: intent.to_owned(),
            amount: 5_000,
            currency: "usd".to_owned(),
            reason: Some("card_declined".to_owned()),
        }
    }

    fn refunded(intent: &str, amount_refunded: i64) -> StripeChange {
        StripeChange::Refunded {
            intent_id: intent.to_owned(),
            charge_id: format!("ch_{intent}"),
            amount: 5_000,
            amount_refunded,
            currency: "usd".to_owned(),
        }
    }

    /// Applies `changes` to an invoice of 5,000 due, tracking the amount paid as the workflow
    /// would, and returns (amount paid, steps).
    fn run(changes: &[StripeChange]) -> (i64, Vec<Step>) {
        let mut ledger = Ledger::default();
        let mut paid = 0;
        let mut all = Vec::new();
        for change in changes {
            let payable = Payable {
                status: if paid == 5_000 {
                    InvoiceStatus::Paid
                } else {
                    InvoiceStatus::Sent
                },
                ..open(5_000 - paid)
            };
            for step in ledger.apply(change, payable, None) {
                match &step {
                    Step::Record { amount, .. } => paid += amount,
                    Step::Refund { refunded, .. } => paid -= refunded,
                    _ => {}
                }
                all.push(step);
            }
        }
        (paid, all)
    }

    #[test]
    fn a_succeeded_intent_is_recorded_once_however_often_it_is_reported() {
        let (paid, steps) = run(&[
            succeeded("pi_1", 5_000),
            succeeded("pi_1", 5_000),
            succeeded("pi_1", 5_000),
        ]);
        assert_eq!(paid, 5_000);
        assert_eq!(steps.len(), 1);
        assert!(
            matches!(&steps[0], Step::Record { payment_id, .. } if *payment_id == payment_id_for("pi_1"))
        );
    }

    #[test]
    fn a_failure_delivered_after_the_success_changes_nothing() {
        let (paid, steps) = run(&[succeeded("pi_1", 5_000), failed("pi_1")]);
        assert_eq!(paid, 5_000);
        assert_eq!(steps.len(), 1);
        let (paid, steps) = run(&[failed("pi_1"), succeeded("pi_1", 5_000)]);
        assert_eq!(paid, 5_000);
        assert!(matches!(steps[0], Step::NoteFailure { .. }));
    }

    #[test]
    fn every_order_of_the_same_reports_ends_in_the_same_state() {
        let reports = [
            failed("pi_1"),
            succeeded("pi_1", 5_000),
            refunded("pi_1", 2_000),
            refunded("pi_1", 3_000),
        ];
        // All 24 orders of the four reports.
        let mut orders = vec![vec![]];
        for _ in 0..reports.len() {
            orders = orders
                .into_iter()
                .flat_map(|order: Vec<usize>| {
                    (0..reports.len())
                        .filter(|i| !order.contains(i))
                        .map(|i| [order.clone(), vec![i]].concat())
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        assert_eq!(orders.len(), 24);
        for order in orders {
            let changes: Vec<_> = order.iter().map(|&i| reports[i].clone()).collect();
            let (paid, _) = run(&changes);
            assert_eq!(paid, 2_000, "order {order:?}");
        }
    }

    #[test]
    fn a_refund_reported_first_records_the_payment_it_refunds() {
        let (paid, steps) = run(&[refunded("pi_1", 5_000), succeeded("pi_1", 5_000)]);
        assert_eq!(paid, 0);
        assert!(matches!(steps[0], Step::Record { amount: 5_000, .. }));
        assert!(matches!(
            steps[1],
            Step::Refund {
                refunded: 5_000,
                ..
            }
        ));
        assert_eq!(steps.len(), 2);
    }

    #[test]
    fn refund_totals_only_grow() {
        let (paid, steps) = run(&[
            succeeded("pi_1", 5_000),
            refunded("pi_1", 3_000),
            refunded("pi_1", 1_000),
            refunded("pi_1", 9_999),
        ]);
        // The late, smaller total is ignored; the total is capped at what was charged.
        assert_eq!(paid, 0);
        let refunds: Vec<_> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Refund { refunded, .. } => Some(*refunded),
                _ => None,
            })
            .collect();
        assert_eq!(refunds, [3_000, 2_000]);
    }

    #[test]
    fn mismatches_are_flagged_not_applied() {
        let mut ledger = Ledger::default();
        let euros = StripeChange::Succeeded {
            intent_id: "pi_eur".to_owned(),
            amount: 5_000,
            currency: "eur".to_owned(),
            checkout_session_id: None,
        };
        let steps = ledger.apply(&euros, open(5_000), None);
        assert!(matches!(
            steps[..],
            [Step::Flag {
                kind: DiscrepancyKind::CurrencyMismatch,
                ..
            }]
        ));
        // Flagged once: the same report again adds nothing.
        assert!(ledger.apply(&euros, open(5_000), None).is_empty());

        let steps = ledger.apply(&succeeded("pi_short", 4_000), open(5_000), Some(5_000));
        assert!(matches!(
            steps[..],
            [Step::Flag {
                kind: DiscrepancyKind::AmountMismatch,
                expected_amount: Some(5_000),
                actual_amount: 4_000,
                ..
            }]
        ));

        let steps = ledger.apply(&succeeded("pi_over", 6_000), open(5_000), None);
        assert!(matches!(
            steps[..],
            [Step::Flag {
                kind: DiscrepancyKind::Overpayment,
                ..
            }]
        ));

        let void = Payable {
            status: InvoiceStatus::Void,
            ..open(5_000)
        };
        let steps = ledger.apply(&succeeded("pi_void", 5_000), void, None);
        assert!(matches!(
            steps[..],
            [Step::Flag {
                kind: DiscrepancyKind::NotPayable,
                ..
            }]
        ));

        // A written-off invoice still takes what Stripe collects, as Stripe itself does.
        let written_off = Payable {
            status: InvoiceStatus::Uncollectible,
            ..open(5_000)
        };
        let steps = ledger.apply(&succeeded("pi_late", 5_000), written_off, None);
        assert!(
            matches!(steps[..], [Step::Record { amount: 5_000, .. }]),
            "{steps:?}"
        );
    }

    #[test]
    fn payment_ids_are_stable_and_distinct() {
        assert_eq!(payment_id_for("pi_1"), payment_id_for("pi_1"));
        assert_ne!(payment_id_for("pi_1"), payment_id_for("pi_2"));
    }
}
