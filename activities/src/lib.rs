//! Every side effect of the invoice lifecycle, as Temporal activities implementing the contracts
//! in `invoicing_workflows::contracts`.
//!
//! Business failures are non-retryable `ApplicationFailure`s; transient IO errors propagate and
//! Temporal retries them.

mod db;

pub use db::InvoiceRecords;
