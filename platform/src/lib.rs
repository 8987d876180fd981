//! Plumbing the binaries share: typed configuration from the environment, logging, and the
//! connection to Temporal.

pub mod aws;
pub mod config;
pub mod shutdown;
pub mod stripe;
pub mod telemetry;
pub mod temporal;
