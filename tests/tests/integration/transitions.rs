//! Every command the status machine forbids is refused with 409 and changes nothing.

use crate::support::{TestApp, TestUser, draft, eventually, id, today};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// A command, as a request on an invoice.
#[derive(Clone, Copy, Debug)]
enum Command {
    Send,
    Pay,
    Void,
    ChangeDueDate,
    Edit,
    Delete,
}

impl Command {
    async fn issue(
        self,
        app: &TestApp,
        user: &TestUser,
        invoice_id: &str,
    ) -> crate::support::Response {
        let base = format!("/api/invoices/{invoice_id}");
        let (method, path, body) = match self {
            Command::Send => (Method::POST, format!("{base}/send"), None),
            Command::Pay => (
                Method::POST,
                format!("{base}/payments"),
                Some(json!({ "amount": 100, "method": "cash" })),
            ),
            Command::Void => (Method::POST, format!("{base}/void"), None),
            Command::ChangeDueDate => (
                Method::PATCH,
                format!("{base}/due-date"),
                Some(json!({ "due_date": today() + chrono::Days::new(90) })),
            ),
            Command::Edit => (
                Method::PATCH,
                base,
                Some(json!({ "notes": "Someone else's" })),
            ),
            Command::Delete => (Method::DELETE, base, None),
        };
        app.request(method, &path, Some(&user.token), body.as_ref())
            .await
    }
}

/// The invoice and its timeline, to prove a refused command left both alone.
async fn snapshot(app: &TestApp, user: &TestUser, invoice_id: &str) -> (Value, Vec<String>) {
    // A sent invoice's first PDF is rendered on the worker's own time (and shows as `pdf_url`):
    // wait for it, so that the snapshot changes only when a command changes the invoice.
    if app.invoice(user, invoice_id).await["status"] != "draft" {
        app.pdf_rendered(invoice_id).await;
    }
    (
        app.invoice(user, invoice_id).await,
        app.timeline(user, invoice_id).await,
    )
}

#[tokio::test]
async fn every_invalid_transition_is_a_409_that_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let draft_id = id(&app.create_invoice(&user, &draft()).await);
    let sent_id = id(&app.sent_invoice(&user, &draft()).await);
    let overdue_id = {
        let mut body = draft();
        body["issue_date"] = json!(today() - chrono::Days::new(30));
        body["due_date"] = json!(today() - chrono::Days::new(1));
        let invoice_id = id(&app.sent_invoice(&user, &body).await);
        eventually(
            "the invoice to fall overdue",
            Duration::from_secs(10),
            || async {
                (app.invoice(&user, &invoice_id).await["status"] == "overdue").then_some(())
            },
        )
        .await;
        invoice_id
    };
    let paid_id = {
        let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
        app.record_payment(&user, &invoice_id, 38_499, "bank_transfer")
            .await;
        invoice_id
    };
    let void_id = {
        let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
        app.post_empty(&format!("/api/invoices/{invoice_id}/void"), &user.token)
            .await
            .expect(StatusCode::OK);
        invoice_id
    };

    use Command::*;
    let forbidden: [(&str, &str, &[Command]); 5] = [
        ("draft", &draft_id, &[Pay, ChangeDueDate]),
        ("sent", &sent_id, &[Send, Edit, Delete]),
        ("overdue", &overdue_id, &[Send, Edit, Delete]),
        (
            "paid",
            &paid_id,
            &[Send, Pay, Void, ChangeDueDate, Edit, Delete],
        ),
        (
            "void",
            &void_id,
            &[Send, Pay, Void, ChangeDueDate, Edit, Delete],
        ),
    ];
    for (status, invoice_id, commands) in forbidden {
        let before = snapshot(&app, &user, invoice_id).await;
        assert_eq!(before.0["status"], status);
        for command in commands {
            let problem = command
                .issue(&app, &user, invoice_id)
                .await
                .problem(StatusCode::CONFLICT);
            assert_eq!(
                problem["type"], "/problems/invalid-transition",
                "{command:?} on a {status} invoice: {problem:#}"
            );
            assert!(
                problem["detail"].as_str().unwrap().contains(status),
                "the reason names the status: {problem:#}"
            );
        }
        assert_eq!(
            snapshot(&app, &user, invoice_id).await,
            before,
            "refused commands on a {status} invoice changed it"
        );
    }
}

#[tokio::test]
async fn an_overpayment_is_refused_with_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.record_payment(&user, &invoice_id, 30_000, "cash").await;
    let before = snapshot(&app, &user, &invoice_id).await;

    let problem = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 8_500, "method": "cash" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    assert!(
        problem["errors"]["amount"][0]
            .as_str()
            .unwrap()
            .contains("exceeds the amount due, 84.99 USD"),
        "{problem:#}"
    );
    assert_eq!(snapshot(&app, &user, &invoice_id).await, before);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_invoice_with_payments_cannot_be_voided() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": 1_000, "method": "check", "reference": "CHK 88" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let before = snapshot(&app, &user, &invoice_id).await;

    let problem = app
        .post_empty(&format!("/api/invoices/{invoice_id}/void"), &user.token)
        .await
        .problem(StatusCode::CONFLICT);

    assert_eq!(problem["type"], "/problems/payments-recorded");
    assert_eq!(snapshot(&app, &user, &invoice_id).await, before);
}

#[tokio::test]
async fn a_due_date_before_the_issue_date_is_refused_with_422() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let before = snapshot(&app, &user, &invoice_id).await;

    let problem = app
        .patch(
            &format!("/api/invoices/{invoice_id}/due-date"),
            &user.token,
            &json!({ "due_date": today() - chrono::Days::new(1) }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    assert!(problem["errors"]["due_date"].is_array(), "{problem:#}");
    assert_eq!(snapshot(&app, &user, &invoice_id).await, before);
}
