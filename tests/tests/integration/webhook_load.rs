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
    // Like Stripe, a delivery answered with a 5xx (the API out of database connections for a
    // moment) is retried, with backoff; anything else but 200 fails the test.
    let acks: Vec<(Value, u32)> = stream::iter(keyed)
        .map(|(_, event)| {
            let app = &app;
            async move {
                let mut retries = 0;
                loop {
                    let response = app.deliver(&event).await;
                    if response.status.is_server_error() && retries < 5 {
                        retries += 1;
                        tokio::time::sleep(Duration::from_millis(200 << retries)).await;
                        continue;
                    }
                    return (response.expect(StatusCode::OK).body, retries);
                }
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let retried: u32 = acks.iter().map(|(_, retries)| retries).sum();
    let acks: Vec<Value> = acks.into_iter().map(|(ack, _)| ack).collect();
    let elapsed = started.elapsed();
    let per_second = acks.len() as f64 / elapsed.as_secs_f64();
    println!(
        "webhook load: {} signed webhooks ({} unique, {} redelivered) accepted in {:.2} s: {per_second:.0} webhooks/s at concurrency {CONCURRENCY} ({retried} deliveries retried after a 5xx)",
        acks.len(),
        unique,
        acks.len() - unique,
        elapsed.as_secs_f64()
    );
    assert_eq!(acks.len(), 1_000, "every delivery acknowledged");
    // A delivery retried after a 5xx finds its event received before: the database, not the
    // acknowledgements, says whether each event was applied exactly once (below).
    let fresh = acks.iter().filter(|ack| ack["duplicate"] == false).count();
    assert!(
        fresh <= unique && fresh + retried as usize >= unique,
        "{fresh} new of {unique}"
    );

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
            // Under this load a poll may wait too long for a connection: poll again.
            .ok()?;
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
