//! Plumbing the binaries share: typed configuration from the environment, logging, and the
//! connections to Temporal and Redis.

pub mod aws;
pub mod config;
pub mod invoice_cache;
pub mod redis;
pub mod shutdown;
pub mod stripe;
pub mod telemetry;
pub mod temporal;
