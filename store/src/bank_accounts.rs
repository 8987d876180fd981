//! Accounts' bank accounts for payment by transfer: up to five, one the default.
//!
//! Every write takes the account's row lock (`users`), so the limit and the one default hold
//! under concurrent requests.

use crate::StoreError;
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::{
    AccountDetails, BankAccount, BankAccountFields, Currency, bank::MAX_BANK_ACCOUNTS,
};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

/// A bank account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBankAccount {
    pub id: Uuid,
    pub account: BankAccount,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The account has [`MAX_BANK_ACCOUNTS`] already.
    TooMany,
    /// The default account cannot be unmarked; another must be made the default instead.
    DefaultNeeded,
}

struct Row {
    id: Uuid,
    holder: String,
    bank_name: Option<String>,
    currency: Option<String>,
    is_default: bool,
    iban: Option<String>,
    bic: Option<String>,
    account_number: Option<String>,
    routing_number: Option<String>,
    sort_code: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for StoredBankAccount {
    type Error = StoreError;

    /// Read back through the domain's parser: a stored row breaking its rules is corrupt.
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let account = BankAccount::parse(BankAccountFields {
            holder: row.holder,
            bank_name: row.bank_name,
            currency: row.currency,
            is_default: row.is_default,
            iban: row.iban,
            bic: row.bic,
            account_number: row.account_number,
            routing_number: row.routing_number,
            sort_code: row.sort_code,
        })
        .map_err(|errors| StoreError::corrupt(format!("bank account {}: {errors}", row.id)))?;
        Ok(Self {
            id: row.id,
            account,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The account's bank accounts, oldest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<StoredBankAccount>, StoreError> {
    let rows = sqlx::query_as!(
        Row,
        r#"
        SELECT id, holder, bank_name, currency, is_default, iban, bic, account_number,
               routing_number, sort_code, created_at, updated_at
        FROM bank_accounts
        WHERE user_id = $1
        ORDER BY created_at, id
        "#,
        user_id
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(StoredBankAccount::try_from).collect()
}

/// One of the account's bank accounts; another account's is `None`.
#[tracing::instrument(skip_all)]
pub async fn get(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<StoredBankAccount>, StoreError> {
    let row = sqlx::query_as!(
        Row,
        r#"
        SELECT id, holder, bank_name, currency, is_default, iban, bic, account_number,
               routing_number, sort_code, created_at, updated_at
        FROM bank_accounts
        WHERE user_id = $1 AND id = $2
        "#,
        user_id,
        id
    )
    .fetch_optional(db)
    .await?;
    row.map(StoredBankAccount::try_from).transpose()
}

/// The account an invoice in `currency` shows: one kept for that currency (the default
/// first, then the oldest), else one kept for no particular currency (likewise). An account
/// kept for another currency is never shown: its details would ask for the wrong money.
#[tracing::instrument(skip_all)]
pub async fn for_invoice(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    currency: Currency,
) -> Result<Option<BankAccount>, StoreError> {
    let row = sqlx::query_as!(
        Row,
        r#"
        SELECT id, holder, bank_name, currency, is_default, iban, bic, account_number,
               routing_number, sort_code, created_at, updated_at
        FROM bank_accounts
        WHERE user_id = $1 AND (currency = $2 OR currency IS NULL)
        ORDER BY currency IS NULL, is_default DESC, created_at, id
        LIMIT 1
        "#,
        user_id,
        currency.code(),
    )
    .fetch_optional(db)
    .await?;
    Ok(row
        .map(StoredBankAccount::try_from)
        .transpose()?
        .map(|stored| stored.account))
}

/// Locks the account's row and counts its bank accounts.
async fn lock_account(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, StoreError> {
    sqlx::query_scalar!("SELECT id FROM users WHERE id = $1 FOR UPDATE", user_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("account"))?;
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM bank_accounts WHERE user_id = $1"#,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(count)
}

async fn unmark_default(conn: &mut PgConnection, user_id: Uuid) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        UPDATE bank_accounts SET is_default = false, updated_at = now()
        WHERE user_id = $1 AND is_default
        "#,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The columns of an account's details, in table order.
type DetailColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn columns(details: &AccountDetails) -> DetailColumns {
    match details {
        AccountDetails::Iban { iban, bic } => (
            Some(iban.electronic().to_owned()),
            bic.as_ref().map(|bic| bic.as_str().to_owned()),
            None,
            None,
            None,
        ),
        AccountDetails::UsDomestic {
            account_number,
            routing_number,
        } => (
            None,
            None,
            Some(account_number.clone()),
            Some(routing_number.clone()),
            None,
        ),
        AccountDetails::UkDomestic {
            account_number,
            sort_code,
        } => (
            None,
            None,
            Some(account_number.clone()),
            None,
            Some(sort_code.clone()),
        ),
    }
}

/// Adds a bank account. The first is the default whatever it says; a new default unmarks the
/// old one.
#[tracing::instrument(skip_all)]
pub async fn create(
    pool: &PgPool,
    user_id: Uuid,
    id: Uuid,
    account: &BankAccount,
) -> Result<Result<StoredBankAccount, Refusal>, StoreError> {
    let mut tx = pool.begin().await?;
    let count = lock_account(&mut tx, user_id).await?;
    if count >= MAX_BANK_ACCOUNTS as i64 {
        return Ok(Err(Refusal::TooMany));
    }
    let is_default = account.is_default || count == 0;
    if is_default {
        unmark_default(&mut tx, user_id).await?;
    }
    let (iban, bic, account_number, routing_number, sort_code) = columns(&account.details);
    let row = sqlx::query_as!(
        Row,
        r#"
        INSERT INTO bank_accounts (id, user_id, holder, bank_name, currency, is_default, iban,
                                   bic, account_number, routing_number, sort_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        RETURNING id, holder, bank_name, currency, is_default, iban, bic, account_number,
                  routing_number, sort_code, created_at, updated_at
        "#,
        id,
        user_id,
        account.holder,
        account.bank_name,
        account.currency.map(Currency::code),
        is_default,
        iban,
        bic,
        account_number,
        routing_number,
        sort_code,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    StoredBankAccount::try_from(row).map(Ok)
}

/// Replaces one of the account's bank accounts; `None` if it has no such account.
#[tracing::instrument(skip_all)]
pub async fn replace(
    pool: &PgPool,
    user_id: Uuid,
    id: Uuid,
    account: &BankAccount,
) -> Result<Option<Result<StoredBankAccount, Refusal>>, StoreError> {
    let mut tx = pool.begin().await?;
    lock_account(&mut tx, user_id).await?;
    let Some(was_default) = sqlx::query_scalar!(
        "SELECT is_default FROM bank_accounts WHERE user_id = $1 AND id = $2",
        user_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    if was_default && !account.is_default {
        return Ok(Some(Err(Refusal::DefaultNeeded)));
    }
    if account.is_default && !was_default {
        unmark_default(&mut tx, user_id).await?;
    }
    let (iban, bic, account_number, routing_number, sort_code) = columns(&account.details);
    let row = sqlx::query_as!(
        Row,
        r#"
        UPDATE bank_accounts
        SET holder = $3, bank_name = $4, currency = $5, is_default = $6, iban = $7, bic = $8,
            account_number = $9, routing_number = $10, sort_code = $11, updated_at = now()
        WHERE user_id = $1 AND id = $2
        RETURNING id, holder, bank_name, currency, is_default, iban, bic, account_number,
                  routing_number, sort_code, created_at, updated_at
        "#,
        user_id,
        id,
        account.holder,
        account.bank_name,
        account.currency.map(Currency::code),
        account.is_default,
        iban,
        bic,
        account_number,
        routing_number,
        sort_code,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    StoredBankAccount::try_from(row).map(|stored| Some(Ok(stored)))
}

/// Removes one of the account's bank accounts; `false` if it has no such account. When the
/// default goes, the oldest remaining account becomes the default.
#[tracing::instrument(skip_all)]
pub async fn delete(pool: &PgPool, user_id: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await?;
    lock_account(&mut tx, user_id).await?;
    let Some(was_default) = sqlx::query_scalar!(
        "DELETE FROM bank_accounts WHERE user_id = $1 AND id = $2 RETURNING is_default",
        user_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    if was_default {
        sqlx::query!(
            r#"
            UPDATE bank_accounts SET is_default = true, updated_at = now()
            WHERE id = (
                SELECT id FROM bank_accounts WHERE user_id = $1 ORDER BY created_at, id LIMIT 1
            )
            "#,
            user_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
