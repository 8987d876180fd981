//! What a lifecycle change produces, against the local AWS endpoint: the PDF in the bucket, the
//! e-mails the SES endpoint received, the events on the SQS queue.

use crate::support::{Stack, TestApp, TestUser, draft, eventually, id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// A draft for a client address of this test's own, so e-mails can be told apart.
fn draft_for(client_email: &str) -> Value {
    let mut body = draft();
    body["client_email"] = json!(client_email);
    body["items"] = json!([
        { "description": "Brand identity workshop", "quantity": 2, "unit_amount": 150_000 },
        { "description": "Logo design, three rounds", "quantity": 1, "unit_amount": 240_000 },
        { "description": "Hosting (monthly)", "quantity": 12, "unit_amount": 2_500 }
    ]);
    body
}

fn client_address() -> String {
    format!("ap-{}@acme.example", Uuid::new_v4().simple())
}

/// Waits until the invoice's timeline has notifications of every kind in `kinds` (with
/// repetitions), and returns them.
async fn notifications_reach(
    app: &TestApp,
    user: &TestUser,
    invoice_id: &str,
    kinds: &[&str],
) -> Vec<Value> {
    eventually(
        &format!("notifications {kinds:?} on {invoice_id}"),
        Duration::from_secs(30),
        || async {
            let notifications = app.notifications(user, invoice_id).await;
            let seen: Vec<&str> = notifications
                .iter()
                .map(|n| n["type"].as_str().unwrap())
                .collect();
            let all = kinds.iter().all(|kind| {
                seen.iter().filter(|s| *s == kind).count()
                    >= kinds.iter().filter(|k| *k == kind).count()
            });
            all.then_some(notifications)
        },
    )
    .await
}

fn pdf_text(bytes: &[u8]) -> String {
    lopdf::Document::load_mem(bytes).expect("a PDF");
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text")
}

/// Production encrypts PDFs with the bucket's KMS key (`APP_DOCUMENTS__KMS_KEY_ID`): each
/// object asks for SSE-KMS with that key, and the PDF still reaches the client and its owner.
#[tokio::test]
async fn with_a_kms_key_pdfs_are_stored_under_sse_kms() {
    let kms_key = format!("arn:aws:kms:us-east-1:123456789012:key/{}", Uuid::new_v4());
    let app = TestApp::spawn_with(Stack {
        documents_kms_key: Some(kms_key.clone()),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client_address())).await);
    notifications_reach(
        &app,
        &user,
        &invoice_id,
        &["document_rendered", "email_sent"],
    )
    .await;

    let key = format!("invoices/{invoice_id}/v1.pdf");
    assert_eq!(
        app.aws.encryption_with_key(&key).await,
        (Some("aws:kms".to_owned()), Some(kms_key))
    );
    let response = app
        .http
        .get(format!("{}/api/invoices/{invoice_id}/pdf", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
}

#[tokio::test]
async fn sending_stores_the_pdf_emails_the_client_and_publishes_an_event() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = client_address();
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client)).await);

    notifications_reach(
        &app,
        &user,
        &invoice_id,
        &["document_rendered", "email_sent"],
    )
    .await;

    // The PDF: stored under a key per invoice and version, encrypted, with the invoice in it.
    let key = format!("invoices/{invoice_id}/v1.pdf");
    assert_eq!(app.aws.keys().await, std::slice::from_ref(&key));
    assert_eq!(app.aws.encryption(&key).await.as_deref(), Some("AES256"));
    let text = pdf_text(&app.aws.object(&key).await);
    for expected in [
        "INV-000001",
        "Brand identity workshop",
        "Logo design, three rounds",
        "Hosting (monthly)",
        "$5,700.00",
        "Acme Ltd",
    ] {
        assert!(
            text.contains(expected),
            "the PDF lacks {expected:?}:\n{text}"
        );
    }

    // The API serves it to its owner, and only to them.
    let invoice = app.invoice(&user, &invoice_id).await;
    let pdf_url = invoice["pdf_url"]
        .as_str()
        .expect("a sent invoice has a pdf_url");
    assert_eq!(pdf_url, format!("/api/invoices/{invoice_id}/pdf"));
    let response = app
        .http
        .get(format!("{}{pdf_url}", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.headers()["content-disposition"],
        "inline; filename=\"INV-000001.pdf\""
    );
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF"));
    let stranger = app.user().await;
    app.get(pdf_url, &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);

    // The e-mail: to the client, the number in the subject, the PDF attached.
    let emails = app.aws.wait_for_emails(&client, 1).await;
    assert_eq!(emails.len(), 1, "{emails:#?}");
    let email = &emails[0];
    assert_eq!(email.to, std::slice::from_ref(&client));
    assert_eq!(email.from, "billing@invoicing.local");
    assert!(email.subject.contains("INV-000001"), "{}", email.subject);
    assert!(email.text.contains("$5,700.00"), "{}", email.text);
    assert_eq!(email.attachments.len(), 1);
    assert_eq!(email.attachments[0].0, "INV-000001.pdf");
    assert!(pdf_text(&email.attachments[0].1).contains("INV-000001"));

    // The event, in its documented shape.
    let events = app.aws.drain_events(Duration::from_secs(2)).await;
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = &events[0];
    assert_eq!(event["type"], "invoice.sent");
    assert!(Uuid::parse_str(event["event_id"].as_str().unwrap()).is_ok());
    assert_eq!(event["invoice_id"], invoice_id.as_str());
    assert_eq!(event["account_id"], user.id.to_string());
    assert_eq!(event["number"], "INV-000001");
    assert_eq!(event["status"], "sent");
    assert_eq!(event["currency"], "USD");
    assert_eq!(event["total"], 570_000);
    assert_eq!(event["amount_paid"], 0);
    assert_eq!(event["amount_due"], 570_000);
    assert!(
        event["occurred_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .is_ok()
    );
    assert_eq!(event["data"]["due_date"], invoice["due_date"]);

    // The queue has its dead-letter queue.
    let redrive = app.aws.redrive_policy().await;
    assert!(
        redrive["deadLetterTargetArn"]
            .as_str()
            .unwrap()
            .ends_with(&app.aws.names.dead_letter_queue),
        "{redrive}"
    );
    assert_eq!(
        redrive["maxReceiveCount"].to_string().trim_matches('"'),
        "5"
    );
}

#[tokio::test]
async fn payments_send_receipts_and_paying_in_full_stamps_the_pdf_paid() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = client_address();
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client)).await);
    app.record_payment(&user, &invoice_id, 70_000, "card").await;
    app.record_payment(&user, &invoice_id, 500_000, "bank_transfer")
        .await;
    app.completed(&invoice_id).await;

    let subjects: Vec<String> = app.aws.email_subjects(&client, 3).await;
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects[0].starts_with("Invoice INV-000001"));
    assert_eq!(subjects[1], "Payment received for invoice INV-000001");
    assert_eq!(subjects[2], "Payment received for invoice INV-000001");

    let mut keys = app.aws.keys().await;
    keys.sort();
    assert_eq!(
        keys,
        [
            format!("invoices/{invoice_id}/v1.pdf"),
            format!("invoices/{invoice_id}/v2.pdf")
        ]
    );
    let paid = pdf_text(&app.aws.object(&keys[1]).await);
    assert!(paid.contains("PAID"), "{paid}");
    assert!(!pdf_text(&app.aws.object(&keys[0]).await).contains("PAID"));
    let stored = app.invoice(&user, &invoice_id).await;
    assert_eq!(stored["pdf_url"], format!("/api/invoices/{invoice_id}/pdf"));

    let types: Vec<String> = app.aws.event_types(Duration::from_secs(2)).await;
    assert_eq!(
        types,
        [
            "invoice.sent",
            "invoice.payment_recorded",
            "invoice.payment_recorded",
            "invoice.paid"
        ]
    );
}

#[tokio::test]
async fn voiding_a_sent_invoice_stamps_the_pdf_and_tells_the_client() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = client_address();
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client)).await);
    app.post(
        &format!("/api/invoices/{invoice_id}/void"),
        &user.token,
        &json!({ "reason": "Sent to the wrong entity" }),
    )
    .await
    .expect(StatusCode::OK);
    app.completed(&invoice_id).await;

    let emails = app.aws.wait_for_emails(&client, 2).await;
    assert_eq!(emails.len(), 2);
    assert_eq!(emails[1].subject, "Invoice INV-000001 has been voided");
    assert!(emails[1].text.contains("Reason: Sent to the wrong entity"));
    let void = pdf_text(
        &app.aws
            .object(&format!("invoices/{invoice_id}/v2.pdf"))
            .await,
    );
    assert!(void.contains("VOID"), "{void}");
    // Nothing is owed on a cancelled invoice.
    let due = void.split("Amount due").nth(1).map(str::split_whitespace);
    assert_eq!(
        due.and_then(|mut words| words.next()),
        Some("$0.00"),
        "{void}"
    );
    let events = app.aws.drain_events(Duration::from_secs(2)).await;
    let last = events.last().unwrap();
    assert_eq!(last["type"], "invoice.voided");
    assert_eq!(last["data"]["reason"], "Sent to the wrong entity");
}

#[tokio::test]
async fn a_refused_email_is_on_the_timeline_and_does_not_stop_the_lifecycle() {
    let app = TestApp::spawn_with(Stack {
        email_from: Some(format!(
            "billing-{}@invoicing.local",
            Uuid::new_v4().simple()
        )),
        ..Stack::default()
    })
    .await;
    // SES no longer knows the sender: every message is refused for good.
    app.aws.forget_sender(app.email_from()).await;
    let user = app.user().await;
    let client = client_address();
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client)).await);

    let notifications = notifications_reach(&app, &user, &invoice_id, &["email_failed"]).await;
    let failed = notifications
        .iter()
        .find(|n| n["type"] == "email_failed")
        .unwrap();
    assert_eq!(failed["data"]["to"], client.as_str());
    assert!(
        failed["data"]["reason"]
            .as_str()
            .unwrap()
            .contains("MessageRejected"),
        "{failed:#}"
    );
    assert!(app.aws.emails_to(&client).await.is_empty());

    // The lifecycle goes on: the event was published and the invoice takes its payment.
    app.record_payment(&user, &invoice_id, 570_000, "cash")
        .await;
    app.completed(&invoice_id).await;
    assert_eq!(app.invoice(&user, &invoice_id).await["status"], "paid");
}

#[tokio::test]
async fn the_reminder_schedule_can_be_read_and_replaced() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let default = app
        .get("/api/settings/reminders", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        default,
        json!({ "days_from_due_date": [-3, 0, 1, 7, 14], "custom": false })
    );

    let replaced = app
        .request(
            reqwest::Method::PUT,
            "/api/settings/reminders",
            Some(&user.token),
            Some(&json!({ "days_from_due_date": [10, -7, 0] })),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        replaced,
        json!({ "days_from_due_date": [-7, 0, 10], "custom": true })
    );
    assert_eq!(
        app.get("/api/settings/reminders", &user.token).await.body,
        replaced
    );

    for invalid in [
        json!([1, 1]),
        json!([-61]),
        json!((0..11).collect::<Vec<_>>()),
        json!("soon"),
    ] {
        app.request(
            reqwest::Method::PUT,
            "/api/settings/reminders",
            Some(&user.token),
            Some(&json!({ "days_from_due_date": invalid })),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Invoices sent from now on follow the new schedule.
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let view = app.workflow_view(&invoice_id).await;
    let due = view.due_date;
    assert_eq!(
        view.next_reminder_at.map(|at| at.date_naive()),
        due.checked_sub_days(chrono::Days::new(7))
    );
}

#[tokio::test]
async fn the_seller_profile_heads_the_pdf_and_names_the_emails() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let put = |body: Value| {
        let token = user.token.clone();
        let app = &app;
        async move {
            app.request(
                reqwest::Method::PUT,
                "/api/settings/seller",
                Some(&token),
                Some(&body),
            )
            .await
        }
    };

    let unset = app.get("/api/settings/seller", &user.token).await;
    let unset = unset.expect(StatusCode::OK).body;
    assert_eq!(unset["display_name"], Value::Null);
    assert_eq!(unset["address"], Value::Null);
    assert_eq!(unset["tax_ids"], json!([]));

    let profile = json!({
        "display_name": " Northwind Design Studio ",
        "address": {
            "lines": ["220 Harbor Street", " "],
            "city": "Portland", "region": "OR", "postal_code": "97209", "country": "us"
        },
        "tax_ids": [{ "kind": "us_ein", "value": "931234567" }]
    });
    let stored = put(profile).await.expect(StatusCode::OK).body;
    assert_eq!(stored["display_name"], "Northwind Design Studio");
    assert_eq!(
        stored["address"],
        json!({
            "lines": ["220 Harbor Street"], "postal_code": "97209", "city": "Portland",
            "region": "OR", "country": "US"
        })
    );
    assert_eq!(
        stored["tax_ids"],
        json!([{ "kind": "us_ein", "value": "93-1234567" }])
    );

    // Bad input is refused at its field and changes nothing.
    let address = json!({ "lines": ["1 Main St"], "country": "US" });
    for (invalid, field) in [
        (
            json!({ "display_name": "", "address": address }),
            "display_name",
        ),
        (
            json!({ "display_name": "x".repeat(201), "address": address }),
            "display_name",
        ),
        (
            json!({ "display_name": "A", "address": { "lines": ["1", "2", "3", "4"], "country": "US" } }),
            "address.lines",
        ),
        (
            json!({ "display_name": "A", "address": address, "tax_ids": [{ "kind": "other", "value": "9".repeat(31) }] }),
            "tax_ids[0].value",
        ),
        (
            json!({ "display_name": "A", "address": address, "color": "blue" }),
            "color",
        ),
        (json!({ "address": address }), "display_name"),
        (json!({ "display_name": "A" }), "address"),
    ] {
        let problem = put(invalid.clone())
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            problem["errors"][field].is_array(),
            "{invalid} → {problem:#}"
        );
    }
    assert_eq!(
        app.get("/api/settings/seller", &user.token)
            .await
            .expect(StatusCode::OK)
            .body,
        stored
    );

    // The next invoice is from the studio: on its PDF and in its e-mail.
    let client = client_address();
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client)).await);
    let emails = app.aws.wait_for_emails(&client, 1).await;
    assert!(
        emails[0]
            .subject
            .starts_with("Invoice INV-000001 from Northwind Design Studio:"),
        "{}",
        emails[0].subject
    );
    assert!(emails[0].text.contains("reach Northwind Design Studio"));
    notifications_reach(&app, &user, &invoice_id, &["document_rendered"]).await;
    let text = pdf_text(
        &app.aws
            .object(&format!("invoices/{invoice_id}/v1.pdf"))
            .await,
    );
    for expected in [
        "Northwind Design Studio",
        "220 Harbor Street",
        "Portland, OR 97209",
        "EIN: 93-1234567",
    ] {
        assert!(
            text.contains(expected),
            "the PDF lacks {expected:?}:\n{text}"
        );
    }
    // A long address may be broken over two lines.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains(&user.email), "{text}");
}
