//! The invoice cache: `GET /api/invoices/{id}` answers from Redis, every kind of change
//! invalidates it (from the API and from the worker), and the API keeps answering correctly
//! with Redis stopped.

use crate::support::{Stack, TestApp, TestUser, draft, eventually, id, outage::Outage};
use invoicing_platform::{
    invoice_cache::{InvoiceCache, Lookup},
    redis::Redis,
};
use redis::AsyncCommands;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// Whether Redis holds a cached entry for the invoice (in any epoch).
async fn cached(app: &TestApp, invoice_id: &str) -> bool {
    let client = redis::Client::open(crate::support::redis_url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let pattern = format!("{}:invoice:{invoice_id}:epoch:*", app.db.name);
    let keys: Vec<String> = connection.keys(pattern).await.unwrap();
    !keys.is_empty()
}

/// Reads the invoice twice through the API and checks the second read came from the cache.
///
/// The worker's own writes after a change (the PDF, an e-mail's timeline entry) invalidate the
/// entry on their own time and may land between the two reads: then the pair is read again,
/// until a read fills the cache and the next one (a hit) answers the same.
async fn read_twice(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    eventually(
        "a read to fill the cache and the next read to answer the same",
        Duration::from_secs(30),
        || async {
            let first = app.invoice(user, invoice_id).await;
            if !cached(app, invoice_id).await {
                return None;
            }
            let second = app.invoice(user, invoice_id).await;
            (first == second).then_some(first)
        },
    )
    .await
}

async fn stored_amount_paid(app: &TestApp, invoice_id: &str) -> i64 {
    sqlx::query_scalar("SELECT amount_paid FROM invoices WHERE id = $1::uuid")
        .bind(invoice_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_read_after_each_kind_of_change_returns_the_change() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);
    let path = format!("/api/invoices/{invoice_id}");
    assert!(!cached(&app, &invoice_id).await);
    read_twice(&app, &user, &invoice_id).await;

    // Draft edit (API → workflow update → activity).
    let globex = app.customer(&user, "Globex", "ap@globex.example").await;
    app.patch(&path, &user.token, &json!({ "customer_id": globex }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        app.invoice(&user, &invoice_id).await["client_name"],
        "Globex"
    );
    read_twice(&app, &user, &invoice_id).await;

    // Send: a number and a status.
    app.post_empty(&format!("{path}/send"), &user.token)
        .await
        .expect(StatusCode::OK);
    let sent = app.invoice(&user, &invoice_id).await;
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["number"], "INV-000001");
    read_twice(&app, &user, &invoice_id).await;

    // The worker renders the PDF on its own time: its write invalidates too. Wait on the
    // database, then the very next API read must show the PDF.
    app.pdf_rendered(&invoice_id).await;
    assert!(app.invoice(&user, &invoice_id).await["pdf_url"].is_string());
    read_twice(&app, &user, &invoice_id).await;

    // New due date.
    app.patch(
        &format!("{path}/due-date"),
        &user.token,
        &json!({ "due_date": "2031-03-01" }),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        app.invoice(&user, &invoice_id).await["due_date"],
        "2031-03-01"
    );
    read_twice(&app, &user, &invoice_id).await;

    // A payment recorded through the API.
    app.record_payment(&user, &invoice_id, 10_000, "cash").await;
    assert_eq!(app.invoice(&user, &invoice_id).await["amount_paid"], 10_000);
    read_twice(&app, &user, &invoice_id).await;

    // A payment from a Stripe webhook: a signal, applied by the worker.
    let intent = app
        .stripe
        .direct_payment(invoice_id.parse().unwrap(), 28_499, "usd");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    eventually(
        "the Stripe payment to be stored",
        Duration::from_secs(60),
        || async { (stored_amount_paid(&app, &invoice_id).await == 38_499).then_some(()) },
    )
    .await;
    let paid = app.invoice(&user, &invoice_id).await;
    assert_eq!(paid["amount_paid"], 38_499);
    assert_eq!(paid["status"], "paid");

    // Void, on a second invoice.
    let other = id(&app.sent_invoice(&user, &draft()).await);
    read_twice(&app, &user, &other).await;
    app.post(
        &format!("/api/invoices/{other}/void"),
        &user.token,
        &json!({ "reason": "issued twice" }),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(app.invoice(&user, &other).await["status"], "void");

    // Deleting a draft: the next read is a 404, not the cached draft.
    let doomed = id(&app.create_invoice(&user, &draft()).await);
    read_twice(&app, &user, &doomed).await;
    app.delete(&format!("/api/invoices/{doomed}"), &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    app.get(&format!("/api/invoices/{doomed}"), &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_cached_invoice_is_still_hidden_from_other_accounts() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let stranger = app.user().await;
    let admin = app.admin().await;
    let invoice_id = id(&app.create_invoice(&owner, &draft()).await);
    read_twice(&app, &owner, &invoice_id).await;
    app.get(&format!("/api/invoices/{invoice_id}"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let read = app
        .get(&format!("/api/invoices/{invoice_id}"), &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["id"], invoice_id.as_str());
}

#[tokio::test]
async fn a_read_that_raced_a_change_does_not_store_the_old_invoice() {
    let app = TestApp::spawn().await;
    let redis = Redis::new(&app.db.redis_settings()).unwrap();
    let cache = InvoiceCache::new(redis, Duration::from_secs(300));
    let invoice_id = Uuid::new_v4();

    // A reader misses and goes to PostgreSQL; meanwhile a writer commits and invalidates.
    let Lookup::Miss(seen) = cache.lookup(invoice_id).await else {
        panic!("an empty cache misses");
    };
    cache.invalidate(invoice_id).await;
    cache
        .fill(invoice_id, seen, b"the invoice before the change")
        .await;
    assert!(
        matches!(cache.lookup(invoice_id).await, Lookup::Miss(_)),
        "what the reader loaded before the change is not stored"
    );

    // Without a change in between, the fill is stored.
    let Lookup::Miss(seen) = cache.lookup(invoice_id).await else {
        panic!("still a miss");
    };
    cache.fill(invoice_id, seen, b"the invoice now").await;
    match cache.lookup(invoice_id).await {
        Lookup::Hit(entry) => assert_eq!(entry, b"the invoice now"),
        _ => panic!("a stored entry is a hit"),
    }
}

#[tokio::test]
async fn with_redis_stopped_the_api_answers_from_postgresql_and_says_so() {
    let upstream = crate::support::redis_url()
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .parse()
        .expect("TEST_REDIS_URL is redis://host:port");
    let outage = Outage::start(upstream).await;
    let prefix = format!("outage-{}:", Uuid::new_v4().simple());
    let app = TestApp::spawn_with(Stack {
        redis: Some(invoicing_api::RedisSettings {
            url: format!("redis://{}", outage.address),
            key_prefix: prefix,
            timeout_ms: 250,
            cluster: false,
        }),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.pdf_rendered(&invoice_id).await;
    let first = app.invoice(&user, &invoice_id).await;
    assert_eq!(app.invoice(&user, &invoice_id).await, first);
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.body["checks"]["redis"], "ok", "{:#}", ready.body);

    outage.begin();
    let ready = app
        .request(Method::GET, "/readyz", None, None)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(ready["status"], "degraded", "{ready:#}");
    assert_eq!(ready["checks"]["redis"], "unavailable");
    assert_eq!(ready["checks"]["database"], "ok");
    // Reads and commands work, from PostgreSQL and Temporal.
    assert_eq!(app.invoice(&user, &invoice_id).await, first);
    app.record_payment(&user, &invoice_id, 5_000, "cash").await;
    assert_eq!(app.invoice(&user, &invoice_id).await["amount_paid"], 5_000);
    let created = app.create_invoice(&user, &draft()).await;
    assert_eq!(app.invoice(&user, &id(&created)).await, created);
    // New sessions need Redis: a clear 503, not a 500.
    let problem = app
        .request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&json!({ "email": user.email, "password": "correct horse battery" })),
        )
        .await
        .problem(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(problem["type"], "/problems/service-unavailable");

    // Redis is back, still holding the entry cached before the payment: it is not served.
    outage.end();
    eventually(
        "Redis to be reachable again",
        Duration::from_secs(20),
        || async {
            let ready = app.request(Method::GET, "/readyz", None, None).await;
            (ready.body["checks"]["redis"] == "ok").then_some(())
        },
    )
    .await;
    let after = app.invoice(&user, &invoice_id).await;
    assert_eq!(after["amount_paid"], 5_000, "{after:#}");
    assert_eq!(app.invoice(&user, &invoice_id).await, after);
    app.sign_in(&user.email, "correct horse battery").await;
}
