//! `api create-admin`: the only way to make an administrator. No endpoint grants a role, so a
//! leaked user token can never escalate; whoever runs this has the database credentials.

use crate::{auth::password, settings::Settings};
use anyhow::{Context, bail};
use invoicing_store::users::{self, Role};
use invoicing_workflows::domain::Email;
use uuid::Uuid;

/// What `create_admin` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(Uuid),
    Promoted(Uuid),
    AlreadyAdmin(Uuid),
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
