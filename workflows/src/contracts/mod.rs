//! Activity contracts: the name, input and output of every side effect the workflows ask for.
//! The implementations live in the `activities` crate; the workflows only need these.

mod credit_notes;
mod e_invoice;
pub mod failures;
mod notifications;
mod records;
mod statements;
mod stripe;

pub use credit_notes::*;
pub use e_invoice::*;
pub use notifications::*;
pub use records::*;
pub use statements::*;
pub use stripe::*;

/// The contracts' marker types: what a workflow passes to `execute_activity`, and what an
/// implementation names in `#[activity(definition = ...)]`.
pub mod activity {
    pub use super::credit_notes::markers::*;
    pub use super::e_invoice::markers::*;
    pub use super::notifications::markers::*;
    pub use super::records::markers::*;
    pub use super::statements::markers::*;
    pub use super::stripe::markers::*;
}
