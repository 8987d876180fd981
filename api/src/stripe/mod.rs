//! Stripe's side of the API: webhook signatures and events.

pub mod events;
pub mod signature;
