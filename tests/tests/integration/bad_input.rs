//! Bad input gets a clear problem+json 4xx naming what is wrong, and changes nothing.

use crate::support::{TestApp, TestUser, draft, id, today};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn invoices_of(app: &TestApp, user: &TestUser) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM invoices WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// `draft()` with one change applied by `edit`.
fn draft_with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut body = draft();
    edit(&mut body);
    body
}

#[tokio::test]
async fn invalid_drafts_are_refused_with_the_offending_field_named() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let someone = app.user().await;
    let rate = |body: Value| {
        let (app, token) = (&app, user.token.clone());
        async move {
            id(&app
                .post("/api/tax-rates", &token, &body)
                .await
                .expect(StatusCode::CREATED)
                .body)
        }
    };
    let vat = rate(json!({ "name": "VAT 19 %", "percent": "19", "category": "S" })).await;
    let reverse = rate(json!({
        "name": "Reverse charge", "percent": "0", "category": "AE",
        "exemption_reason": "Reverse charge", "exemption_code": "VATEX-EU-AE"
    }))
    .await;
    let archived = rate(json!({ "name": "Old VAT 16 %", "percent": "16", "category": "S" })).await;
    app.post_empty(&format!("/api/tax-rates/{archived}/archive"), &user.token)
        .await
        .expect(StatusCode::OK);
    let others = id(&app
        .post(
            "/api/tax-rates",
            &someone.token,
            &json!({ "name": "VAT 20 %", "percent": "20", "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body);
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "a field of the wrong type",
            draft_with(|b| b["items"][0]["quantity"] = json!("three")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].quantity",
        ),
        (
            "a field the API does not know",
            draft_with(|b| b["discount"] = json!(10)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "discount",
        ),
        (
            "a missing field",
            draft_with(|b| {
                let fields = b.as_object_mut().unwrap();
                fields.remove("client_email");
                fields.remove("client_name");
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer_id",
        ),
        (
            "an unknown customer",
            draft_with(|b| b["customer_id"] = json!(uuid::Uuid::new_v4())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer_id",
        ),
        (
            "a quantity with more than 4 decimals",
            draft_with(|b| b["items"][0]["quantity"] = json!("1.23456")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].quantity",
        ),
        (
            "a discount larger than its line",
            draft_with(|b| b["items"][1]["discount"] = json!({ "amount": 1_000 })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[1].discount",
        ),
        (
            "a discount over 100 %",
            draft_with(|b| b["items"][1]["discount"] = json!({ "percent": "100.5" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[1].discount",
        ),
        (
            "both kinds of unit price",
            draft_with(|b| b["items"][0]["unit_amount_decimal"] = json!("0.5")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].unit_amount",
        ),
        (
            "an unknown tax rate",
            draft_with(|b| b["items"][0]["tax_rate_id"] = json!(uuid::Uuid::new_v4())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].tax_rate_id",
        ),
        (
            "an archived tax rate",
            draft_with(|b| b["items"][0]["tax_rate_id"] = json!(archived)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].tax_rate_id",
        ),
        (
            "another account's tax rate",
            draft_with(|b| b["items"][1]["tax_rate_id"] = json!(others)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[1].tax_rate_id",
        ),
        (
            "a reverse charge for a customer without a VAT id",
            draft_with(|b| {
                b["items"][0]["tax_rate_id"] = json!(vat);
                b["items"][1]["tax_rate_id"] = json!(reverse);
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[1].tax_rate_id",
        ),
        (
            "an allowance of a rate larger than its lines",
            draft_with(|b| {
                b["adjustments"] = json!([{
                    "kind": "allowance", "reason": "Too generous", "amount": 1_000_000
                }])
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "adjustments",
        ),
        (
            "no line items",
            draft_with(|b| b["items"] = json!([])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items",
        ),
        (
            "a zero quantity",
            draft_with(|b| b["items"][1]["quantity"] = json!(0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[1].quantity",
        ),
        (
            "a negative quantity",
            draft_with(|b| b["items"][0]["quantity"] = json!(-2)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].quantity",
        ),
        (
            "a negative amount",
            draft_with(|b| b["items"][0]["unit_amount"] = json!(-100)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].unit_amount",
        ),
        (
            "a line amount that overflows",
            draft_with(|b| {
                b["items"][0]["quantity"] = json!(1_000_000);
                b["items"][0]["unit_amount"] = json!(9_000_000_000_000_000i64);
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items[0].unit_amount",
        ),
        (
            "a total that overflows",
            draft_with(|b| {
                b["items"] = json!([
                    { "description": "a", "quantity": 1, "unit_amount": 999_999_999_999_999i64 },
                    { "description": "b", "quantity": 1, "unit_amount": 1 }
                ])
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "items",
        ),
        (
            "an unknown currency",
            draft_with(|b| b["currency"] = json!("XYZ")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "currency",
        ),
        (
            "a due date before the issue date",
            draft_with(|b| {
                b["issue_date"] = json!(today());
                b["due_date"] = json!(today() - chrono::Days::new(1));
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "due_date",
        ),
        (
            "an issue date in antiquity",
            draft_with(|b| {
                b["issue_date"] = json!("0001-01-01");
                b["due_date"] = json!("0001-01-31");
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "issue_date",
        ),
        (
            "a due date decades away",
            draft_with(|b| b["due_date"] = json!("9999-12-31")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "due_date",
        ),
        (
            "a date that does not exist",
            draft_with(|b| b["due_date"] = json!("2026-02-30")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "due_date",
        ),
    ];

    for (case, body, status, field) in cases {
        let problem = app
            .post("/api/invoices", &user.token, &body)
            .await
            .problem(status);
        assert!(
            problem["errors"][field].is_array(),
            "{case}: expected an error on {field}, got {problem:#}"
        );
    }
    // A number no 64-bit integer holds, which serde_json::Value cannot even represent.
    let beyond_64_bits = app
        .with_customer(&user.token, &draft())
        .await
        .to_string()
        .replace("12500", "99999999999999999999999");
    let problem = app
        .raw(
            Method::POST,
            "/api/invoices",
            &user.token,
            "application/json",
            &beyond_64_bits,
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["errors"]["items[0].unit_amount"].is_array(),
        "{problem:#}"
    );
    assert_eq!(invoices_of(&app, &user).await, 0, "nothing was stored");
}

#[tokio::test]
async fn malformed_requests_are_400_or_415() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    for body in ["{", "{\"client_name\": }", "[1, 2", "{} {}", "not json"] {
        app.raw(
            Method::POST,
            "/api/invoices",
            &user.token,
            "application/json",
            body,
        )
        .await
        .problem(StatusCode::BAD_REQUEST);
    }
    app.raw(
        Method::POST,
        "/api/invoices",
        &user.token,
        "text/plain",
        &draft().to_string(),
    )
    .await
    .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let too_large = "x".repeat(2 * 1024 * 1024);
    app.raw(
        Method::POST,
        "/api/invoices",
        &user.token,
        "application/json",
        &too_large,
    )
    .await
    .problem(StatusCode::PAYLOAD_TOO_LARGE);

    for path in [
        "/api/invoices/not-a-uuid",
        "/api/invoices/123/send",
        "/api/invoices/00000000-0000-0000-0000-00000000000g/events",
    ] {
        let problem = app
            .request(Method::GET, path, Some(&user.token), None)
            .await;
        // `/send` only answers POST: GET is 405; the others name the bad id.
        if path.ends_with("/send") {
            problem.problem(StatusCode::METHOD_NOT_ALLOWED);
        } else {
            assert!(
                problem.problem(StatusCode::BAD_REQUEST)["detail"]
                    .as_str()
                    .unwrap()
                    .contains("UUID")
            );
        }
    }
    app.post_empty("/api/invoices/123/send", &user.token)
        .await
        .problem(StatusCode::BAD_REQUEST);

    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "status=archived",
        "cursor=bogus",
        "sort=x",
        "sort=cheapest",
    ] {
        app.get(&format!("/api/invoices?{query}"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
    app.get("/api/no-such-route", &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(invoices_of(&app, &user).await, 0);
}

#[tokio::test]
async fn invalid_payments_and_edits_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let sent_id = id(&app.sent_invoice(&user, &draft()).await);
    let draft_id = id(&app.create_invoice(&user, &draft()).await);
    // The PDF is rendered on the worker's own time and then linked (`pdf_url`): not a change
    // these requests could make.
    app.pdf_rendered(&sent_id).await;
    let before = (
        app.invoice(&user, &sent_id).await,
        app.invoice(&user, &draft_id).await,
    );

    let payments = [
        (json!({ "amount": 0, "method": "cash" }), "amount"),
        (json!({ "amount": -500, "method": "cash" }), "amount"),
        (json!({ "amount": 1e30, "method": "cash" }), "amount"),
        (json!({ "amount": "100", "method": "cash" }), "amount"),
        (json!({ "amount": 100, "method": "bitcoin" }), "method"),
        (json!({ "amount": 100 }), "method"),
        (
            json!({ "amount": 100, "method": "cash", "reference": "r".repeat(201) }),
            "reference",
        ),
    ];
    for (body, field) in payments {
        let problem = app
            .post(
                &format!("/api/invoices/{sent_id}/payments"),
                &user.token,
                &body,
            )
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem["errors"][field].is_array(), "{body}: {problem:#}");
    }

    let edits = [
        (json!({ "items": [] }), "items"),
        (
            json!({ "customer_id": uuid::Uuid::new_v4() }),
            "customer_id",
        ),
        (json!({ "price_basis": "gross" }), "price_basis"),
        (json!({ "currency": "ABC" }), "currency"),
        (json!({ "due_date": "2000-01-01" }), "due_date"),
        (json!({ "status": "paid" }), "status"),
    ];
    for (body, field) in edits {
        let problem = app
            .patch(&format!("/api/invoices/{draft_id}"), &user.token, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem["errors"][field].is_array(), "{body}: {problem:#}");
    }
    app.patch(
        &format!("/api/invoices/{sent_id}/due-date"),
        &user.token,
        &json!({ "due_date": "soon" }),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY);

    let after = (
        app.invoice(&user, &sent_id).await,
        app.invoice(&user, &draft_id).await,
    );
    assert_eq!(after, before);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &sent_id
        )
        .await,
        0
    );
}
