//! Workflow code must replay the histories it wrote. A change that would break invoices already
//! running in production (reordered commands, a new activity without `ctx.patched`) fails here
//! instead of in the Temporal UI.
//!
//! `tests/histories/*.json` are histories recorded from earlier versions of the workflow; every
//! one must still replay. To record the current version's, run
//! `RECORD_HISTORIES=$PWD/tests/histories scripts/test replay` (an absolute path: the tests
//! run in the `tests/` crate's folder) and commit the new files.

use crate::support::{Stack, TestApp, TimeSkipping, draft, id};
use chrono::Duration as Span;
use invoicing_workflows::InvoiceWorkflow;
use reqwest::StatusCode;
use serde_json::json;
use std::path::{Path, PathBuf};
use temporalio_client::WorkflowHistory;
use temporalio_sdk::workflow_replayer::{WorkflowReplayer, WorkflowReplayerOptions};

fn replayer() -> WorkflowReplayer {
    WorkflowReplayer::new(
        WorkflowReplayerOptions::new()
            .register_workflow::<InvoiceWorkflow>()
            .expect("registering the workflow")
            .build(),
    )
    .expect("building the replayer")
}

fn recorded_histories() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("histories")
}

/// Every kind of command and the timer, in one invoice's life.
#[tokio::test]
async fn a_whole_lifecycle_replays_deterministically() {
    let clock = TimeSkipping::start().await;
    let app = TestApp::spawn_with(Stack {
        temporal_address: clock.address(),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);
    app.patch(
        &format!("/api/invoices/{invoice_id}"),
        &user.token,
        &json!({ "notes": "Net 30" }),
    )
    .await
    .expect(StatusCode::OK);
    let sent = app
        .post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    app.record_payment(&user, &invoice_id, 10_000, "cash").await;
    let due: chrono::NaiveDate = sent["due_date"].as_str().unwrap().parse().unwrap();
    clock
        .skip_to(
            due.succ_opt()
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                + Span::hours(1),
        )
        .await;
    crate::support::eventually(
        "the invoice to fall overdue",
        std::time::Duration::from_secs(20),
        || async { (app.invoice(&user, &invoice_id).await["status"] == "overdue").then_some(()) },
    )
    .await;
    app.patch(
        &format!("/api/invoices/{invoice_id}/due-date"),
        &user.token,
        &json!({ "due_date": (clock.now().await + Span::days(10)).date_naive() }),
    )
    .await
    .expect(StatusCode::OK);
    app.record_payment(&user, &invoice_id, 28_499, "bank_transfer")
        .await;

    replay_and_record(&app, &invoice_id, "lifecycle").await;
}

/// Stripe's part, in one run: a partial payment reported by webhook and partly refunded, a pay
/// link for the rest, the watchdog's look at it, a declined attempt, then the payment.
#[tokio::test]
async fn an_online_payment_story_replays_deterministically() {
    let clock = TimeSkipping::start().await;
    let app = TestApp::spawn_with(Stack {
        temporal_address: clock.address(),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let paid = |amount: i64| {
        let app = &app;
        let user = &user;
        let invoice_id = invoice_id.clone();
        async move {
            crate::support::eventually(
                &format!("{amount} paid"),
                std::time::Duration::from_secs(60),
                || async {
                    (app.invoice(user, &invoice_id).await["amount_paid"] == amount).then_some(())
                },
            )
            .await
        }
    };

    let partial = app
        .stripe
        .direct_payment(invoice_id.parse().unwrap(), 10_000, "usd");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &partial))
        .await
        .expect(StatusCode::OK);
    paid(10_000).await;
    let charge = app.stripe.refund(partial["id"].as_str().unwrap(), 4_000);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    paid(6_000).await;

    let link = app
        .post_empty(&format!("/api/invoices/{invoice_id}/checkout"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(link["amount"], 32_499);
    let session_id = link["session_id"].as_str().unwrap().to_owned();
    clock.skip(std::time::Duration::from_secs(61 * 60)).await;
    crate::support::eventually(
        "the watchdog's look",
        std::time::Duration::from_secs(60),
        || async {
            app.stripe
                .requests()
                .iter()
                .any(|request| request.method == "GET" && request.path.ends_with(&session_id))
                .then_some(())
        },
    )
    .await;
    let declined = app.stripe.decline(&session_id);
    app.deliver(&app.stripe.event("payment_intent.payment_failed", &declined))
        .await
        .expect(StatusCode::OK);
    app.stripe.succeed(declined["id"].as_str().unwrap());
    let session = app.stripe.session(&session_id);
    app.deliver(&app.stripe.event("checkout.session.completed", &session))
        .await
        .expect(StatusCode::OK);
    paid(38_499).await;
    app.completed(&invoice_id).await;

    replay_and_record(&app, &invoice_id, "stripe").await;
}

/// Replays the invoice workflow's latest run; with `RECORD_HISTORIES` set, also keeps it as
/// `{name}-{date}.json` there (`{name}-{date}-2.json`... when that is taken: a recording is
/// never overwritten).
async fn replay_and_record(app: &TestApp, invoice_id: &str, name: &str) {
    let history = app.workflow(invoice_id).fetch_history(Default::default());
    let json = history.to_json().await.expect("serialising the history");
    replayer()
        .replay_workflow(WorkflowHistory::from_json(&json).unwrap())
        .await
        .expect("the workflow replays its own history");

    if let Ok(directory) = std::env::var("RECORD_HISTORIES") {
        let stem = format!("{name}-{}", chrono::Utc::now().format("%Y%m%d"));
        let path = (1..)
            .map(|n| match n {
                1 => Path::new(&directory).join(format!("{stem}.json")),
                n => Path::new(&directory).join(format!("{stem}-{n}.json")),
            })
            .find(|path| !path.exists())
            .expect("a free file name");
        std::fs::write(&path, &json).expect("recording the history");
        eprintln!("recorded {}", path.display());
    }
}

#[tokio::test]
async fn histories_recorded_by_earlier_versions_still_replay() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(recorded_histories())
        .expect("tests/histories exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "tests/histories holds recorded histories"
    );

    let replayer = replayer();
    for file in files {
        let json = std::fs::read(&file).unwrap();
        let history = WorkflowHistory::from_json(&json)
            .unwrap_or_else(|error| panic!("{} is not a history: {error}", file.display()));
        replayer
            .replay_workflow(history)
            .await
            .unwrap_or_else(|error| panic!("{} no longer replays: {error:?}", file.display()));
    }
}
