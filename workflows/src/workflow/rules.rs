//! The rules the workflow's state follows: which commands it accepts, and the bookkeeping
//! (versions, timeline numbers) every change carries. Pure: no context, no IO.

use super::{InvoiceView, InvoiceWorkflow};
use crate::{
    contracts::PaymentRequest,
    domain::{Action, InvoiceStatus, Money, Refusal, RefusalKind, terms},
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
            amount_due: self.invoice.amount_due(),
            overdue_at,
            next_reminder_at: (!self.invoice.status.is_final())
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

    pub(super) fn check_due_date_change(&self, due_date: NaiveDate) -> Result<(), Refusal> {
        self.check(Action::ChangeDueDate)?;
        terms::check_due_date(self.invoice.issue_date, due_date)
            .map_err(|m| Refusal::new(RefusalKind::InvalidDueDate, format!("The due date {m}.")))
    }
}
