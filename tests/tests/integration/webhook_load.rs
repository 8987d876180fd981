//! Load: 1,000 signed Stripe webhooks, a fifth of them redeliveries, for 100 invoices, all at
//! once. Every invoice must end with exactly what was paid for it, no event may be lost and no
//! payment recorded twice. The run prints how many webhooks the API accepted per second.

use crate::support::{Stack, TestApp, eventually, id, today};
use futures::{StreamExt, stream};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use uuid::Uuid;

const INVOICES: usize = 100;
const PAYMENTS_PER_INVOICE: usize = 8;
const PAYMENT: i64 = 1_000;
/// Webhooks in flight at once.
const CONCURRENCY: usize = 50;

#[tokio::test]
async fn a_thousand_signed_webhooks_with_duplicates_leave_every_invoice_exactly_paid() {
    // Warnings only: the throughput line is what this test prints.
    let app = TestApp::spawn_with(Stack {
        log_filter: "warn,temporalio_sdk_core=error",
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let draft = json!({
        "client_name": "Load Test Ltd",
        "client_email": format!("ap-{}@load.example", Uuid::new_v4().simple()),
        "currency": "USD",
        "due_date": (today() + chrono::Days::new(30)).to_string(),
        "items": [{ "description": "Retainer", "quantity": PAYMENTS_PER_INVOICE, "unit_amount": PAYMENT }]
    });
    let invoices: Vec<String> = stream::iter(0..INVOICES)
        .map(|_| async { id(&app.sent_invoice(&user, &draft).await) })
        .buffer_unordered(10)
        .collect()
        .await;

    // Each invoice is paid in eight parts at Stripe; 200 of the 800 events come twice.
    let mut events: Vec<Value> = Vec::new();
    for invoice_id in &invoices {
        for _ in 0..PAYMENTS_PER_INVOICE {
            let intent = app
                .stripe
                .direct_payment(invoice_id.parse().unwrap(), PAYMENT, "usd");
            events.push(app.stripe.event("payment_intent.succeeded", &intent));
        }
    }
    let unique = events.len();
    let redelivered: Vec<Value> = events.iter().step_by(4).cloned().collect();
    events.extend(redelivered);
    assert_eq!(events.len(), 1_000);
    // Arrival order: shuffled (by random keys), so duplicates and parts of one invoice
    // interleave with everything else.
    let mut keyed: Vec<(Uuid, Value)> = events.into_iter().map(|e| (Uuid::new_v4(), e)).collect();
    keyed.sort_by_key(|(key, _)| *key);

    let started = Instant::now();
    let acks: Vec<Value> = stream::iter(keyed)
        .map(|(_, event)| {
            let app = &app;
            async move { app.deliver(&event).await.expect(StatusCode::OK).body }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let per_second = acks.len() as f64 / elapsed.as_secs_f64();
    println!(
        "webhook load: {} signed webhooks ({} unique, {} redelivered) accepted in {:.2} s: {per_second:.0} webhooks/s at concurrency {CONCURRENCY}",
        acks.len(),
        unique,
        acks.len() - unique,
        elapsed.as_secs_f64()
    );
    let fresh = acks.iter().filter(|ack| ack["duplicate"] == false).count();
    assert_eq!(fresh, unique, "each event is new exactly once");

    let total = PAYMENT * PAYMENTS_PER_INVOICE as i64;
    eventually(
        "every invoice to be paid in full",
        Duration::from_secs(150),
        || async {
            let paid: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM invoices WHERE status = 'paid' AND amount_paid = $1",
            )
            .bind(total)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            (paid == INVOICES as i64).then_some(())
        },
    )
    .await;
    let (payments, transactions, sum): (i64, i64, Option<i64>) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT transaction_id), sum(amount)::bigint FROM payments",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(payments, unique as i64, "no payment lost, none twice");
    assert_eq!(transactions, unique as i64);
    assert_eq!(sum, Some(total * INVOICES as i64));
    let signaled: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stripe_events WHERE outcome = 'signaled'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(signaled, unique as i64, "every event handed over once");
    // Paid in full, every invoice's overpayment check held: nothing flagged.
    let flagged: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_discrepancies")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(flagged, 0);
}
