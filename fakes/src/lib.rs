//! Faithful stand-ins for what cannot run here: Stripe's servers, with Stripe's wire format.
//! The tests (`invoicing-tests`) and the benchmarks (`invoicing-bench`) share them; the
//! benchmarks depend on this crate alone, so that their release build does not compile the
//! test harness (its in-process stack, PDF parsing, Temporal's server downloader).

pub mod stripe;

pub use stripe::FakeStripe;
