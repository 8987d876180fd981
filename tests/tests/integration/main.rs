//! Black-box tests of the whole product: the API on a random port, the worker, PostgreSQL and
//! Temporal, all real. One binary, one module per feature.

mod support;

mod access;
mod auth;
mod bad_input;
mod crash;
mod faults;
mod history;
mod lifecycle;
mod notifications;
mod numbering;
mod online_payments;
mod reconciliation;
mod reminders;
mod replay;
mod store;
mod time_skipping;
mod transitions;
mod webhook_load;
