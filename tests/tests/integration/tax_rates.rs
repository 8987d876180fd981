//! Tax rates as records of the account: created (percentages exact, categories held to
//! EN 16931's rules), read, renamed but never re-rated, listed page by page, archived and
//! restored, looked up for drafts, and another account's indistinguishable from none.

use crate::support::{Response, TestApp, TestUser, id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use uuid::Uuid;

fn standard(name: &str, percent: Value) -> Value {
    json!({ "name": name, "percent": percent, "category": "S" })
}

fn reverse_charge() -> Value {
    json!({
        "name": "Reverse charge (EU B2B)",
        "percent": "0",
        "category": "AE",
        "exemption_reason": "Reverse charge: VAT to be accounted for by the recipient",
        "exemption_code": "VATEX-EU-AE"
    })
}

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> Value {
    app.post("/api/tax-rates", &user.token, body)
        .await
        .expect(StatusCode::CREATED)
        .body
}

/// The field paths of a 422's `errors`.
fn fields(response: Response) -> BTreeSet<String> {
    let body = response.problem(StatusCode::UNPROCESSABLE_ENTITY);
    body["errors"]
        .as_object()
        .expect("per-field errors")
        .keys()
        .cloned()
        .collect()
}

async fn listed(app: &TestApp, user: &TestUser, query: &str) -> (Vec<String>, Option<String>) {
    let body = app
        .get(&format!("/api/tax-rates?{query}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let names = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rate| rate["name"].as_str().unwrap().to_owned())
        .collect();
    (names, body["next_cursor"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn tax_rates_are_created_exactly_read_and_renamed_but_never_re_rated() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let response = app
        .post(
            "/api/tax-rates",
            &user.token,
            &json!({
                "name": " VAT 19 % ",
                "description": "German standard rate",
                "percent": "19.0000",
                "category": "S"
            }),
        )
        .await
        .expect(StatusCode::CREATED);

    let vat = response.body.clone();
    let vat_id = id(&vat);
    assert_eq!(
        response.header("location"),
        format!("/api/tax-rates/{vat_id}")
    );
    assert_eq!(vat["name"], "VAT 19 %");
    assert_eq!(vat["percent"], "19");
    assert_eq!(vat["category"], "S");
    assert_eq!(vat["exemption_reason"], Value::Null);
    // A JSON number is read as written; decimals are kept exactly.
    let sales_tax = create(&app, &user, &standard("NYC sales tax", json!(8.875))).await;
    assert_eq!(sales_tax["percent"], "8.875");
    let reverse = create(&app, &user, &reverse_charge()).await;
    assert_eq!(reverse["percent"], "0");
    assert_eq!(reverse["exemption_code"], "VATEX-EU-AE");
    let read = app
        .get(&format!("/api/tax-rates/{vat_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read, vat);

    let renamed = app
        .patch(
            &format!("/api/tax-rates/{vat_id}"),
            &user.token,
            &json!({ "name": "MwSt. 19 %", "description": null }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(renamed["name"], "MwSt. 19 %");
    assert_eq!(renamed["description"], Value::Null);
    assert_eq!(renamed["percent"], "19");
    let described = app
        .patch(
            &format!("/api/tax-rates/{vat_id}"),
            &user.token,
            &json!({ "description": "Regelsteuersatz" }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        (&described["name"], &described["description"]),
        (&json!("MwSt. 19 %"), &json!("Regelsteuersatz"))
    );

    // The rate itself never changes: drafts use it by id.
    let refused = app
        .patch(
            &format!("/api/tax-rates/{vat_id}"),
            &user.token,
            &json!({ "name": "VAT 16 %", "percent": "16", "category": "S" }),
        )
        .await;
    let body = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    let errors: BTreeSet<&String> = body["errors"].as_object().unwrap().keys().collect();
    assert_eq!(
        errors,
        BTreeSet::from([&"category".to_owned(), &"percent".to_owned()])
    );
    assert!(
        body["errors"]["percent"][0]
            .as_str()
            .unwrap()
            .contains("archive it and create another"),
        "{body:#}"
    );
    let read = app
        .get(&format!("/api/tax-rates/{vat_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        (&read["name"], &read["percent"]),
        (&json!("MwSt. 19 %"), &json!("19"))
    );
    let response = app
        .patch(
            &format!("/api/tax-rates/{vat_id}"),
            &user.token,
            &json!({ "name": " " }),
        )
        .await;
    assert_eq!(fields(response), BTreeSet::from(["name".to_owned()]));
}

#[tokio::test]
async fn bad_tax_rates_are_refused_at_their_fields_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let exempt = |reason: Value, code: Value| {
        json!({
            "name": "Exempt",
            "percent": 0,
            "category": "E",
            "exemption_reason": reason,
            "exemption_code": code
        })
    };
    let cases = [
        // Over 100 %, negative, more than 4 decimals, as strings and as numbers.
        (standard("Too much", json!("100.5")), vec!["percent"]),
        (standard("Too much", json!(101)), vec!["percent"]),
        (standard("Negative", json!("-1")), vec!["percent"]),
        (standard("Negative", json!(-0.5)), vec!["percent"]),
        (standard("Too fine", json!("8.87501")), vec!["percent"]),
        (standard("Too fine", json!(8.87501)), vec!["percent"]),
        (standard("Not a number", json!("19%")), vec!["percent"]),
        (standard("Zero standard", json!("0")), vec!["percent"]),
        // Categories that need the reason the supply is not taxed, without one.
        (exempt(Value::Null, Value::Null), vec!["exemption_reason"]),
        (
            exempt(json!("  "), json!("VATEX-EU-132-1A")),
            vec!["exemption_reason"],
        ),
        (
            json!({ "name": "Reverse", "percent": "0", "category": "AE" }),
            vec!["exemption_reason"],
        ),
        (
            json!({ "name": "Export", "percent": "0", "category": "G" }),
            vec!["exemption_reason"],
        ),
        // Zero for every category but S; a taxed category takes no reason.
        (
            json!({ "name": "Exempt 7", "percent": "7", "category": "E", "exemption_reason": "Exempt" }),
            vec!["percent"],
        ),
        (
            json!({ "name": "VAT", "percent": "19", "category": "S", "exemption_reason": "Why?" }),
            vec!["exemption_reason"],
        ),
        (
            exempt(json!("Exempt"), json!("EU-132")),
            vec!["exemption_code"],
        ),
        (standard("", json!("19")), vec!["name"]),
        (
            json!({ "name": "VAT", "percent": "19", "category": "X" }),
            vec!["category"],
        ),
        (json!({ "name": "VAT", "category": "S" }), vec!["percent"]),
        (
            json!({ "name": "VAT", "percent": true, "category": "S" }),
            vec!["percent"],
        ),
        // Every problem at once.
        (
            json!({ "name": "", "percent": "150", "category": "K" }),
            vec!["exemption_reason", "name", "percent"],
        ),
    ];
    for (body, expected) in cases {
        let response = app.post("/api/tax-rates", &user.token, &body).await;
        let expected: BTreeSet<String> = expected.into_iter().map(str::to_owned).collect();
        assert_eq!(fields(response), expected, "{body}");
    }
    assert!(listed(&app, &user, "").await.0.is_empty());
    assert!(listed(&app, &user, "archived=true").await.0.is_empty());
}

#[tokio::test]
async fn tax_rates_are_listed_by_name_and_archived_out_of_the_drafts_reach() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let vat = id(&create(&app, &user, &standard("VAT 19 %", json!("19"))).await);
    let reduced = id(&create(&app, &user, &standard("VAT 7 %", json!("7"))).await);
    let reverse = id(&create(&app, &user, &reverse_charge()).await);
    create(&app, &user, &standard("sales tax", json!("8.875"))).await;

    // By name, whatever the case, a page at a time.
    let (first, next) = listed(&app, &user, "limit=3").await;
    assert_eq!(first, ["Reverse charge (EU B2B)", "sales tax", "VAT 19 %"]);
    let (rest, last) = listed(&app, &user, &format!("limit=3&cursor={}", next.unwrap())).await;
    assert_eq!((rest, last), (vec!["VAT 7 %".to_owned()], None));

    let archived = app
        .post_empty(&format!("/api/tax-rates/{reduced}/archive"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;

    assert!(archived["archived_at"].is_string());
    assert_eq!(
        listed(&app, &user, "").await.0,
        ["Reverse charge (EU B2B)", "sales tax", "VAT 19 %"]
    );
    assert_eq!(listed(&app, &user, "archived=true").await.0, ["VAT 7 %"]);
    // What a draft's lines may use: this account's active rates, as domain rates.
    let unknown = Uuid::new_v4();
    let ids =
        [vat, reduced.clone(), reverse, unknown.to_string()].map(|id| id.parse::<Uuid>().unwrap());
    let usable = usable_rates(&app, user.id, &ids).await;
    assert_eq!(usable.len(), 2, "{usable:?}");
    assert_eq!(usable[&ids[0]].percent().to_string(), "19");
    assert_eq!(usable[&ids[2]].category().code(), "AE");
    assert_eq!(
        usable[&ids[2]].exemption().unwrap().code.as_deref(),
        Some("VATEX-EU-AE")
    );

    let restored = app
        .post_empty(&format!("/api/tax-rates/{reduced}/unarchive"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(restored["archived_at"], Value::Null);
    assert!(listed(&app, &user, "archived=true").await.0.is_empty());
    let usable = usable_rates(&app, user.id, &ids).await;
    assert_eq!(usable.len(), 3);
}

#[tokio::test]
async fn another_accounts_tax_rate_is_not_found() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let other = app.user().await;
    let vat = id(&create(&app, &owner, &standard("VAT 19 %", json!("19"))).await);
    let path = format!("/api/tax-rates/{vat}");

    app.get(&path, &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.patch(&path, &other.token, &json!({ "name": "Mine" }))
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post_empty(&format!("{path}/archive"), &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post_empty(&format!("{path}/unarchive"), &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert!(listed(&app, &other, "").await.0.is_empty());
    let usable = usable_rates(&app, other.id, &[vat.parse().unwrap()]).await;
    assert!(usable.is_empty());

    let read = app
        .get(&path, &owner.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["name"], "VAT 19 %");
    assert_eq!(read["archived_at"], Value::Null);
}

/// The rates a draft of `account` may use among `ids`, as the draft's lookup answers.
async fn usable_rates(
    app: &TestApp,
    account: Uuid,
    ids: &[Uuid],
) -> std::collections::HashMap<Uuid, invoicing_workflows::domain::TaxRate> {
    invoicing_store::draft_references::references(&app.db.pool, account, Uuid::nil(), ids)
        .await
        .unwrap()
        .0
        .rates
}
