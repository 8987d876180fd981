//! Long-lived invoices keep their history small: the workflow continues as new when Temporal
//! suggests it, and the new run carries the invoice over without losing or repeating anything.

use crate::support::{DevServer, Stack, TestApp, draft, id};
use reqwest::StatusCode;
use serde_json::json;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;

#[tokio::test]
async fn a_much_edited_invoice_continues_as_new_and_loses_nothing() {
    // Temporal suggests a new run once a history passes 40 events (4,096 by default).
    let server = DevServer::start(&["limit.historyCount.suggestContinueAsNew=40"]).await;
    let app = TestApp::spawn_with(Stack {
        temporal_address: server.address(),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);

    let edits = 8;
    for quantity in 1..=edits {
        app.patch(
            &format!("/api/invoices/{invoice_id}"),
            &user.token,
            &json!({ "items": [{ "description": "Consulting", "quantity": quantity, "unit_amount": 10_000 }] }),
        )
        .await
        .expect(StatusCode::OK);
    }
    app.post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK);
    let paid = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": edits * 10_000, "method": "bank_transfer" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;

    assert_eq!(paid["invoice"]["status"], "paid");
    assert_eq!(paid["invoice"]["total"], edits * 10_000);
    let mut expected = vec!["created".to_owned()];
    expected.extend(std::iter::repeat_n("updated".to_owned(), edits as usize));
    expected.extend(["sent", "payment_recorded", "paid"].map(String::from));
    assert_eq!(app.timeline(&user, &invoice_id).await, expected);
    app.completed(&invoice_id).await;
    // The run that finished the invoice is not the one that started it.
    let history = app.history(&invoice_id).await;
    let Some(Attributes::WorkflowExecutionStartedEventAttributes(started)) = &history[0].attributes
    else {
        panic!("a history starts with WorkflowExecutionStarted");
    };
    assert!(
        !started.continued_execution_run_id.is_empty(),
        "the workflow continued as new at least once"
    );
}
