//! The seller profile: the whole profile replaced and read back, every bad field refused at its
//! JSON path with nothing changed, and a profile from before addresses were structured.

use crate::support::{Response, TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn put(app: &TestApp, user: &TestUser, body: &Value) -> Response {
    app.request(
        Method::PUT,
        "/api/settings/seller",
        Some(&user.token),
        Some(body),
    )
    .await
}

/// A German GmbH's profile, every field set.
fn full_profile() -> Value {
    json!({
        "display_name": "Schmidt Consulting",
        "legal_name": "Schmidt Consulting GmbH",
        "address": {
            "lines": ["Friedrichstraße 123", "3. OG"],
            "postal_code": "10117",
            "city": "Berlin",
            "region": null,
            "country": "de"
        },
        "tax_ids": [
            { "kind": "eu_vat", "value": "DE 123 456 789" },
            { "kind": "other", "value": "37/123/45678" }
        ],
        "registration": "Amtsgericht Berlin HRB 12345\nGeschäftsführer: A. Schmidt",
        "email": "billing@schmidt.example",
        "phone": "+49 30 1234567",
        "website": "schmidt.example",
        "payment_instructions": "Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.",
        "payment_terms_days": 14,
        "number_format": { "pattern": "RE-{YYYY}-{SEQ:5}", "reset": "yearly" },
        "electronic_address": { "scheme": "em", "id": " einvoices@schmidt.example " }
    })
}

#[tokio::test]
async fn a_full_profile_is_replaced_and_read_back_tidied() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let defaults = app
        .get("/api/settings/seller", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(defaults["display_name"], Value::Null);
    assert_eq!(defaults["payment_terms_days"], 30);
    assert_eq!(
        defaults["number_format"],
        json!({ "pattern": "INV-{SEQ:6}", "reset": "never" })
    );
    assert_eq!(defaults["logo"], Value::Null);
    assert_eq!(defaults["electronic_address"], Value::Null);

    let stored = put(&app, &user, &full_profile())
        .await
        .expect(StatusCode::OK)
        .body;
    let expected = json!({
        "display_name": "Schmidt Consulting",
        "legal_name": "Schmidt Consulting GmbH",
        "address": {
            "lines": ["Friedrichstraße 123", "3. OG"],
            "postal_code": "10117",
            "city": "Berlin",
            "region": null,
            "country": "DE"
        },
        "legacy_address": null,
        "tax_ids": [
            { "kind": "eu_vat", "value": "DE123456789" },
            { "kind": "other", "value": "37/123/45678" }
        ],
        "registration": "Amtsgericht Berlin HRB 12345\nGeschäftsführer: A. Schmidt",
        "email": "billing@schmidt.example",
        "phone": "+49 30 1234567",
        "website": "https://schmidt.example",
        "payment_instructions": "Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.",
        "payment_terms_days": 14,
        "number_format": { "pattern": "RE-{YYYY}-{SEQ:5}", "reset": "yearly" },
        "electronic_address": { "scheme": "EM", "id": "einvoices@schmidt.example" },
        "logo": null
    });
    assert_eq!(stored, expected);
    assert_eq!(
        app.get("/api/settings/seller", &user.token)
            .await
            .expect(StatusCode::OK)
            .body,
        expected
    );

    // PUT replaces the whole profile: what is left out is cleared or back to its default.
    let minimal = json!({
        "display_name": "Schmidt Consulting",
        "address": { "lines": ["Friedrichstraße 123"], "country": "DE" }
    });
    let replaced = put(&app, &user, &minimal).await.expect(StatusCode::OK).body;
    assert_eq!(replaced["tax_ids"], json!([]));
    assert_eq!(replaced["registration"], Value::Null);
    assert_eq!(replaced["payment_terms_days"], 30);
    assert_eq!(replaced["number_format"]["pattern"], "INV-{SEQ:6}");
    assert_eq!(replaced["electronic_address"], Value::Null);

    // Another account sees its own, empty profile.
    let other = app.user().await;
    let theirs = app
        .get("/api/settings/seller", &other.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(theirs["display_name"], Value::Null);
}

#[tokio::test]
async fn every_bad_field_is_named_by_its_path_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let stored = put(&app, &user, &full_profile())
        .await
        .expect(StatusCode::OK)
        .body;

    let with = |path: &[&str], value: Value| {
        let mut body = full_profile();
        let mut target = &mut body;
        for segment in &path[..path.len() - 1] {
            target = match segment.parse::<usize>() {
                Ok(index) => &mut target[index],
                Err(_) => &mut target[*segment],
            };
        }
        target[path[path.len() - 1]] = value;
        body
    };
    let cases = [
        (with(&["display_name"], json!("  ")), "display_name"),
        (
            with(&["address", "country"], json!("XX")),
            "address.country",
        ),
        (with(&["address", "lines"], json!([])), "address.lines"),
        (
            with(&["tax_ids", "0", "value"], json!("US123456789")),
            "tax_ids[0].value",
        ),
        (
            with(
                &["tax_ids"],
                json!([{ "kind": "other", "value": "1" }, { "kind": "other", "value": "1" }]),
            ),
            "tax_ids[1]",
        ),
        (
            with(
                &["tax_ids"],
                json!(vec![json!({ "kind": "other", "value": "1" }); 4]),
            ),
            "tax_ids",
        ),
        (
            with(&["tax_ids", "0", "kind"], json!("vat")),
            "tax_ids[0].kind",
        ),
        (with(&["registration"], json!("1\n2\n3\n4")), "registration"),
        (
            with(&["registration"], json!("r".repeat(301))),
            "registration",
        ),
        (with(&["email"], json!("billing@")), "email"),
        (with(&["phone"], json!("call me")), "phone"),
        (with(&["website"], json!("ftp://files.example")), "website"),
        (
            with(&["payment_instructions"], json!("p".repeat(1001))),
            "payment_instructions",
        ),
        (
            with(&["payment_terms_days"], json!(366)),
            "payment_terms_days",
        ),
        (
            with(&["payment_terms_days"], json!(-1)),
            "payment_terms_days",
        ),
        (
            with(&["number_format", "pattern"], json!("INV-{YYYY}")),
            "number_format.pattern",
        ),
        (
            with(&["number_format", "pattern"], json!("INV/{SEQ}")),
            "number_format.pattern",
        ),
        (
            with(&["number_format", "pattern"], json!("INV-{SEQ:4}")),
            "number_format.pattern",
        ),
        (
            with(&["number_format", "reset"], json!("monthly")),
            "number_format.reset",
        ),
        (
            with(&["electronic_address", "scheme"], json!("XX")),
            "electronic_address.scheme",
        ),
        (
            with(
                &["electronic_address"],
                json!({ "scheme": "0192", "id": "987654320" }),
            ),
            "electronic_address.id",
        ),
        (
            with(&["electronic_address", "id"], json!("")),
            "electronic_address.id",
        ),
    ];
    for (body, field) in cases {
        let problem = put(&app, &user, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem["errors"][field].is_array(), "{field}: {problem:#}");
    }
    let problem = put(&app, &user, &with(&["address", "lines"], json!([])))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem["errors"]["address.lines"],
        json!(["needs at least one line (street and number)"])
    );

    assert_eq!(
        app.get("/api/settings/seller", &user.token)
            .await
            .expect(StatusCode::OK)
            .body,
        stored,
        "a refused profile changed nothing"
    );
}

/// A profile saved before addresses were structured, as the migration leaves it: the old text
/// is shown until the seller saves a structured address.
#[tokio::test]
async fn a_legacy_address_is_shown_until_a_structured_one_is_saved() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    sqlx::query(
        "INSERT INTO seller_profiles (user_id, display_name, legacy_address, tax_ids)
         VALUES ($1, 'Ann''s Studio', E'12 Harbour Street\\nBristol BS1 4RN',
                 '[{\"kind\": \"gb_vat\", \"value\": \"GB123456789\"}]')",
    )
    .bind(user.id)
    .execute(&app.db.pool)
    .await
    .unwrap();

    let legacy = app
        .get("/api/settings/seller", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(legacy["display_name"], "Ann's Studio");
    assert_eq!(legacy["address"], Value::Null);
    assert_eq!(
        legacy["legacy_address"],
        "12 Harbour Street\nBristol BS1 4RN"
    );
    assert_eq!(
        legacy["tax_ids"],
        json!([{ "kind": "gb_vat", "value": "GB123456789" }])
    );

    let saved = put(
        &app,
        &user,
        &json!({
            "display_name": "Ann's Studio",
            "address": {
                "lines": ["12 Harbour Street"], "city": "Bristol", "postal_code": "BS1 4RN",
                "country": "GB"
            },
            "tax_ids": legacy["tax_ids"]
        }),
    )
    .await
    .expect(StatusCode::OK)
    .body;
    assert_eq!(saved["legacy_address"], Value::Null);
    assert_eq!(saved["address"]["country"], "GB");
}
