//! The rules the workflow's state follows: which commands it accepts, and the bookkeeping
//! (versions, timeline numbers) every change carries. Pure: no context, no IO.

use super::{InvoiceView, InvoiceWorkflow, UncollectibleRequest};
use crate::{
    contracts::PaymentRequest,
    domain::{Action, InvoiceStatus, Money, PaymentMethod, Refusal, RefusalKind, terms},
};
use chrono::NaiveDate;

impl InvoiceWorkflow {
    pub(super) fn to_view(&self) -> InvoiceView {
        let overdue_at = (self.invoice.status == InvoiceStatus::Sent)
            .then(|| terms::overdue_at(self.invoice.due_date));
        InvoiceView {
            invoice_id: self.invoice_id,
            status: self.invoice.status,
            number: self.invoice.number,
            currency: self.invoice.currency,
            issue_date: self.invoice.issue_date,
            due_date: self.invoice.due_date,
            total: self.invoice.total,
            amount_paid: self.invoice.amount_paid,
            amount_credited: self.invoice.amount_credited,
            amount_due: self.invoice.amount_due(),
            overdue_at,
            next_reminder_at: matches!(
                self.invoice.status,
                InvoiceStatus::Sent | InvoiceStatus::Overdue
            )
            .then(|| self.reminders.next(self.invoice.due_date))
            .flatten()
            .map(|(_, at)| at),
            document_version: self.document_version,
            deleted: self.deleted,
        }
    }

    pub(super) fn next_version(&mut self) -> i64 {
        self.version += 1;
        self.version
    }

    pub(super) fn take_event_seq(&mut self) -> i32 {
        self.next_event_seq += 1;
        self.next_event_seq - 1
    }

    pub(super) fn check(&self, action: Action) -> Result<(), Refusal> {
        if self.deleted {
            return Err(Refusal::new(
                RefusalKind::InvalidTransition,
                "This draft has been deleted.",
            ));
        }
        if self.sending {
            return Err(Refusal::new(
                RefusalKind::Busy,
                "This draft is being sent; try again in a moment.",
            ));
        }
        if self.taking_credit {
            return Err(Refusal::new(
                RefusalKind::Busy,
                "The customer's credit balance is being applied to this invoice; try again in a \
                 moment.",
            ));
        }
        self.invoice.status.check(action)
    }

    pub(super) fn check_payment(&self, payment: &PaymentRequest) -> Result<(), Refusal> {
        if self.recorded_payments.contains(&payment.payment_id) {
            return Ok(());
        }
        self.check(Action::RecordPayment)?;
        let currency = self.invoice.currency;
        if payment.amount <= 0 {
            return Err(Refusal::new(
                RefusalKind::InvalidAmount,
                "A payment must be for a positive amount.",
            ));
        }
        let due = self.invoice.amount_due();
        // A Stripe report being applied may change the amount due while the credit is taken.
        if payment.method == PaymentMethod::CreditBalance && self.settling {
            return Err(Refusal::new(
                RefusalKind::Busy,
                "A payment reported by Stripe is being applied to this invoice; try again in a \
                 moment.",
            ));
        }
        if payment.amount > due {
            return Err(Refusal::new(
                RefusalKind::Overpayment,
                format!(
                    "A payment of {} exceeds the amount due, {}.",
                    Money::new(payment.amount, currency),
                    Money::new(due, currency)
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn check_void(&self) -> Result<(), Refusal> {
        self.check(Action::Void)?;
        if self.invoice.amount_credited > 0 {
            return Err(Refusal::new(
                RefusalKind::CreditNotesIssued,
                "Cannot void an invoice that credit notes have credited; credit the rest instead.",
            ));
        }
        if self.invoice.amount_paid > 0 {
            return Err(Refusal::new(
                RefusalKind::PaymentsRecorded,
                format!(
                    "Cannot void an invoice with {} already paid against it; refund the payments first.",
                    Money::new(self.invoice.amount_paid, self.invoice.currency)
                ),
            ));
        }
        Ok(())
    }

    /// A write-off of a sent or overdue invoice, dated between its issue date and `today`
    /// (when the caller has a clock).
    pub(super) fn check_uncollectible(
        &self,
        request: &UncollectibleRequest,
        today: Option<NaiveDate>,
    ) -> Result<(), Refusal> {
        self.check(Action::MarkUncollectible)?;
        if request.reason.trim().is_empty() {
            return Err(Refusal::new(
                RefusalKind::InvalidTransition,
                "A write-off needs a reason.",
            ));
        }
        if request.on < self.invoice.issue_date {
            return Err(Refusal::new(
                RefusalKind::InvalidWriteOffDate,
                format!(
                    "The write-off date {} is before the invoice's issue date, {}.",
                    request.on, self.invoice.issue_date
                ),
            ));
        }
        if let Some(today) = today.filter(|today| request.on > *today) {
            return Err(Refusal::new(
                RefusalKind::InvalidWriteOffDate,
                format!(
                    "The write-off date {} is in the future; today is {today}.",
                    request.on
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn check_due_date_change(&self, due_date: NaiveDate) -> Result<(), Refusal> {
        self.check(Action::ChangeDueDate)?;
        terms::check_due_date(self.invoice.issue_date, due_date)
            .map_err(|m| Refusal::new(RefusalKind::InvalidDueDate, format!("The due date {m}.")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        InvoiceState, InvoiceWorkflowInput,
        domain::{Currency, InvoiceNumber, ReminderPolicy, ReminderSchedule},
    };
    use uuid::Uuid;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// An invoice of 500.00 USD issued on 1 November 2026, due on 1 December, in `status`,
    /// with `amount_paid` paid.
    fn invoice(status: InvoiceStatus, amount_paid: i64) -> InvoiceWorkflow {
        InvoiceWorkflow::start(InvoiceWorkflowInput {
            invoice_id: Uuid::from_u128(1),
            owner_id: Uuid::from_u128(2),
            invoice: InvoiceState {
                status,
                number: (status != InvoiceStatus::Draft).then(|| InvoiceNumber::new(7)),
                currency: Currency::parse("USD").unwrap(),
                issue_date: date("2026-11-01"),
                due_date: date("2026-12-01"),
                total: 50_000,
                amount_paid,
                amount_credited: 0,
                amount_to_balance: 0,
            },
            version: 3,
            next_event_seq: 5,
            recorded_payments: Vec::new(),
            reminders: ReminderSchedule::new(&ReminderPolicy::default()),
            documents_issued: 1,
            document_version: 1,
            ledger: Default::default(),
            checkouts: Vec::new(),
            credited: Default::default(),
            credit_notes: Vec::new(),
        })
    }

    fn payment(amount: i64) -> PaymentRequest {
        PaymentRequest {
            payment_id: Uuid::from_u128(100),
            amount,
            method: PaymentMethod::Cash,
            reference: None,
            transaction_id: None,
        }
    }

    fn kind(result: Result<(), Refusal>) -> RefusalKind {
        result.unwrap_err().kind
    }

    #[test]
    fn versions_and_timeline_numbers_count_up_from_the_stored_ones() {
        let mut workflow = invoice(InvoiceStatus::Sent, 0);
        assert_eq!(workflow.next_version(), 4);
        assert_eq!(workflow.next_version(), 5);
        // The sequence number taken is the next free one; the counter moves past it.
        assert_eq!(workflow.take_event_seq(), 5);
        assert_eq!(workflow.take_event_seq(), 6);
        assert_eq!(workflow.next_event_seq, 7);
    }

    #[test]
    fn commands_follow_the_status_machine() {
        let draft = invoice(InvoiceStatus::Draft, 0);
        assert_eq!(draft.check(Action::Edit), Ok(()));
        assert_eq!(draft.check(Action::Send), Ok(()));
        assert_eq!(
            kind(draft.check(Action::RecordPayment)),
            RefusalKind::InvalidTransition
        );
        let paid = invoice(InvoiceStatus::Paid, 50_000);
        assert_eq!(
            paid.check(Action::Void),
            paid.invoice.status.check(Action::Void)
        );
        assert_eq!(
            kind(paid.check(Action::Checkout)),
            RefusalKind::InvalidTransition
        );
    }

    #[test]
    fn a_deleted_draft_refuses_every_command() {
        let mut draft = invoice(InvoiceStatus::Draft, 0);
        draft.deleted = true;
        for action in [Action::Edit, Action::Delete, Action::Send, Action::Void] {
            let refusal = draft.check(action).unwrap_err();
            assert_eq!(refusal.kind, RefusalKind::InvalidTransition);
            assert_eq!(refusal.detail, "This draft has been deleted.");
        }
    }

    #[test]
    fn a_payment_is_up_to_the_amount_due_and_positive() {
        let sent = invoice(InvoiceStatus::Sent, 20_000);
        assert_eq!(sent.check_payment(&payment(1)), Ok(()));
        assert_eq!(sent.check_payment(&payment(30_000)), Ok(()));
        let over = sent.check_payment(&payment(30_001)).unwrap_err();
        assert_eq!(over.kind, RefusalKind::Overpayment);
        assert_eq!(
            over.detail,
            "A payment of 300.01 USD exceeds the amount due, 300.00 USD."
        );
        for amount in [0, -1, i64::MIN] {
            assert_eq!(
                kind(sent.check_payment(&payment(amount))),
                RefusalKind::InvalidAmount,
                "{amount}"
            );
        }
        // Overdue invoices take payments too.
        let overdue = invoice(InvoiceStatus::Overdue, 0);
        assert_eq!(overdue.check_payment(&payment(50_000)), Ok(()));
    }

    #[test]
    fn only_sent_and_overdue_invoices_take_payments() {
        for status in [
            InvoiceStatus::Draft,
            InvoiceStatus::Paid,
            InvoiceStatus::Void,
        ] {
            let workflow = invoice(status, 0);
            assert_eq!(
                kind(workflow.check_payment(&payment(100))),
                RefusalKind::InvalidTransition,
                "{status}"
            );
        }
    }

    #[test]
    fn a_written_off_invoice_still_takes_payments_up_to_what_was_written_off() {
        let written_off = invoice(InvoiceStatus::Uncollectible, 20_000);
        assert_eq!(written_off.check_payment(&payment(30_000)), Ok(()));
        assert_eq!(
            kind(written_off.check_payment(&payment(30_001))),
            RefusalKind::Overpayment
        );
        assert_eq!(written_off.to_view().next_reminder_at, None);
        assert_eq!(written_off.to_view().overdue_at, None);
    }

    #[test]
    fn a_write_off_is_of_an_open_invoice_with_a_reason_dated_from_issue_to_today() {
        let request = |on: &str, reason: &str| UncollectibleRequest {
            reason: reason.to_owned(),
            on: date(on),
        };
        let today = Some(date("2027-03-01"));
        for status in [InvoiceStatus::Sent, InvoiceStatus::Overdue] {
            let open = invoice(status, 10_000);
            assert_eq!(
                open.check_uncollectible(&request("2027-03-01", "Insolvent"), today),
                Ok(())
            );
            assert_eq!(
                open.check_uncollectible(&request("2026-11-01", "Insolvent"), today),
                Ok(())
            );
        }
        let open = invoice(InvoiceStatus::Overdue, 0);
        let refusal = open
            .check_uncollectible(&request("2026-10-31", "Insolvent"), today)
            .unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::InvalidWriteOffDate);
        assert_eq!(
            refusal.detail,
            "The write-off date 2026-10-31 is before the invoice's issue date, 2026-11-01."
        );
        let refusal = open
            .check_uncollectible(&request("2027-03-02", "Insolvent"), today)
            .unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::InvalidWriteOffDate);
        // Without a clock (the validator), the future is left to the handler.
        assert_eq!(
            open.check_uncollectible(&request("2027-03-02", "Insolvent"), None),
            Ok(())
        );
        assert!(
            open.check_uncollectible(&request("2027-03-01", " "), today)
                .is_err()
        );
        for status in [
            InvoiceStatus::Draft,
            InvoiceStatus::Paid,
            InvoiceStatus::Void,
            InvoiceStatus::Uncollectible,
        ] {
            assert_eq!(
                kind(invoice(status, 0).check_uncollectible(&request("2027-03-01", "x"), today)),
                RefusalKind::InvalidTransition,
                "{status}"
            );
        }
    }

    #[test]
    fn a_payment_already_recorded_is_accepted_again_whatever_the_invoice_is_now() {
        // Delivered again after it paid the invoice in full: still accepted (and changes
        // nothing), even though the amount now exceeds what is due and the invoice is paid.
        let mut paid = invoice(InvoiceStatus::Paid, 50_000);
        paid.recorded_payments.push(payment(50_000).payment_id);
        assert_eq!(paid.check_payment(&payment(50_000)), Ok(()));
        // Even a deleted draft's rules do not apply to a payment it already has.
        paid.deleted = true;
        assert_eq!(paid.check_payment(&payment(50_000)), Ok(()));
    }

    #[test]
    fn an_invoice_with_payments_is_not_voided() {
        assert_eq!(invoice(InvoiceStatus::Draft, 0).check_void(), Ok(()));
        assert_eq!(invoice(InvoiceStatus::Sent, 0).check_void(), Ok(()));
        assert_eq!(invoice(InvoiceStatus::Overdue, 0).check_void(), Ok(()));
        let refusal = invoice(InvoiceStatus::Sent, 1).check_void().unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::PaymentsRecorded);
        assert_eq!(
            refusal.detail,
            "Cannot void an invoice with 0.01 USD already paid against it; refund the payments first."
        );
        for status in [InvoiceStatus::Paid, InvoiceStatus::Void] {
            assert_eq!(
                kind(invoice(status, 0).check_void()),
                RefusalKind::InvalidTransition,
                "{status}"
            );
        }
    }

    #[test]
    fn a_due_date_moves_within_the_terms_of_an_open_invoice() {
        let sent = invoice(InvoiceStatus::Sent, 0);
        // From the issue date itself to five years after it.
        assert_eq!(sent.check_due_date_change(date("2026-11-01")), Ok(()));
        assert_eq!(sent.check_due_date_change(date("2031-11-01")), Ok(()));
        let early = sent.check_due_date_change(date("2026-10-31")).unwrap_err();
        assert_eq!(early.kind, RefusalKind::InvalidDueDate);
        assert_eq!(
            early.detail,
            "The due date must be on or after the issue date (2026-11-01)."
        );
        assert_eq!(
            kind(sent.check_due_date_change(date("2031-11-02"))),
            RefusalKind::InvalidDueDate
        );
        assert_eq!(
            invoice(InvoiceStatus::Overdue, 0).check_due_date_change(date("2027-01-01")),
            Ok(())
        );
        // A draft has no running due date; its due date changes with an edit.
        assert_eq!(
            kind(invoice(InvoiceStatus::Draft, 0).check_due_date_change(date("2027-01-01"))),
            RefusalKind::InvalidTransition
        );
    }

    #[test]
    fn the_view_shows_the_amounts_and_the_next_deadlines() {
        let sent = invoice(InvoiceStatus::Sent, 20_000);
        let view = sent.to_view();
        assert_eq!(view.invoice_id, Uuid::from_u128(1));
        assert_eq!(
            (view.total, view.amount_paid, view.amount_due),
            (50_000, 20_000, 30_000)
        );
        assert_eq!(
            view.overdue_at,
            Some("2026-12-02T00:00:00Z".parse().unwrap())
        );
        // Three days before the due date, at 9:00 UTC.
        assert_eq!(
            view.next_reminder_at,
            Some("2026-11-28T09:00:00Z".parse().unwrap())
        );
        assert_eq!(view.document_version, 1);
        assert!(!view.deleted);
    }

    #[test]
    fn only_a_sent_invoice_has_an_overdue_moment_and_final_ones_no_reminders() {
        let overdue = invoice(InvoiceStatus::Overdue, 0).to_view();
        assert_eq!(overdue.overdue_at, None);
        assert!(overdue.next_reminder_at.is_some());
        let draft = invoice(InvoiceStatus::Draft, 0).to_view();
        assert_eq!(draft.overdue_at, None);
        for status in [InvoiceStatus::Paid, InvoiceStatus::Void] {
            let view = invoice(status, 0).to_view();
            assert_eq!(
                (view.overdue_at, view.next_reminder_at),
                (None, None),
                "{status}"
            );
        }
        let mut done = invoice(InvoiceStatus::Sent, 0);
        done.reminders.done = done.reminders.days.clone();
        assert_eq!(done.to_view().next_reminder_at, None);
        let mut deleted = invoice(InvoiceStatus::Draft, 0);
        deleted.deleted = true;
        assert!(deleted.to_view().deleted);
    }
}
