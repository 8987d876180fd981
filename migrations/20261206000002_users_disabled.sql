-- An administrator (or `api disable-user`) can disable an account: it keeps its data and its
-- invoices, but it cannot sign in or refresh, and its tokens are refused on every request (the
-- API reads this column for each one, by primary key). NULL: the account is active. Enabling
-- the account again sets it back to NULL.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
