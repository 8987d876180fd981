//! Every side effect of the invoice lifecycle, as Temporal activities implementing the contracts
//! in `invoicing_workflows::contracts`: the PostgreSQL writes (`db`), and the PDF, e-mails and
//! events (`notifications`), Stripe (`stripe`), customers' statements of account
//! (`statements`), with the clients they use.
//!
//! Business failures are non-retryable `ApplicationFailure`s; transient IO errors propagate and
//! Temporal retries them.

mod db;
pub mod e_invoice;
pub mod email;
pub mod events;
mod failure;
mod gate;
pub mod locale;
mod notifications;
pub mod pdf;
pub mod provision;
mod source;
mod statements;
pub mod storage;
pub mod stripe;

pub use db::InvoiceRecords;
pub use gate::EInvoiceGate;
pub use notifications::Notifications;
pub use statements::Statements;
pub use stripe::StripeGateway;
