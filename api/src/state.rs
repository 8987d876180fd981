//! What every handler can reach.

use crate::{auth::token::Tokens, lifecycle::Lifecycle};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub lifecycle: Lifecycle,
    pub tokens: Arc<Tokens>,
}
