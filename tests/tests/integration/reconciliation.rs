//! When webhooks never come: the pay link's watchdog (at its real one-hour delay, on the
//! time-skipping server) and the nightly reconciliation schedule.

use crate::support::{Stack, TestApp, TestUser, draft_due_in, eventually, id};
use chrono::Duration as Span;
use invoicing_store::users::{self, Role};
use invoicing_workflows::{
    ReconciliationInput, ReconciliationWorkflow, domain::InvoiceStatus as Status, reconciliation,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use temporalio_client::{
    WorkflowStartOptions,
    schedules::{ScheduleDescriptionAction, ScheduleOverlapPolicy},
};

async fn pay_link(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    app.post_empty(&format!("/api/invoices/{invoice_id}/checkout"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body
}

/// How often the fake Stripe was asked about `session_id`.
fn lookups(app: &TestApp, session_id: &str) -> usize {
    let path = format!("/v1/checkout/sessions/{session_id}");
    app.stripe
        .requests()
        .iter()
        .filter(|request| request.method == "GET" && request.path == path)
        .count()
}

#[tokio::test]
async fn a_paid_link_whose_webhook_never_comes_is_settled_by_the_watchdog_an_hour_later() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft_due_in(30)).await);
    let created_at = clock.now().await;
    let link = pay_link(&app, &user, &invoice_id).await;
    let session_id = link["session_id"].as_str().unwrap().to_owned();

    // An hour on, the client has not paid yet: Stripe is asked, and says the link is open.
    clock.skip_to(created_at + Span::minutes(59)).await;
    assert_eq!(lookups(&app, &session_id), 0, "not asked before the hour");
    clock.skip_to(created_at + Span::minutes(61)).await;
    eventually(
        "the watchdog's first look",
        Duration::from_secs(60),
        || async { (lookups(&app, &session_id) == 1).then_some(()) },
    )
    .await;
    assert_eq!(app.workflow_view(&invoice_id).await.status, Status::Sent);

    // The client pays; the webhook is lost. The next look, an hour after the first, finds it.
    let session = app.stripe.pay(&session_id);
    let intent_id = session["payment_intent"].as_str().unwrap().to_owned();
    clock.skip_to(created_at + Span::minutes(119)).await;
    assert_eq!(app.workflow_view(&invoice_id).await.status, Status::Sent);
    clock.skip_to(created_at + Span::minutes(122)).await;
    eventually(
        "the watchdog to apply the payment",
        Duration::from_secs(60),
        || async { (app.invoice(&user, &invoice_id).await["status"] == "paid").then_some(()) },
    )
    .await;
    let payments = app
        .get(&format!("/api/invoices/{invoice_id}/payments"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(payments["data"][0]["transaction_id"], intent_id.as_str());
    assert_eq!(payments["data"][0]["amount"], 38_499);
    let recorded_at: chrono::DateTime<chrono::Utc> = payments["data"][0]["recorded_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        recorded_at >= created_at + Span::minutes(120),
        "applied by the second look, at {recorded_at}"
    );
    assert!(
        app.stripe
            .requests()
            .iter()
            .any(|request| request.path == format!("/v1/payment_intents/{intent_id}")),
        "the amount comes from Stripe's PaymentIntent"
    );
    // A webhook arriving late after all changes nothing.
    app.deliver(&app.stripe.event("checkout.session.completed", &session))
        .await
        .expect(StatusCode::OK);
    app.completed(&invoice_id).await;
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        1
    );
}

/// An access token for `user` as an administrator.
async fn admin_token(app: &TestApp, user: &TestUser) -> String {
    users::set_role(&app.db.pool, user.id, Role::Admin)
        .await
        .unwrap();
    app.request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(&json!({ "email": user.email, "password": "correct horse battery" })),
    )
    .await
    .expect(StatusCode::OK)
    .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_nightly_schedule_finds_a_payment_stripe_has_and_the_table_lacks() {
    let app = TestApp::spawn_with(Stack {
        reconciliation_schedule: true,
        ..Stack::default()
    })
    .await;
    let schedule = app
        .temporal
        .get_schedule_handle(reconciliation::schedule_id(
            &app.temporal_settings.task_queue,
        ));
    // The worker made the schedule: every night at 02:00 UTC, on this task queue.
    let description = schedule.describe(Default::default()).await.unwrap();
    let next: Vec<chrono::DateTime<chrono::Utc>> = description
        .future_action_times()
        .into_iter()
        .map(Into::into)
        .collect();
    assert!(next.len() >= 2, "{next:?}");
    for run in &next {
        assert_eq!(run.format("%H:%M:%S").to_string(), "02:00:00", "{next:?}");
    }
    assert_eq!(next[1] - next[0], Span::days(1));
    let ScheduleDescriptionAction::StartWorkflow(action) = description.action() else {
        panic!("the schedule starts a workflow");
    };
    assert_eq!(action.workflow_type(), "ReconciliationWorkflow");
    assert_eq!(action.task_queue(), app.temporal_settings.task_queue);

    let user = app.user().await;
    // One invoice paid online with its webhook: in both books.
    let paid_id = id(&app.sent_invoice(&user, &draft_due_in(30)).await);
    let link = pay_link(&app, &user, &paid_id).await;
    let session = app.stripe.pay(link["session_id"].as_str().unwrap());
    app.deliver(&app.stripe.event("checkout.session.completed", &session))
        .await
        .expect(StatusCode::OK);
    eventually("the paid invoice", Duration::from_secs(60), || async {
        (app.invoice(&user, &paid_id).await["status"] == "paid").then_some(())
    })
    .await;
    // One paid at Stripe whose webhook never came and that has no pay link to watch.
    let unpaid_id = id(&app.sent_invoice(&user, &draft_due_in(30)).await);
    let lost = app
        .stripe
        .direct_payment(unpaid_id.parse().unwrap(), 38_499, "usd");

    // Tonight's run, now.
    schedule
        .trigger(ScheduleOverlapPolicy::AllowAll, Default::default())
        .await
        .unwrap();
    let admin = admin_token(&app, &app.user().await).await;
    let found = eventually("the discrepancy", Duration::from_secs(60), || async {
        let body = app
            .get("/api/admin/reconciliation", &admin)
            .await
            .expect(StatusCode::OK)
            .body;
        let data = body["data"].as_array().unwrap().clone();
        (!data.is_empty()).then_some(data)
    })
    .await;
    assert_eq!(found.len(), 1, "only the lost payment: {found:#?}");
    assert_eq!(found[0]["kind"], "missing_payment");
    assert_eq!(found[0]["transaction_id"], lost["id"]);
    assert_eq!(found[0]["invoice_id"], unpaid_id.as_str());
    assert_eq!(found[0]["source"], "reconciliation");
    assert_eq!(found[0]["actual_amount"], 38_499);

    // Another run (as the next night's would): it sees the same discrepancy and records it
    // no second time.
    let rerun = app
        .temporal
        .start_workflow(
            ReconciliationWorkflow::run,
            ReconciliationInput { days: 3 },
            WorkflowStartOptions::new(
                app.temporal_settings.task_queue.clone(),
                format!("reconciliation-rerun-{}", uuid::Uuid::new_v4()),
            )
            .build(),
        )
        .await
        .unwrap();
    let summary = rerun
        .get_result(Default::default())
        .await
        .expect("the second run completes");
    assert_eq!((summary.checked, summary.discrepancies), (2, 1));
    let again = app
        .get("/api/admin/reconciliation", &admin)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(again["data"].as_array().unwrap().len(), 1);

    // Only administrators see it.
    app.get("/api/admin/reconciliation", &user.token)
        .await
        .problem(StatusCode::FORBIDDEN);
}
