//! The store's one error type: cases a caller can act on, and the database error otherwise.

/// What went wrong in a store call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist (or the caller may not see it).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique constraint refused the write, or a foreign key refused a delete (other rows
    /// still name the row); `constraint` names it (see the migrations).
    #[error("conflicts with an existing row ({constraint})")]
    Conflict { constraint: String },
    /// A row holds a value the domain does not accept; a bug or a hand edit.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && db.is_unique_violation()
        {
            return StoreError::Conflict {
                constraint: db.constraint().unwrap_or_default().to_owned(),
            };
        }
        StoreError::Database(error)
    }
}

impl StoreError {
    /// `error`, or [`StoreError::Conflict`] naming the foreign key when it is a foreign key
    /// violation: for deletes, where such a violation means the row is still in use.
    pub(crate) fn referenced(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && db.is_foreign_key_violation()
        {
            return StoreError::Conflict {
                constraint: db.constraint().unwrap_or_default().to_owned(),
            };
        }
        error.into()
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }
}
