//! The e-invoice gate at send: a draft whose customer receives XRechnung is checked against
//! the XRechnung rules before it gets a number. Refused, it stays a draft — no number, no
//! e-mail, no event — and the answer names each broken rule; fixed, it is sent with the
//! number it would have had, even when the client retries with the refused send's
//! Idempotency-Key.

use crate::support::{Response, TestApp, TestUser, id, today};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// KoSIT's test Leitweg-ID.
pub(crate) const LEITWEG_ID: &str = "991-33333TEST-33";

/// A German seller with everything XRechnung asks of a seller: address, VAT id, contact
/// with phone and e-mail, electronic address, a bank account to pay into.
pub(crate) async fn xrechnung_seller(app: &TestApp, user: &TestUser) {
    app.request(
        Method::PUT,
        "/api/settings/seller",
        Some(&user.token),
        Some(&json!({
            "display_name": "Schmidt Consulting",
            "legal_name": "Schmidt Consulting GmbH",
            "address": {
                "lines": ["Friedrichstraße 123"],
                "postal_code": "10117",
                "city": "Berlin",
                "country": "DE"
            },
            "tax_ids": [{ "kind": "eu_vat", "value": "DE123456789" }],
            "email": "billing@schmidt.example",
            "phone": "+49 30 1234567",
            "payment_terms_days": 14,
            "number_format": { "pattern": "RE-{SEQ:5}", "reset": "never" },
            "electronic_address": { "scheme": "9930", "id": "DE123456789" }
        })),
    )
    .await
    .expect(StatusCode::OK);
    app.post(
        "/api/settings/bank-accounts",
        &user.token,
        &json!({
            "holder": "Schmidt Consulting GmbH",
            "currency": "EUR",
            "iban": "DE89 3704 0044 0532 0130 00",
            "bic": "COBADEFFXXX"
        }),
    )
    .await
    .expect(StatusCode::CREATED);
}

/// A German public buyer that receives XRechnung (UBL), with or without its Leitweg-ID.
pub(crate) fn public_buyer(buyer_reference: Option<&str>) -> Value {
    json!({
        "display_name": "Bezirksamt Mitte",
        "emails": ["rechnungen@bezirksamt.example"],
        "address": {
            "lines": ["Karl-Marx-Allee 31"],
            "postal_code": "10178",
            "city": "Berlin",
            "country": "DE"
        },
        "language": "de",
        "e_invoice_format": "xrechnung_ubl",
        "buyer_reference": buyer_reference,
        "electronic_address": { "scheme": "0204", "id": LEITWEG_ID }
    })
}

/// A draft of 1.5 days at 19 % for the customer.
pub(crate) async fn draft_for(app: &TestApp, user: &TestUser, customer_id: &str) -> Value {
    let rate = app
        .post(
            "/api/tax-rates",
            &user.token,
            &json!({ "name": "USt 19 %", "percent": "19", "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    app.create_invoice(
        user,
        &json!({
            "customer_id": customer_id,
            "currency": "EUR",
            "due_date": (today() + chrono::Days::new(14)).to_string(),
            "items": [{
                "description": "Beratung",
                "quantity": "1.5",
                "unit": "DAY",
                "unit_amount": 96000,
                "tax_rate_id": id(&rate)
            }]
        }),
    )
    .await
}

#[tokio::test]
async fn a_send_the_gate_refuses_consumes_nothing_and_the_fixed_customer_is_sent_next() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    xrechnung_seller(&app, &user).await;
    let customer = app
        .post("/api/customers", &user.token, &public_buyer(None))
        .await
        .expect(StatusCode::CREATED)
        .body;
    let customer_id = id(&customer);
    let draft = draft_for(&app, &user, &customer_id).await;
    let invoice_id = id(&draft);
    let send = format!("/api/invoices/{invoice_id}/send");
    // One key for every attempt, as a client retrying "the same send" would use.
    let send_keyed = || async {
        let request = app
            .http
            .post(format!("{}{send}", app.address))
            .bearer_auth(&user.token)
            .header("idempotency-key", "send-once");
        Response::read(request.send().await.expect("the API answers")).await
    };

    let refused = send_keyed().await;
    let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/e-invoice-rejected", "{problem}");
    let rules: Vec<&str> = problem["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| rule["fatal"] == true)
        .map(|rule| rule["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["BR-DE-15"], "{problem}");
    let rule = &problem["rules"][0];
    assert_eq!(rule["term"], "BT-10");
    assert_eq!(rule["field"], "customer.buyer_reference");
    assert!(
        rule["message"].as_str().unwrap().contains("BR-DE-15"),
        "the official text: {rule}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("XRechnung (UBL)"),
        "{problem}"
    );

    // Nothing happened: still a draft without a number, nothing on the timeline after its
    // creation, no e-mail, no event, no number taken from the account's sequence.
    let invoice = app.invoice(&user, &invoice_id).await;
    assert_eq!(invoice["status"], "draft");
    assert_eq!(invoice["number"], Value::Null);
    assert_eq!(app.timeline(&user, &invoice_id).await, ["created"]);
    assert!(app.notifications(&user, &invoice_id).await.is_empty());
    assert_eq!(
        app.count(
            "SELECT count(*) FROM side_effects WHERE invoice_id = $1::uuid",
            &invoice_id
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM invoice_number_sequences s JOIN invoices i ON i.user_id = s.user_id WHERE i.id = $1::uuid",
            &invoice_id
        )
        .await,
        0,
        "no number was allocated"
    );
    // The workflow took no other command meanwhile, and still takes them.
    assert_eq!(
        app.workflow_view(&invoice_id).await.status,
        invoicing_workflows::domain::InvoiceStatus::Draft
    );

    // The customer gets its Leitweg-ID; the same draft is sent with the account's first number.
    // The refused send gave its key back: the retry under that key is a new update of the
    // workflow, not the refused one's answer again.
    app.request(
        Method::PUT,
        &format!("/api/customers/{customer_id}"),
        Some(&user.token),
        Some(&public_buyer(Some(LEITWEG_ID))),
    )
    .await
    .expect(StatusCode::OK);
    let sent = send_keyed().await.expect(StatusCode::OK).body;
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["number"], "RE-00001", "{sent}");
    assert_eq!(app.timeline(&user, &invoice_id).await, ["created", "sent"]);
    // And the key now answers with that send.
    let replayed = send_keyed().await;
    assert_eq!(replayed.header("idempotent-replayed"), "true");
    assert_eq!(replayed.expect(StatusCode::OK).body["number"], "RE-00001");
}

#[tokio::test]
async fn a_customer_without_an_e_invoice_format_is_sent_without_a_check() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    // No seller profile at all: nothing an XRechnung would need, and none is asked for.
    let mut buyer = public_buyer(None);
    buyer["e_invoice_format"] = Value::Null;
    let customer = app
        .post("/api/customers", &user.token, &buyer)
        .await
        .expect(StatusCode::CREATED)
        .body;
    let draft = draft_for(&app, &user, &id(&customer)).await;
    let sent = app
        .post_empty(&format!("/api/invoices/{}/send", id(&draft)), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(sent["status"], "sent");
}
