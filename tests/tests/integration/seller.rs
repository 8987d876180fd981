//! The seller profile: the whole profile replaced and read back, every bad field refused at its
//! JSON path with nothing changed, the credit notes' number format, where both number series
//! stand, and a profile from before addresses were structured.

use crate::support::{Response, TestApp, TestUser, draft, id, today};
use chrono::Datelike;
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
        "credit_note_format": { "pattern": "GS-{YYYY}-{SEQ:5}", "reset": "yearly" },
        "electronic_address": { "scheme": "em", "id": " einvoices@schmidt.example " }
    })
}

#[tokio::test]
async fn a_full_profile_is_replaced_and_read_back_tidied() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let defaults = seller(&app, &user).await;
    assert_eq!(defaults["display_name"], Value::Null);
    assert_eq!(defaults["payment_terms_days"], 30);
    assert_eq!(
        defaults["number_format"],
        json!({ "pattern": "INV-{SEQ:6}", "reset": "never" })
    );
    assert_eq!(
        defaults["credit_note_format"],
        json!({ "pattern": "CN-{SEQ:6}", "reset": "never" })
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
        "credit_note_format": { "pattern": "GS-{YYYY}-{SEQ:5}", "reset": "yearly" },
        "electronic_address": { "scheme": "EM", "id": "einvoices@schmidt.example" },
        "next_places": {
            "as_of": today().to_string(),
            "invoices": { "never": 1, "yearly": 1 },
            "credit_notes": { "never": 1, "yearly": 1 }
        },
        "logo": null
    });
    assert_eq!(stored, expected);
    assert_eq!(seller(&app, &user).await, expected);

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
    assert_eq!(replaced["credit_note_format"]["pattern"], "CN-{SEQ:6}");
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
            with(&["credit_note_format", "pattern"], json!("GS-{SEQ}-{SEQ}")),
            "credit_note_format.pattern",
        ),
        (
            with(&["credit_note_format", "reset"], json!("monthly")),
            "credit_note_format.reset",
        ),
        // The invoices' own format: a credit note could carry an invoice's number.
        (
            with(
                &["credit_note_format"],
                json!({ "pattern": "RE-{YYYY}-{SEQ:5}", "reset": "yearly" }),
            ),
            "credit_note_format.pattern",
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
        seller(&app, &user).await,
        stored,
        "a refused profile changed nothing"
    );
}

/// The profile with these number formats (a name and an address besides).
fn with_formats(invoices: Value, credit_notes: Value) -> Value {
    json!({
        "display_name": "Schmidt Consulting",
        "address": { "lines": ["Friedrichstraße 123"], "country": "DE" },
        "number_format": invoices,
        "credit_note_format": credit_notes,
    })
}

/// The seller profile as `GET /api/settings/seller` answers it.
async fn seller(app: &TestApp, user: &TestUser) -> Value {
    app.get("/api/settings/seller", &user.token)
        .await
        .expect(StatusCode::OK)
        .body
}

/// The 422 problem a `PUT` of these two number formats is refused with.
async fn refused_formats(
    app: &TestApp,
    user: &TestUser,
    invoices: Value,
    credit_notes: Value,
) -> Value {
    put(app, user, &with_formats(invoices, credit_notes))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
}

/// Issues a credit note for one unit of the invoice's first line; returns its number.
async fn credit_one_unit(app: &TestApp, user: &TestUser, invoice_id: &str) -> String {
    app.post(
        &format!("/api/invoices/{invoice_id}/credit-notes"),
        &user.token,
        &json!({
            "reason": "One unit was returned.",
            "scope": { "kind": "lines", "lines": [{ "line": 0, "quantity": "1" }] },
        }),
    )
    .await
    .expect(StatusCode::CREATED)
    .body["credit_note"]["number"]
        .as_str()
        .expect("an issued note has its number")
        .to_owned()
}

#[tokio::test]
async fn credit_notes_are_numbered_in_their_own_format_which_never_repeats_an_issued_number() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let year = today().year();
    let default_invoices = json!({ "pattern": "INV-{SEQ:6}", "reset": "never" });
    let yearly_notes = json!({ "pattern": "GS-{YYYY}-{SEQ:4}", "reset": "yearly" });
    let stored = put(
        &app,
        &user,
        &with_formats(default_invoices.clone(), yearly_notes.clone()),
    )
    .await
    .expect(StatusCode::OK)
    .body;
    assert_eq!(stored["credit_note_format"], yearly_notes);

    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    assert_eq!(
        credit_one_unit(&app, &user, &invoice_id).await,
        format!("GS-{year}-0001")
    );
    let settled = seller(&app, &user).await;

    // Without its yearly reset the account's one credit-note sequence would start again at
    // GS-YYYY-0001.
    let problem = refused_formats(
        &app,
        &user,
        default_invoices.clone(),
        json!({ "pattern": "GS-{YYYY}-{SEQ:4}", "reset": "never" }),
    )
    .await;
    let message = problem["errors"]["credit_note_format.pattern"].to_string();
    assert!(
        message.contains(&format!("GS-{year}-0001")) && message.contains("a credit note"),
        "{problem:#}"
    );

    // The invoices' format for the notes: every invoice number could come again.
    let problem = refused_formats(
        &app,
        &user,
        default_invoices.clone(),
        default_invoices.clone(),
    )
    .await;
    assert!(
        problem["errors"]["credit_note_format.pattern"][0]
            .as_str()
            .is_some_and(|m| m.contains("INV-000001")),
        "{problem:#}"
    );
    // Formats apart from each other, but each would give a number the other series issued:
    // the notes INV-000001, the invoices GS-YYYY-0001.
    let problem = refused_formats(
        &app,
        &user,
        json!({ "pattern": "RE-{SEQ:6}", "reset": "never" }),
        json!({ "pattern": "INV-{SEQ:6}", "reset": "never" }),
    )
    .await;
    let message = problem["errors"]["credit_note_format.pattern"].to_string();
    assert!(
        message.contains("INV-000001") && message.contains("an invoice"),
        "{problem:#}"
    );
    let problem = refused_formats(
        &app,
        &user,
        yearly_notes.clone(),
        json!({ "pattern": "CN-{SEQ:6}", "reset": "never" }),
    )
    .await;
    let message = problem["errors"]["number_format.pattern"].to_string();
    assert!(
        message.contains(&format!("GS-{year}-0001")) && message.contains("a credit note"),
        "{problem:#}"
    );
    assert_eq!(
        seller(&app, &user).await,
        settled,
        "a refused format changed nothing"
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM credit_notes WHERE user_id = $1",
            &user.id.to_string()
        )
        .await,
        1
    );

    // A format whose numbers differ applies to the next note, in the same gapless series.
    put(
        &app,
        &user,
        &with_formats(
            default_invoices,
            json!({ "pattern": "GS-{SEQ:5}", "reset": "never" }),
        ),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(credit_one_unit(&app, &user, &invoice_id).await, "GS-00001");
}

/// Where the account's two number series stand, as `GET`/`PUT /api/settings/seller` show it.
fn next_places(body: &Value) -> (Value, Value) {
    let places = &body["next_places"];
    assert_eq!(places["as_of"], today().to_string(), "{body:#}");
    (places["invoices"].clone(), places["credit_notes"].clone())
}

/// The settings say where each series stands under either reset rule, and the next documents
/// take exactly those places: what the settings page previews as the next number is the number
/// the next send or credit note gets.
#[tokio::test]
async fn the_settings_show_the_places_the_next_invoice_and_credit_note_take() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let year = today().year();
    let shown = seller(&app, &user).await;
    let first = json!({ "never": 1, "yearly": 1 });
    assert_eq!(next_places(&shown), (first.clone(), first.clone()));

    // A yearly invoice series and a credit-note series that never restarts.
    let saved = put(
        &app,
        &user,
        &with_formats(
            json!({ "pattern": "RE-{YYYY}-{SEQ:4}", "reset": "yearly" }),
            json!({ "pattern": "GS-{SEQ:5}", "reset": "never" }),
        ),
    )
    .await
    .expect(StatusCode::OK)
    .body;
    assert_eq!(next_places(&saved), (first.clone(), first.clone()));
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let second = app.sent_invoice(&user, &draft()).await;
    assert_eq!(second["number"], format!("RE-{year}-0002"));
    assert_eq!(credit_one_unit(&app, &user, &invoice_id).await, "GS-00001");
    let shown = seller(&app, &user).await;
    assert_eq!(
        next_places(&shown),
        (
            json!({ "never": 1, "yearly": 3 }),
            json!({ "never": 2, "yearly": 1 })
        )
    );

    // Switched to a sequence that never restarts, the invoices start that one at its place;
    // the notes, switched to a yearly one, start this year's.
    put(
        &app,
        &user,
        &with_formats(
            json!({ "pattern": "INV-{SEQ:6}", "reset": "never" }),
            json!({ "pattern": "GS-{YYYY}-{SEQ:3}", "reset": "yearly" }),
        ),
    )
    .await
    .expect(StatusCode::OK);
    let third = app.sent_invoice(&user, &draft()).await;
    assert_eq!(third["number"], "INV-000001");
    assert_eq!(
        credit_one_unit(&app, &user, &invoice_id).await,
        format!("GS-{year}-001")
    );
    let shown = seller(&app, &user).await;
    assert_eq!(
        next_places(&shown),
        (
            json!({ "never": 2, "yearly": 3 }),
            json!({ "never": 2, "yearly": 2 })
        )
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

    let legacy = seller(&app, &user).await;
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
