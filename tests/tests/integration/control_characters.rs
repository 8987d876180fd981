//! Control characters at the boundary: every string of every JSON request body and every query
//! parameter refuses NUL and the other control characters with a 422 naming the field, before
//! anything reaches the database (PostgreSQL refuses NUL in text outright). Tab and line breaks
//! are welcome in free text only. The cases come from the OpenAPI document, so a route added
//! later is covered as soon as it is documented.

use crate::support::{
    TestApp, TestUser, draft, eventually,
    openapi::{Document, Operation, has_field, set_field},
    today,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

/// The fields of free text, where tab and line breaks belong; every other string is one line.
const MULTI_LINE: [&str; 5] = [
    "notes",
    "items[0].description",
    "reason",
    "registration",
    "payment_instructions",
];

/// Fields a valid request cannot hold beside the ones it has: a bank account is an IBAN or a
/// domestic account, never both, and its valid request is the IBAN one. They are still
/// checked (the characters are refused before the body is read into its type).
const ALTERNATIVES: [(&str, &str); 12] = [
    // A line's price is `unit_amount` or `unit_amount_decimal`, never both.
    ("create_invoice", "items[0].unit_amount_decimal"),
    ("revise_invoice", "items[0].unit_amount_decimal"),
    ("create_bank_account", "account_number"),
    ("create_bank_account", "routing_number"),
    ("create_bank_account", "sort_code"),
    ("replace_bank_account", "account_number"),
    ("replace_bank_account", "routing_number"),
    ("replace_bank_account", "sort_code"),
    // A credit note credits lines or amounts by VAT rate, never both.
    ("issue_credit_note", "scope.amounts[0].category"),
    ("issue_credit_note", "scope.amounts[0].percent"),
    ("preview_credit_note", "scope.amounts[0].category"),
    ("preview_credit_note", "scope.amounts[0].percent"),
];

/// A request the API accepts; the cases below change one field of it.
struct Request {
    method: Method,
    path: String,
    token: Option<String>,
    body: Value,
}

/// What the valid requests act on.
struct Fixture {
    user: TestUser,
    /// Changes its password (to the same one) in the last step.
    password_user: TestUser,
    draft_to_revise: String,
    draft_to_void: String,
    sent: String,
    /// Sent, for the write-off (which leaves an invoice no longer open for the other cases).
    sent_to_write_off: String,
    /// Sent, for a credit note (which lowers its amount due).
    sent_to_credit: String,
    customer: String,
    tax_rate: String,
    bank_account: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let user = app.user().await;
    let password_user = app.user().await;
    let draft_to_revise = crate::support::id(&app.create_invoice(&user, &draft()).await);
    let draft_to_void = crate::support::id(&app.create_invoice(&user, &draft()).await);
    let sent = crate::support::id(&app.sent_invoice(&user, &draft()).await);
    let sent_to_write_off = crate::support::id(&app.sent_invoice(&user, &draft()).await);
    let sent_to_credit = crate::support::id(&app.sent_invoice(&user, &draft()).await);
    // A sent invoice's PDF and e-mail land on the worker's own time: wait for them, so that
    // the database holds still while the cases run.
    for invoice in [&sent, &sent_to_write_off, &sent_to_credit] {
        app.pdf_rendered(invoice).await;
        eventually("the invoice e-mail", Duration::from_secs(60), || async {
            let kinds: Vec<String> = app
                .notifications(&user, invoice)
                .await
                .iter()
                .map(|event| event["type"].as_str().unwrap_or_default().to_owned())
                .collect();
            kinds.iter().any(|kind| kind == "email_sent").then_some(())
        })
        .await;
    }
    let customer = app
        .post(
            "/api/customers",
            &user.token,
            &json!({ "display_name": "Acme", "emails": ["ap@acme.example"] }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    let tax_rate = app
        .post(
            "/api/tax-rates",
            &user.token,
            &json!({ "name": "VAT 19 %", "percent": "19", "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    let bank_account = app
        .post("/api/settings/bank-accounts", &user.token, &bank_account())
        .await
        .expect(StatusCode::CREATED)
        .body["id"]
        .as_str()
        .expect("a bank account has an id")
        .to_owned();
    Fixture {
        user,
        password_user,
        draft_to_revise,
        draft_to_void,
        sent,
        sent_to_write_off,
        sent_to_credit,
        customer: crate::support::id(&customer),
        tax_rate: crate::support::id(&tax_rate),
        bank_account,
    }
}

/// Every field of an IBAN account, the optional ones included.
fn bank_account() -> Value {
    json!({
        "holder": "Acme Ltd",
        "bank_name": "Barclays",
        "currency": "GBP",
        "is_default": true,
        "iban": "GB82 WEST 1234 5698 7654 32",
        "bic": "NWBKGB2L"
    })
}

/// Every field of a draft, the optional ones included.
/// A draft with every field a client can send: the customer by id, a supply date and service
/// period, a line with its unit, discount, tax rate and period, and an invoice-level charge.
fn full_draft(fixture: &Fixture) -> Value {
    let today = today().to_string();
    let period = json!({ "start": today, "end": today });
    let mut body = draft();
    let fields = body.as_object_mut().expect("a draft is an object");
    fields.remove("client_name");
    fields.remove("client_email");
    body["customer_id"] = json!(fixture.customer);
    body["issue_date"] = json!(today);
    body["supply_date"] = json!(today);
    body["service_period"] = period.clone();
    body["price_basis"] = json!("exclusive");
    body["items"][0]["quantity"] = json!("2.5");
    body["items"][0]["unit"] = json!("HUR");
    body["items"][0]["discount"] = json!({ "percent": "10" });
    body["items"][0]["tax_rate_id"] = json!(fixture.tax_rate);
    body["items"][0]["period"] = period;
    body["adjustments"] = json!([{
        "kind": "charge", "reason": "Shipping", "amount": 500, "tax_rate_id": fixture.tax_rate
    }]);
    body
}

/// A valid request for `operation`, or `None` for an operation these cases leave out. A new
/// operation with a JSON body has to be added here: the test says so.
fn valid_request(document: &Document, operation: &Operation, fixture: &Fixture) -> Option<Request> {
    let user = Some(fixture.user.token.clone());
    let on = |id: &str| operation.path_with(id);
    let (path, token, body) = match operation.id {
        // Stripe's events are verified by their signature before they are read; an unsigned
        // one is refused (400) whatever it holds.
        "stripe_webhook" => return None,
        "register" => (
            on(""),
            None,
            json!({ "email": format!("new-{}@example.com", uuid::Uuid::new_v4().simple()), "password": PASSWORD }),
        ),
        "login" => (
            on(""),
            None,
            json!({ "email": fixture.user.email, "password": PASSWORD }),
        ),
        "refresh" => (
            on(""),
            None,
            json!({ "refresh_token": fixture.user.refresh_token }),
        ),
        "change_password" => (
            on(""),
            Some(fixture.password_user.token.clone()),
            json!({ "current_password": PASSWORD, "new_password": PASSWORD }),
        ),
        "create_invoice" => (on(""), user, full_draft(fixture)),
        "revise_invoice" => (on(&fixture.draft_to_revise), user, full_draft(fixture)),
        "void_invoice" => (
            on(&fixture.draft_to_void),
            user,
            json!({ "reason": "Issued in error." }),
        ),
        "mark_invoice_uncollectible" => (
            on(&fixture.sent_to_write_off),
            user,
            json!({ "reason": "The customer is insolvent.", "on": today().to_string() }),
        ),
        "issue_credit_note" | "preview_credit_note" => (
            on(&fixture.sent_to_credit),
            user,
            json!({
                "reason": "One unit was returned.",
                "scope": { "kind": "lines", "lines": [{ "line": 0, "quantity": "1" }] },
                "excess_to": "credit_balance",
            }),
        ),
        "change_due_date" => (
            on(&fixture.sent),
            user,
            json!({ "due_date": (today() + chrono::Days::new(45)).to_string() }),
        ),
        "record_payment" => (
            on(&fixture.sent),
            user,
            json!({ "amount": 100, "method": "cash", "reference": "Transfer 4471" }),
        ),
        "replace_reminders" => (on(""), user, json!({ "days_from_due_date": [-3, 0, 7] })),
        "replace_customer" => {
            let example = operation
                .json_body()
                .and_then(|schema| document.example(schema))
                .expect("a customer's schema has an example");
            (on(&fixture.customer), user, example)
        }
        "revise_tax_rate" => (
            on(&fixture.tax_rate),
            user,
            json!({ "name": "VAT 19 % (DE)", "description": "Regelsteuersatz" }),
        ),
        "replace_bank_account" => (on(&fixture.bank_account), user, bank_account()),
        "email_customer_statement" => (
            on(&fixture.customer),
            user,
            json!({ "from": (today() - chrono::Days::new(30)).to_string(), "to": today().to_string() }),
        ),
        other => {
            // The schema's own example, for an operation on the caller's own settings.
            let example = operation
                .json_body()
                .and_then(|schema| document.example(schema))
                .filter(|_| !operation.path.contains('{'));
            let Some(example) = example else {
                panic!("no valid request for {other}: add one to valid_request");
            };
            (on(""), user, example)
        }
    };
    Some(Request {
        method: operation.method.clone(),
        path,
        token,
        body,
    })
}

/// Every row of every table, as text: what "nothing changed" compares.
async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'
         ORDER BY 1",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let text: String = sqlx::query_scalar(&format!(
            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \"{table}\" t"
        ))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        rows.push((table, text));
    }
    rows
}

/// The operations with a JSON body that holds strings, each with its valid request and the
/// paths of its string fields.
fn cases<'a>(
    document: &'a Document,
    fixture: &Fixture,
) -> Vec<(Operation<'a>, Request, Vec<String>)> {
    let mut cases = Vec::new();
    for operation in document.operations() {
        let Some(schema) = operation.json_body() else {
            continue;
        };
        let mut fields = document.string_fields(schema);
        if fields.is_empty() {
            continue;
        }
        let Some(request) = valid_request(document, &operation, fixture) else {
            continue;
        };
        // An alternative inside an array the request leaves out (a credit note's amounts, when
        // it credits lines) has nowhere to go.
        fields.retain(|field| {
            !ALTERNATIVES.contains(&(operation.id, field.as_str()))
                || !field.contains('[')
                || has_field(&request.body, field)
        });
        for field in &fields {
            if ALTERNATIVES.contains(&(operation.id, field.as_str())) {
                continue;
            }
            assert!(
                has_field(&request.body, field),
                "the valid request for {operation} has no {field}: add it"
            );
        }
        cases.push((operation, request, fields));
    }
    cases
}

/// Sends `request` with `field` set to `value`; asserts a 422 naming the field.
async fn assert_refused(
    app: &TestApp,
    operation: &Operation<'_>,
    request: &Request,
    field: &str,
    value: &str,
) {
    let mut body = request.body.clone();
    set_field(&mut body, field, json!(value));
    let response = app
        .request(
            request.method.clone(),
            &request.path,
            request.token.as_deref(),
            Some(&body),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{operation}, {field} = {value:?}: {:#}",
        response.body
    );
    let problem = response.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["errors"][field].is_array(),
        "{operation}, {field} = {value:?} is not named: {problem:#}"
    );
}

/// Sends each valid request: each is accepted, so the refusals were the characters' doing.
async fn assert_accepted(app: &TestApp, cases: &[(Operation<'_>, Request, Vec<String>)]) {
    for (operation, request, _) in cases {
        let response = app
            .request(
                request.method.clone(),
                &request.path,
                request.token.as_deref(),
                Some(&request.body),
            )
            .await;
        assert!(
            response.status.is_success(),
            "the valid request for {operation} was refused: {} {:#}",
            response.status,
            response.body
        );
    }
}

#[tokio::test]
async fn every_string_field_of_every_request_body_refuses_control_characters() {
    let app = TestApp::spawn().await;
    let document = Document::fetch(&app).await;
    let fixture = fixture(&app).await;
    let cases = cases(&document, &fixture);
    let covered: Vec<&str> = cases.iter().map(|(operation, ..)| operation.id).collect();
    for expected in [
        "create_invoice",
        "revise_invoice",
        "void_invoice",
        "record_payment",
    ] {
        assert!(covered.contains(&expected), "{expected} in {covered:?}");
    }
    let before = snapshot(&app).await;

    for (operation, request, fields) in &cases {
        for field in fields {
            for control in ["\u{0}", "\u{1b}", "\u{7f}"] {
                let value = format!("Acme{control}Ltd");
                assert_refused(&app, operation, request, field, &value).await;
            }
        }
    }

    assert!(
        snapshot(&app).await == before,
        "a refused request changed the database"
    );
    assert_accepted(&app, &cases).await;
}

#[tokio::test]
async fn tabs_and_line_breaks_are_refused_in_one_line_fields_and_kept_in_free_text() {
    let app = TestApp::spawn().await;
    let document = Document::fetch(&app).await;
    let fixture = fixture(&app).await;
    let cases = cases(&document, &fixture);
    let before = snapshot(&app).await;

    let mut one_line = 0;
    for (operation, request, fields) in &cases {
        for field in fields
            .iter()
            .filter(|field| !MULTI_LINE.contains(&field.as_str()))
        {
            for control in ["\t", "\n", "\r"] {
                let value = format!("Acme{control}Ltd");
                assert_refused(&app, operation, request, field, &value).await;
            }
            one_line += 1;
        }
    }
    assert!(one_line >= 10, "only {one_line} one-line fields");
    assert!(
        snapshot(&app).await == before,
        "a refused request changed the database"
    );
    assert_accepted(&app, &cases).await;

    // Free text keeps its line breaks and tabs.
    let user = &fixture.user;
    let notes = "Thank you for your business.\nPayable by transfer:\tIBAN DE00 1234";
    let description = "Design work\n\tphase one\r\n\tphase two";
    let mut body = draft();
    body["notes"] = json!(notes);
    body["items"][0]["description"] = json!(description);
    let created = app.create_invoice(user, &body).await;
    let stored = app.invoice(user, &crate::support::id(&created)).await;
    assert_eq!(stored["notes"], notes);
    assert_eq!(stored["items"][0]["description"], description);
    let other = crate::support::id(&app.create_invoice(user, &draft()).await);
    app.post(
        &format!("/api/invoices/{other}/void"),
        &user.token,
        &json!({ "reason": "Duplicate of INV-000001.\nIssued in error." }),
    )
    .await
    .expect(StatusCode::OK);
    let registration = "Registered in England and Wales\r\nCompany no. 01234567";
    let instructions = "Pay by transfer:\tsort code 60-16-13\nQuote the invoice number.";
    let seller = app
        .request(
            Method::PUT,
            "/api/settings/seller",
            Some(&user.token),
            Some(&json!({
                "display_name": "Ann's Design Studio",
                "address": { "lines": ["12 Harbour Street"], "city": "Bristol", "postal_code": "BS1 4RN", "country": "GB" },
                "registration": registration,
                "payment_instructions": instructions
            })),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    // Windows line ends are tidied; tabs and breaks stay.
    assert_eq!(seller["registration"], registration.replace("\r\n", "\n"));
    assert_eq!(seller["payment_instructions"], instructions);
}

#[tokio::test]
async fn query_parameters_refuse_control_characters() {
    let app = TestApp::spawn().await;
    let document = Document::fetch(&app).await;
    // An administrator may call every operation that takes a query.
    let admin = app.admin().await;

    let mut checked = Vec::new();
    for operation in document.operations() {
        for parameter in operation.query_parameters() {
            for control in ["\u{0}", "\t", "\u{7f}"] {
                let query = serde_urlencoded::to_string([(parameter, format!("a{control}b"))])
                    .expect("a query string");
                let path = format!(
                    "{}?{query}",
                    operation.path_with(&uuid::Uuid::new_v4().to_string())
                );
                let response = app
                    .request(operation.method.clone(), &path, Some(&admin.token), None)
                    .await;
                assert_eq!(
                    response.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{operation} {path}: {:#}",
                    response.body
                );
                let problem = response.problem(StatusCode::UNPROCESSABLE_ENTITY);
                assert!(
                    problem["errors"][parameter].is_array(),
                    "{operation} {path}: {problem:#}"
                );
            }
            checked.push(format!("{} {parameter}", operation.id));
        }
    }
    assert!(
        checked.contains(&"list_invoices q".to_owned()),
        "{checked:?}"
    );
    // A search without control characters still works.
    app.get("/api/invoices?q=acme", &admin.token)
        .await
        .expect(StatusCode::OK);
}
