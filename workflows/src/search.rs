//! Search attributes that let operators find invoices in the Temporal UI
//! (`InvoiceStatus = 'overdue' AND InvoiceCurrency = 'EUR'`). No personal data goes here:
//! visibility stores are indexed and widely readable.

use crate::workflow::InvoiceState;
use chrono::NaiveTime;
use temporalio_common::{
    protos::temporal::api::enums::v1::IndexedValueType,
    search_attributes::{SearchAttributeKey, SearchAttributeUpdate, Timestamp},
};

pub const INVOICE_STATUS: SearchAttributeKey<String> = SearchAttributeKey::keyword("InvoiceStatus");
pub const INVOICE_NUMBER: SearchAttributeKey<String> = SearchAttributeKey::keyword("InvoiceNumber");
pub const INVOICE_AMOUNT_DUE: SearchAttributeKey<i64> = SearchAttributeKey::int("InvoiceAmountDue");
pub const INVOICE_CURRENCY: SearchAttributeKey<String> =
    SearchAttributeKey::keyword("InvoiceCurrency");
pub const INVOICE_DUE_DATE: SearchAttributeKey<Timestamp> =
    SearchAttributeKey::datetime("InvoiceDueDate");

/// Every custom search attribute the product uses, for registering them with a namespace.
/// `scripts/dev` passes the same list to `temporal server start-dev --search-attribute`.
pub const REGISTERED: [(&str, IndexedValueType); 5] = [
    ("InvoiceStatus", IndexedValueType::Keyword),
    ("InvoiceNumber", IndexedValueType::Keyword),
    ("InvoiceAmountDue", IndexedValueType::Int),
    ("InvoiceCurrency", IndexedValueType::Keyword),
    ("InvoiceDueDate", IndexedValueType::Datetime),
];

/// The search attributes describing an invoice in this state.
pub fn for_invoice(invoice: &InvoiceState) -> Vec<SearchAttributeUpdate> {
    let due = invoice.due_date.and_time(NaiveTime::MIN).and_utc();
    let mut updates = vec![
        INVOICE_STATUS.value_set(invoice.status.as_str().to_owned()),
        INVOICE_AMOUNT_DUE.value_set(invoice.amount_due()),
        INVOICE_CURRENCY.value_set(invoice.currency.code().to_owned()),
        INVOICE_DUE_DATE.value_set(Timestamp::new(due.timestamp(), 0)),
    ];
    if let Some(number) = invoice.number {
        updates.push(INVOICE_NUMBER.value_set(number.to_string()));
    }
    updates
}
