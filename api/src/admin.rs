//! The `api` binary's account commands. `api create-admin` is the only way to make an
//! administrator: no endpoint grants a role, so a leaked user token can never escalate; whoever
//! runs this has the database credentials. `api disable-user` and `api enable-user` do what the
//! administrators' routes do.

use crate::{accounts, auth::password, auth::sessions::Sessions, settings::Settings};
use anyhow::{Context, bail};
use invoicing_platform::redis::Redis;
use invoicing_store::users::{self, Role};
use invoicing_workflows::domain::Email;
use std::time::Duration;
use uuid::Uuid;

/// What a command did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(Uuid),
    Promoted(Uuid),
    AlreadyAdmin(Uuid),
    Disabled(Uuid),
    Enabled(Uuid),
}

/// Makes `email` an administrator: promotes the account if it exists, else creates it with
/// `password` (required then, and held to the same rules as registration).
pub async fn create_admin(
    settings: &Settings,
    email: &str,
    password: Option<String>,
) -> anyhow::Result<Outcome> {
    let email = Email::parse(email).map_err(|error| anyhow::anyhow!("e-mail address: {error}"))?;
    let db = settings.database.pool()?;
    if let Some(user) = users::find_by_email(&db, email.as_str()).await? {
        if user.role == Role::Admin {
            return Ok(Outcome::AlreadyAdmin(user.id));
        }
        users::set_role(&db, user.id, Role::Admin).await?;
        return Ok(Outcome::Promoted(user.id));
    }
    let Some(password) = password else {
        bail!(
            "no account has this e-mail address; give a password (ADMIN_PASSWORD or stdin) to create one"
        );
    };
    if let Err(message) = password::check_strength(&password) {
        bail!("password {message}");
    }
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await.context("starting a transaction")?;
    let user = users::insert(&mut *tx, Uuid::new_v4(), email.as_str(), &hash).await?;
    users::set_role(&mut *tx, user.id, Role::Admin).await?;
    tx.commit()
        .await
        .context("committing the new administrator")?;
    Ok(Outcome::Created(user.id))
}

/// `api disable-user` and `api enable-user`: disables the account with this e-mail address
/// (ending all its sessions) or enables it again, like the administrators' routes; for an
/// operator locking out an account when no administrator can, an administrator's included.
pub async fn set_disabled(
    settings: &Settings,
    email: &str,
    disabled: bool,
) -> anyhow::Result<Outcome> {
    let db = settings.database.pool()?;
    let user = users::find_by_email(&db, email.trim())
        .await?
        .with_context(|| format!("no account has the e-mail address {email}"))?;
    if !disabled {
        accounts::enable(&db, user.id).await?;
        return Ok(Outcome::Enabled(user.id));
    }
    let sessions = Sessions::new(
        Redis::new(&settings.redis)?,
        Duration::from_secs(settings.auth.refresh_ttl_secs),
    );
    accounts::disable(&db, &sessions, user.id)
        .await
        .context("disabling the account (run again to finish ending its sessions)")?;
    Ok(Outcome::Disabled(user.id))
}
