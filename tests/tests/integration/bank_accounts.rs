//! The seller's bank accounts: added, replaced and deleted with one default at all times, at
//! most five, every bad detail refused at its field, another account's hidden, and the one an
//! invoice in a given currency shows.

use crate::support::{TestApp, TestUser};
use invoicing_store::bank_accounts;
use invoicing_workflows::domain::{AccountDetails, Currency};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/settings/bank-accounts";

fn iban_account() -> Value {
    json!({
        "holder": "Schmidt Consulting GmbH",
        "bank_name": "Commerzbank",
        "currency": "eur",
        "iban": "de89 3704 0044 0532 0130 00",
        "bic": "cobadeffxxx"
    })
}

fn us_account() -> Value {
    json!({
        "holder": "Schmidt Consulting Inc.",
        "currency": "USD",
        "account_number": "000123456789",
        "routing_number": "021000021"
    })
}

fn uk_account() -> Value {
    json!({
        "holder": "Schmidt Consulting Ltd",
        "account_number": "31926819",
        "sort_code": "60-16-13"
    })
}

async fn add(app: &TestApp, user: &TestUser, body: &Value) -> Value {
    app.post(PATH, &user.token, body)
        .await
        .expect(StatusCode::CREATED)
        .body
}

async fn list(app: &TestApp, user: &TestUser) -> Vec<Value> {
    app.get(PATH, &user.token)
        .await
        .expect(StatusCode::OK)
        .body
        .as_array()
        .expect("a list")
        .clone()
}

fn defaults(accounts: &[Value]) -> Vec<&str> {
    accounts
        .iter()
        .filter(|account| account["is_default"] == true)
        .map(|account| account["holder"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn accounts_are_added_replaced_and_deleted_with_one_default() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let iban = add(&app, &user, &iban_account()).await;
    assert_eq!(iban["iban"], "DE89370400440532013000");
    assert_eq!(iban["iban_printed"], "DE89 3704 0044 0532 0130 00");
    assert_eq!(iban["bic"], "COBADEFFXXX");
    assert_eq!(iban["currency"], "EUR");
    assert_eq!(iban["is_default"], true, "the first account is the default");
    let us = add(&app, &user, &us_account()).await;
    assert_eq!(us["routing_number"], "021000021");
    assert_eq!(us["iban"], Value::Null);
    assert_eq!(us["is_default"], false);
    let mut uk_body = uk_account();
    uk_body["is_default"] = json!(true);
    let uk = add(&app, &user, &uk_body).await;
    assert_eq!(uk["sort_code"], "601613");

    let accounts = list(&app, &user).await;
    let ids: Vec<&Value> = accounts.iter().map(|account| &account["id"]).collect();
    assert_eq!(ids, [&iban["id"], &us["id"], &uk["id"]], "oldest first");
    assert_eq!(accounts[2], uk);
    assert_eq!(
        defaults(&accounts),
        ["Schmidt Consulting Ltd"],
        "a new default unmarks the old one"
    );

    // Replaced whole; the default cannot be unmarked, only moved.
    let mut renamed = us_account();
    renamed["bank_name"] = json!("Chase");
    renamed["is_default"] = json!(true);
    let replaced = app
        .request(
            Method::PUT,
            &format!("{PATH}/{}", us["id"].as_str().unwrap()),
            Some(&user.token),
            Some(&renamed),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(replaced["bank_name"], "Chase");
    assert_eq!(replaced["created_at"], us["created_at"]);
    assert_eq!(
        defaults(&list(&app, &user).await),
        ["Schmidt Consulting Inc."]
    );
    renamed["is_default"] = json!(false);
    let problem = app
        .request(
            Method::PUT,
            &format!("{PATH}/{}", us["id"].as_str().unwrap()),
            Some(&user.token),
            Some(&renamed),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["is_default"].is_array(), "{problem:#}");

    // Deleting the default makes the oldest remaining one the default.
    app.delete(
        &format!("{PATH}/{}", us["id"].as_str().unwrap()),
        &user.token,
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let accounts = list(&app, &user).await;
    assert_eq!(accounts.len(), 2);
    assert_eq!(defaults(&accounts), ["Schmidt Consulting GmbH"]);
}

#[tokio::test]
async fn bad_details_are_refused_at_their_field() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let with = |base: Value, field: &str, value: Value| {
        let mut body = base;
        body[field] = value;
        body
    };
    let cases = [
        // One digit off: the check digits no longer match.
        (
            with(iban_account(), "iban", json!("DE89 3704 0044 0532 0130 01")),
            "iban",
            Some("check digits"),
        ),
        (
            with(iban_account(), "iban", json!("XX89 3704 0044 0532 0130 00")),
            "iban",
            None,
        ),
        (
            with(iban_account(), "bic", json!("COBADE")),
            "bic",
            Some("BIC"),
        ),
        (
            with(us_account(), "routing_number", json!("021000022")),
            "routing_number",
            Some("check digit"),
        ),
        (
            with(us_account(), "routing_number", json!("12345")),
            "routing_number",
            Some("9 digits"),
        ),
        (
            with(uk_account(), "sort_code", json!("60-16")),
            "sort_code",
            Some("6 digits"),
        ),
        (
            with(iban_account(), "account_number", json!("31926819")),
            "account_number",
            None,
        ),
        (json!({ "holder": "Nobody" }), "iban", None),
        (with(iban_account(), "holder", json!(" ")), "holder", None),
        (
            with(iban_account(), "currency", json!("XAU")),
            "currency",
            None,
        ),
    ];
    for (body, field, message) in cases {
        let problem = app
            .post(PATH, &user.token, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let messages = &problem["errors"][field];
        assert!(messages.is_array(), "{field}: {problem:#}");
        if let Some(message) = message {
            assert!(
                messages.to_string().contains(message),
                "{field}: {problem:#}"
            );
        }
    }
    assert!(list(&app, &user).await.is_empty(), "nothing was stored");
}

#[tokio::test]
async fn an_account_keeps_at_most_five_and_never_sees_anothers() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(add(&app, &user, &uk_account()).await["id"].clone());
    }
    let problem = app
        .post(PATH, &user.token, &uk_account())
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/bank-account-limit");

    let theirs = format!("{PATH}/{}", ids[0].as_str().unwrap());
    assert!(list(&app, &other).await.is_empty());
    app.request(
        Method::PUT,
        &theirs,
        Some(&other.token),
        Some(&uk_account()),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.delete(&theirs, &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(list(&app, &user).await.len(), 5, "untouched");
    let unknown = format!("{PATH}/{}", uuid::Uuid::new_v4());
    app.delete(&unknown, &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_invoice_shows_the_account_of_its_currency_else_one_for_any() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let shown = |currency: &'static str| {
        let pool = app.db.pool.clone();
        let user_id = user.id;
        async move {
            bank_accounts::for_invoice(&pool, user_id, Currency::parse(currency).unwrap())
                .await
                .expect("reading the bank account")
        }
    };
    assert_eq!(shown("EUR").await, None, "no account yet");

    add(&app, &user, &us_account()).await;
    assert_eq!(
        shown("EUR").await,
        None,
        "a USD account is never shown on EUR"
    );
    add(&app, &user, &iban_account()).await;
    add(&app, &user, &uk_account()).await;

    let eur = shown("EUR").await.expect("the EUR account");
    let AccountDetails::Iban { iban, .. } = &eur.details else {
        panic!("the IBAN account: {eur:?}");
    };
    assert_eq!(iban.printed(), "DE89 3704 0044 0532 0130 00");
    let usd = shown("USD").await.expect("the USD account");
    assert!(matches!(usd.details, AccountDetails::UsDomestic { .. }));
    let gbp = shown("GBP")
        .await
        .expect("the account kept for any currency");
    assert!(matches!(gbp.details, AccountDetails::UkDomestic { .. }));
}

#[tokio::test]
async fn a_retried_add_with_its_idempotency_key_adds_one_account() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let add_keyed = || async {
        let response = app
            .http
            .post(format!("{}{PATH}", app.address))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", "bank-account-1")
            .json(&iban_account())
            .send()
            .await
            .expect("the API answers");
        crate::support::Response::read(response)
            .await
            .expect(StatusCode::CREATED)
    };
    let first = add_keyed().await;
    let retried = add_keyed().await;
    assert_eq!(retried.header("Idempotent-Replayed"), "true");
    assert_eq!(retried.body["id"], first.body["id"]);
    assert_eq!(list(&app, &user).await.len(), 1);
}
