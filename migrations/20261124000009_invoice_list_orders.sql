-- The invoice list's other orders (GET /api/invoices?sort=, store/src/invoice_list.rs), paged
-- by their key and the id like the newest-first index of 20261124000002 (which `oldest` reads
-- backwards): soonest due date first, and largest amount due first.
CREATE INDEX invoices_user_due_date_idx ON invoices (user_id, due_date, id);
CREATE INDEX invoices_user_amount_due_idx ON invoices (user_id, (total - amount_paid) DESC, id DESC);
