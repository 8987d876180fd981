//! The migrations that rewrite existing data, run against data in the shape it had before
//! them: a database migrated up to [`BEFORE_ISSUE_24`], filled with invoices written the way
//! that schema stored them, then migrated to the end. Every invoice keeps its amounts and its
//! lines, and gains what the migrations add (a customer, for now).
//!
//! To check another migration of issue 24, add what it must keep to [`Snapshot`] and what it
//! must add as an assertion of its own after `invoicing_store::migrate`.

use crate::support::TestDatabase;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use invoicing_workflows::domain::PricedLine;
use serde_json::json;
use sqlx::{PgPool, migrate::Migrator};
use std::{collections::BTreeMap, path::PathBuf};
use uuid::Uuid;

/// The last migration before issue 24's (`20261207…`).
const BEFORE_ISSUE_24: i64 = 20261206000002;

/// Applies the migrations of `migrations/` up to and including `version`: a copy of the folder
/// without the later ones (sqlx's `Migrator` reads a folder; the migrations stay the files the
/// product embeds, so their checksums match when the rest are applied).
async fn migrate_up_to(pool: &PgPool, version: i64) {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let copy = std::env::temp_dir().join(format!(
        "migrations-up-to-{version}-{}",
        Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&copy).expect("a temporary folder");
    for entry in std::fs::read_dir(&source).expect("the migrations folder") {
        let path = entry.expect("a migration").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(prefix) = name.strip_suffix(".sql").and_then(|n| n.split('_').next()) else {
            continue;
        };
        if prefix
            .parse::<i64>()
            .expect("migrations start with a version")
            <= version
        {
            std::fs::copy(&path, copy.join(&name)).expect("copying a migration");
        }
    }
    let migrator = Migrator::new(copy.as_path())
        .await
        .expect("reading the migrations");
    migrator
        .run(pool)
        .await
        .expect("migrating to the old shape");
    std::fs::remove_dir_all(&copy).expect("removing the copy");
}

/// An invoice as the schema of [`BEFORE_ISSUE_24`] stored it.
struct OldInvoice {
    user_id: Uuid,
    client_name: &'static str,
    client_email: &'static str,
    /// Days after the first invoice it was created.
    created_day: i64,
    /// `(description, quantity, unit_amount)`.
    lines: &'static [(&'static str, i64, i64)],
    /// Sent with this number, or a draft.
    number: Option<i64>,
    paid: i64,
}

async fn insert_account(pool: &PgPool) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'not a hash')")
        .bind(id)
        .bind(format!("owner-{}@example.com", id.simple()))
        .execute(pool)
        .await
        .expect("inserting an account");
    id
}

/// Inserts the invoice with its lines and, if it was paid, its payment, in one transaction (the
/// amount paid must match the payments when it commits).
async fn insert_old_invoice(pool: &PgPool, invoice: &OldInvoice) -> Uuid {
    let id = Uuid::new_v4();
    let created_at: DateTime<Utc> = "2026-11-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        + Duration::days(invoice.created_day);
    let issue_date: NaiveDate = created_at.date_naive();
    let total: i64 = invoice.lines.iter().map(|(_, q, unit)| q * unit).sum();
    let status = match invoice.number {
        None => "draft",
        Some(_) if invoice.paid == total => "paid",
        Some(_) => "sent",
    };
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO invoices (id, user_id, status, number, client_name, client_email, currency,
                               issue_date, due_date, subtotal, total, amount_paid, created_at,
                               updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'EUR', $7, $7 + 30, $8, $8, $9, $10, $10)",
    )
    .bind(id)
    .bind(invoice.user_id)
    .bind(status)
    .bind(invoice.number)
    .bind(invoice.client_name)
    .bind(invoice.client_email)
    .bind(issue_date)
    .bind(total)
    .bind(invoice.paid)
    .bind(created_at)
    .execute(&mut *tx)
    .await
    .expect("inserting an invoice of the old shape");
    for (position, (description, quantity, unit_amount)) in invoice.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_items (invoice_id, position, description, quantity, unit_amount,
                                        amount)
             VALUES ($1, $2, $3, $4, $5, $4 * $5)",
        )
        .bind(id)
        .bind(position as i32)
        .bind(description)
        .bind(quantity)
        .bind(unit_amount)
        .execute(&mut *tx)
        .await
        .expect("inserting a line of the old shape");
    }
    if invoice.paid > 0 {
        sqlx::query(
            "INSERT INTO payments (id, invoice_id, amount, currency, method, recorded_at)
             VALUES ($1, $2, $3, 'EUR', 'bank_transfer', $4)",
        )
        .bind(Uuid::new_v4())
        .bind(id)
        .bind(invoice.paid)
        .bind(created_at)
        .execute(&mut *tx)
        .await
        .expect("inserting a payment");
    }
    tx.commit().await.expect("the old invoice commits");
    id
}

/// What no migration may change: every invoice's amounts and every line.
#[derive(Debug, PartialEq)]
struct Snapshot {
    /// `(subtotal, total, amount_paid)` by invoice.
    amounts: BTreeMap<Uuid, (i64, i64, i64)>,
    /// `(description, quantity, unit_amount, amount)` by invoice and position.
    lines: BTreeMap<(Uuid, i32), (String, i64, i64, i64)>,
}

impl Snapshot {
    async fn take(pool: &PgPool) -> Self {
        let amounts = sqlx::query_as::<_, (Uuid, i64, i64, i64)>(
            "SELECT id, subtotal, total, amount_paid FROM invoices",
        )
        .fetch_all(pool)
        .await
        .expect("reading the invoices")
        .into_iter()
        .map(|(id, subtotal, total, paid)| (id, (subtotal, total, paid)))
        .collect();
        // The old columns, by name: a later migration may add columns but must keep these
        // (the unit price was `unit_amount` before the decimal lines, `unit_price` since;
        // quantities and prices were whole numbers then, and must still be).
        let lines = sqlx::query_as::<_, (Uuid, i32, String, i64, i64, i64)>(
            "SELECT invoice_id, position, description, quantity::int8,
                    COALESCE(to_jsonb(i) ->> 'unit_price', to_jsonb(i) ->> 'unit_amount')::numeric::int8,
                    amount
             FROM invoice_items i",
        )
        .fetch_all(pool)
        .await
        .expect("reading the lines")
        .into_iter()
        .map(|(invoice, position, description, quantity, unit, amount)| {
            ((invoice, position), (description, quantity, unit, amount))
        })
        .collect();
        Self { amounts, lines }
    }
}

#[tokio::test]
async fn existing_invoices_get_a_customer_per_account_and_address_and_keep_their_amounts() {
    let database = TestDatabase::create_unmigrated().await;
    let pool = &database.pool;
    migrate_up_to(pool, BEFORE_ISSUE_24).await;
    let ann = insert_account(pool).await;
    let bob = insert_account(pool).await;
    let work: &[(&str, i64, i64)] = &[("Design work", 3, 12_500), ("Hosting", 1, 999)];
    let invoices = [
        // Ann's client Acme, under one address in three spellings, renamed over time.
        OldInvoice {
            user_id: ann,
            client_name: "Acme",
            client_email: "ap@acme.example",
            created_day: 0,
            lines: work,
            number: Some(1),
            paid: 38_499,
        },
        OldInvoice {
            user_id: ann,
            client_name: "ACME Ltd",
            client_email: "AP@Acme.example",
            created_day: 5,
            lines: &[("Support", 2, 5_000)],
            number: Some(2),
            paid: 4_000,
        },
        OldInvoice {
            user_id: ann,
            client_name: "Acme Trading Ltd",
            client_email: "ap@ACME.example",
            created_day: 9,
            lines: work,
            number: None,
            paid: 0,
        },
        // Another client of Ann's.
        OldInvoice {
            user_id: ann,
            client_name: "Globex",
            client_email: "billing@globex.example",
            created_day: 2,
            lines: &[("Audit", 1, 250_000)],
            number: Some(3),
            paid: 0,
        },
        // Bob bills the same address: his customer is his own.
        OldInvoice {
            user_id: bob,
            client_name: "Acme (Bob's)",
            client_email: "ap@acme.example",
            created_day: 1,
            lines: work,
            number: Some(1),
            paid: 0,
        },
        OldInvoice {
            user_id: bob,
            client_name: "Acme GmbH",
            client_email: "Ap@acme.example",
            created_day: 3,
            lines: &[("Consulting", 7, 15_000), ("Travel", 1, 42_042)],
            number: None,
            paid: 0,
        },
    ];
    let mut ids = Vec::new();
    for invoice in &invoices {
        ids.push(insert_old_invoice(pool, invoice).await);
    }
    let before = Snapshot::take(pool).await;

    invoicing_store::migrate(pool)
        .await
        .expect("the remaining migrations apply to old data");

    assert_eq!(
        Snapshot::take(pool).await,
        before,
        "amounts and lines unchanged"
    );
    let customers = sqlx::query_as::<
        _,
        (
            Uuid,
            Uuid,
            String,
            Vec<String>,
            Vec<String>,
            String,
            Option<String>,
        ),
    >(
        "SELECT id, user_id, display_name, emails, cc_emails, language, country FROM customers",
    )
    .fetch_all(pool)
    .await
    .expect("reading the customers");
    let customer_of = |id: Uuid| {
        customers
            .iter()
            .find(|customer| customer.0 == id)
            .unwrap_or_else(|| panic!("customer {id} exists"))
    };
    let linked: BTreeMap<Uuid, Option<Uuid>> =
        sqlx::query_as::<_, (Uuid, Option<Uuid>)>("SELECT id, customer_id FROM invoices")
            .fetch_all(pool)
            .await
            .expect("reading the invoices' customers")
            .into_iter()
            .collect();
    let customer = |index: usize| linked[&ids[index]].expect("every invoice has a customer");

    // One customer per account and address, whatever its case: Ann's Acme, Ann's Globex, Bob's Acme.
    assert_eq!(customers.len(), 3, "{customers:?}");
    assert_eq!(customer(0), customer(1));
    assert_eq!(customer(0), customer(2));
    assert_eq!(customer(4), customer(5));
    assert_ne!(customer(0), customer(3));
    assert_ne!(customer(0), customer(4));
    // Each invoice's customer is its own account's.
    for (index, invoice) in invoices.iter().enumerate() {
        assert_eq!(
            customer_of(customer(index)).1,
            invoice.user_id,
            "invoice {index}"
        );
    }
    // Named as the address's most recent invoice names the client, with that invoice's spelling
    // of the address as its only recipient, in English, without a postal address.
    let acme = customer_of(customer(0));
    assert_eq!(acme.2, "Acme Trading Ltd");
    assert_eq!(acme.3, ["ap@ACME.example"]);
    assert!(acme.4.is_empty());
    assert_eq!((acme.5.as_str(), acme.6.as_deref()), ("en", None));
    assert_eq!(customer_of(customer(3)).2, "Globex");
    let bobs = customer_of(customer(4));
    assert_eq!(
        (bobs.2.as_str(), bobs.3.as_slice()),
        ("Acme GmbH", &["Ap@acme.example".to_owned()][..])
    );

    // The lines are untaxed (category O, 0 %) in one unit, each invoice's tax breakdown is one
    // untaxed row of its subtotal, its net is its subtotal and its gross its total; and the
    // store reads every invoice back with totals that hold every EN 16931 rule.
    let untaxed: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT unit, tax_category, tax_percent::text, exemption_reason FROM invoice_items",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        untaxed,
        [(
            "C62".to_owned(),
            "O".to_owned(),
            "0.0000".to_owned(),
            Some("Not subject to tax".to_owned())
        )]
    );
    for id in &ids {
        let invoice = invoicing_store::invoices::get(pool, *id)
            .await
            .expect("reading a migrated invoice")
            .expect("the invoice is there");
        let totals = &invoice.details.totals;
        assert_eq!(totals.net_total, invoice.summary.subtotal);
        assert_eq!(totals.gross_total, invoice.summary.total);
        assert_eq!(totals.tax_total, 0);
        assert_eq!(totals.breakdown.len(), 1);
        assert_eq!(totals.breakdown[0].base, invoice.summary.subtotal);
        let lines: Vec<PricedLine> = invoice
            .items
            .iter()
            .map(|item| PricedLine {
                quantity: item.quantity,
                unit_price: item.unit_price,
                discount: item.discount,
                rate: item.rate.clone(),
            })
            .collect();
        assert_eq!(totals.broken_rules(&lines, &[]), Vec::<String>::new());
        // Sent before: the buyer as the invoice printed it.
        let sent = invoice.summary.number.is_some();
        assert_eq!(
            invoice.details.buyer,
            sent.then(|| json!({
                "display_name": invoice.summary.client_name,
                "emails": [invoice.summary.client_email],
            })),
        );
    }

    // The customers read back through the store as valid customers of their accounts.
    let stored = invoicing_store::customers::get(pool, ann, customer(0))
        .await
        .expect("reading a backfilled customer")
        .expect("Ann's customer is hers");
    assert_eq!(stored.customer.display_name, "Acme Trading Ltd");
    assert!(
        invoicing_store::customers::get(pool, bob, customer(0))
            .await
            .unwrap()
            .is_none(),
        "Ann's customer is not Bob's"
    );

    // A customer that invoices name stays while they do, but an account still goes whole:
    // its invoices and customers with it.
    let refused = sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(customer(4))
        .execute(pool)
        .await
        .expect_err("Bob's invoices name this customer");
    assert!(
        refused.to_string().contains("invoices_customer_fkey"),
        "{refused}"
    );
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(bob)
        .execute(pool)
        .await
        .expect("deleting an account with customers on its invoices");
    let left: Vec<Uuid> = sqlx::query_scalar("SELECT DISTINCT user_id FROM customers")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(left, [ann]);
}
