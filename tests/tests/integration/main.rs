//! Black-box tests of the whole product: the API on a random port, the worker, PostgreSQL and
//! Temporal, all real. One binary, one module per feature.

// The harness (tests/src): the stack per test, fakes and helpers; also used by the benchmarks.
use invoicing_tests as support;

mod access;
mod accounts;
mod aging;
mod apply_credit;
mod auth;
mod bad_input;
mod bank_accounts;
mod cache;
mod control_characters;
mod crash;
mod credit_note_reports;
mod credit_notes;
mod credit_properties;
mod customers;
mod dashboard;
mod deploy_manifests;
mod e_invoice_documents;
mod e_invoicing;
mod exactly_once;
mod exports;
mod faults;
mod history;
mod http_hygiene;
mod idempotency;
mod lifecycle;
mod listing;
mod logo;
mod metrics;
mod migration;
mod notifications;
mod numbering;
mod online_payments;
mod openapi;
mod probes;
mod rate_limits;
mod reconciliation;
mod redis_cluster;
mod redis_tls;
mod reminders;
mod replay;
mod reports_ledger;
mod roles;
mod seller;
mod sessions;
mod statement_documents;
mod store;
mod tax_rates;
mod time_skipping;
mod transitions;
mod web_app;
mod webhook_load;
mod write_offs;
