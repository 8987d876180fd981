//! The invoice lifecycle through the API: each command answered with the invoice as stored, the
//! timeline, and the workflow behind it.

use crate::support::{TestApp, draft, draft_due_in, id, today};
use invoicing_workflows::{domain::InvoiceStatus, search};
use reqwest::StatusCode;
use serde_json::json;
use temporalio_client::WorkflowTerminateOptions;

#[tokio::test]
async fn a_draft_is_sent_partly_paid_then_paid_in_full() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    // Draft: totals computed by the server.
    let draft = app.create_invoice(&user, &draft()).await;
    let invoice_id = id(&draft);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], serde_json::Value::Null);
    assert_eq!(draft["subtotal"], 38_499);
    assert_eq!(draft["total"], 38_499);
    assert_eq!(draft["amount_paid"], 0);
    assert_eq!(draft["amount_due"], 38_499);
    assert_eq!(draft["items"][0]["amount"], 37_500);
    assert_eq!(draft["issue_date"], today().to_string());

    // Sent: numbered, dated, and the answer already shows it (read-your-writes).
    let sent = app
        .post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["number"], "INV-000001");
    assert!(sent["sent_at"].is_string());

    // A partial payment lowers the amount due.
    let partial = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 10_000, "method": "bank_transfer", "reference": "TX-1001" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(partial["payment"]["amount"], 10_000);
    assert_eq!(partial["payment"]["method"], "bank_transfer");
    assert_eq!(partial["payment"]["reference"], "TX-1001");
    assert_eq!(partial["invoice"]["status"], "sent");
    assert_eq!(partial["invoice"]["amount_paid"], 10_000);
    assert_eq!(partial["invoice"]["amount_due"], 28_499);

    // Paying the rest makes it paid.
    let settled = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 28_499, "method": "card" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(settled["invoice"]["status"], "paid");
    assert_eq!(settled["invoice"]["amount_due"], 0);
    assert!(settled["invoice"]["paid_at"].is_string());

    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        [
            "created",
            "sent",
            "payment_recorded",
            "payment_recorded",
            "paid"
        ]
    );
    let payments = app
        .get(&format!("/api/invoices/{invoice_id}/payments"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(payments["data"].as_array().unwrap().len(), 2);

    // The workflow finished with the invoice, and operators can find it by status and number.
    app.completed(&invoice_id).await;
    let description = app
        .workflow(&invoice_id)
        .describe(Default::default())
        .await
        .unwrap();
    let attributes = description.search_attributes();
    assert_eq!(
        attributes.get(&search::INVOICE_STATUS).as_deref(),
        Some("paid")
    );
    assert_eq!(
        attributes.get(&search::INVOICE_NUMBER).as_deref(),
        Some("INV-000001")
    );
    assert_eq!(attributes.get(&search::INVOICE_AMOUNT_DUE), Some(0));
}

#[tokio::test]
async fn voiding_ends_a_sent_invoice_and_a_draft() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let sent = app.sent_invoice(&user, &draft()).await;
    let draft = app.create_invoice(&user, &draft()).await;

    let voided = app
        .post(
            &format!("/api/invoices/{}/void", id(&sent)),
            &user.token,
            &json!({ "reason": "Issued to the wrong client" }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let voided_draft = app
        .post_empty(&format!("/api/invoices/{}/void", id(&draft)), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(voided["status"], "void");
    assert_eq!(
        voided["number"], "INV-000001",
        "a voided invoice keeps its number"
    );
    assert_eq!(voided["void_reason"], "Issued to the wrong client");
    assert!(voided["voided_at"].is_string());
    assert_eq!(voided_draft["status"], "void");
    assert_eq!(voided_draft["number"], serde_json::Value::Null);
    assert_eq!(
        app.timeline(&user, &id(&sent)).await,
        ["created", "sent", "voided"]
    );
    assert_eq!(
        app.timeline(&user, &id(&draft)).await,
        ["created", "voided"]
    );
    for invoice in [&sent, &draft] {
        app.completed(&id(invoice)).await;
    }
}

#[tokio::test]
async fn a_draft_can_be_edited_and_deleted() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);

    let europe = app
        .customer(&user, "Acme Europe GmbH", "ap@acme.example")
        .await;
    let edited = app
        .patch(
            &format!("/api/invoices/{invoice_id}"),
            &user.token,
            &json!({
                "customer_id": europe,
                "currency": "eur",
                "notes": null,
                "items": [{ "description": "Workshop", "quantity": 2, "unit_amount": 80_000 }]
            }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(edited["client_name"], "Acme Europe GmbH");
    assert_eq!(
        edited["client_email"], "ap@acme.example",
        "the new customer's address"
    );
    assert_eq!(
        edited["due_date"],
        draft()["due_date"],
        "fields left out keep their value"
    );
    assert_eq!(edited["currency"], "EUR");
    assert_eq!(edited["notes"], serde_json::Value::Null);
    assert_eq!(edited["items"].as_array().unwrap().len(), 1);
    assert_eq!(edited["total"], 160_000);
    assert_eq!(app.workflow_view(&invoice_id).await.total, 160_000);
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "updated"]
    );

    app.delete(&format!("/api/invoices/{invoice_id}"), &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);

    app.get(&format!("/api/invoices/{invoice_id}"), &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM invoice_items WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        0
    );
    app.completed(&invoice_id).await;
}

#[tokio::test]
async fn the_due_date_of_a_sent_invoice_can_move() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft_due_in(30)).await);
    let later = today() + chrono::Days::new(60);

    let moved = app
        .patch(
            &format!("/api/invoices/{invoice_id}/due-date"),
            &user.token,
            &json!({ "due_date": later }),
        )
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(moved["due_date"], later.to_string());
    assert_eq!(moved["status"], "sent");
    let view = app.workflow_view(&invoice_id).await;
    assert_eq!(view.due_date, later);
    assert_eq!(
        view.overdue_at.map(|at| at.date_naive()),
        later.succ_opt(),
        "the overdue timer follows the due date"
    );
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "due_date_changed"]
    );
}

#[tokio::test]
async fn an_invoice_dated_in_the_past_is_overdue_as_soon_as_it_is_sent() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut body = draft();
    body["issue_date"] = json!(today() - chrono::Days::new(40));
    body["due_date"] = json!(today() - chrono::Days::new(10));
    let invoice_id = id(&app.create_invoice(&user, &body).await);

    app.post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK);

    let overdue = crate::support::eventually(
        "the invoice to be overdue",
        std::time::Duration::from_secs(10),
        || async {
            let invoice = app.invoice(&user, &invoice_id).await;
            (invoice["status"] == "overdue").then_some(invoice)
        },
    )
    .await;
    assert_eq!(overdue["number"], "INV-000001");
    assert_eq!(
        app.workflow_view(&invoice_id).await.status,
        InvoiceStatus::Overdue
    );
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "overdue"]
    );
}

#[tokio::test]
async fn a_workflow_terminated_by_an_operator_is_restarted_from_the_stored_invoice() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.record_payment(&user, &invoice_id, 8_499, "cash").await;
    app.workflow(&invoice_id)
        .terminate(
            WorkflowTerminateOptions::builder()
                .reason("operator test".to_owned())
                .build(),
        )
        .await
        .unwrap();

    let settled = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 30_000, "method": "cash" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;

    assert_eq!(settled["invoice"]["status"], "paid");
    assert_eq!(settled["invoice"]["amount_paid"], 38_499);
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        [
            "created",
            "sent",
            "payment_recorded",
            "payment_recorded",
            "paid"
        ]
    );
    app.completed(&invoice_id).await;
}

#[tokio::test]
async fn invoices_are_listed_newest_first_page_by_page_and_by_status() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(id(&app.create_invoice(&user, &draft()).await));
    }
    app.post_empty(&format!("/api/invoices/{}/send", created[1]), &user.token)
        .await
        .expect(StatusCode::OK);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/api/invoices?limit=2&cursor={cursor}"),
            None => "/api/invoices?limit=2".to_owned(),
        };
        let page = app
            .get(&path, &user.token)
            .await
            .expect(StatusCode::OK)
            .body;
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 2);
        seen.extend(data.iter().map(id));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    created.reverse();
    assert_eq!(seen, created, "every invoice once, newest first");

    let sent = app
        .get("/api/invoices?status=sent", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let sent: Vec<String> = sent["data"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(sent, [created[3].clone()]);
}
