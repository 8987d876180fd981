//! Customers as records of the account: created, read, replaced, listed and searched page by
//! page, archived and restored, deleted only while no invoice names them, and another
//! account's indistinguishable from none.

use crate::support::{Response, TestApp, TestUser, draft, id};
use invoicing_workflows::domain::EInvoiceFormat;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A German business customer, with every field.
fn acme() -> Value {
    json!({
        "display_name": "Acme",
        "legal_name": "Acme Trading GmbH",
        "emails": ["ap@acme.example", "AP2@acme.example"],
        "cc_emails": ["controller@acme.example"],
        "address": {
            "lines": ["Friedrichstraße 123", "3. OG"],
            "postal_code": "10117",
            "city": "Berlin",
            "region": null,
            "country": "de"
        },
        "tax_id": { "kind": "eu_vat", "value": "de 123 456 789" },
        "currency": "eur",
        "language": "de",
        "time_zone": "Europe/Berlin",
        "payment_terms_days": 14,
        "notes": "Purchase order number on every invoice.\nPays by transfer."
    })
}

/// The least a customer needs.
fn named(display_name: &str, email: &str) -> Value {
    json!({ "display_name": display_name, "emails": [email] })
}

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> Value {
    app.post("/api/customers", &user.token, body)
        .await
        .expect(StatusCode::CREATED)
        .body
}

/// The field paths of a 422's `errors`.
fn fields(response: Response) -> BTreeSet<String> {
    let body = response.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["type"], "/problems/validation-failed", "{body:#}");
    body["errors"]
        .as_object()
        .expect("per-field errors")
        .keys()
        .cloned()
        .collect()
}

/// The display names a list answers with, and its next cursor.
async fn names(app: &TestApp, user: &TestUser, query: &str) -> (Vec<String>, Option<String>) {
    let body = app
        .get(&format!("/api/customers?{query}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let names = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|customer| customer["display_name"].as_str().unwrap().to_owned())
        .collect();
    (names, body["next_cursor"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn customers_round_trip_through_create_read_replace_and_delete() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let response = app.post("/api/customers", &user.token, &acme()).await;

    let response = response.expect(StatusCode::CREATED);
    let created = response.body.clone();
    let customer_id = id(&created);
    assert_eq!(
        response.header("location"),
        format!("/api/customers/{customer_id}")
    );
    // Normalised as the domain reads it.
    assert_eq!(created["display_name"], "Acme");
    assert_eq!(created["legal_name"], "Acme Trading GmbH");
    assert_eq!(
        created["emails"],
        json!(["ap@acme.example", "AP2@acme.example"])
    );
    assert_eq!(created["cc_emails"], json!(["controller@acme.example"]));
    assert_eq!(created["address"]["country"], "DE");
    assert_eq!(
        created["address"]["lines"],
        json!(["Friedrichstraße 123", "3. OG"])
    );
    assert_eq!(
        created["tax_id"],
        json!({ "kind": "eu_vat", "value": "DE123456789" })
    );
    assert_eq!(created["currency"], "EUR");
    assert_eq!(created["language"], "de");
    assert_eq!(created["time_zone"], "Europe/Berlin");
    assert_eq!(created["payment_terms_days"], 14);
    assert_eq!(created["archived_at"], Value::Null);
    let read = app
        .get(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read, created);

    // A full replace: what is left out takes its default.
    let replaced = app
        .request(
            Method::PUT,
            &format!("/api/customers/{customer_id}"),
            Some(&user.token),
            Some(&json!({
                "display_name": "Acme US",
                "emails": ["billing@acme.example"],
                "address": {
                    "lines": ["1 Main Street"],
                    "city": "Boston",
                    "region": "MA",
                    "postal_code": "02110",
                    "country": "US"
                },
                "tax_id": { "kind": "us_ein", "value": "123456789" },
                "currency": "USD",
                "time_zone": "America/New_York"
            })),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(replaced["id"], created["id"]);
    assert_eq!(replaced["display_name"], "Acme US");
    assert_eq!(replaced["legal_name"], Value::Null);
    assert_eq!(replaced["cc_emails"], json!([]));
    assert_eq!(replaced["tax_id"]["value"], "12-3456789");
    assert_eq!(replaced["language"], "en");
    assert_eq!(replaced["payment_terms_days"], Value::Null);
    assert_eq!(replaced["notes"], Value::Null);
    assert_eq!(replaced["created_at"], created["created_at"]);
    let read = app
        .get(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read, replaced);

    app.delete(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);

    app.get(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn customers_are_listed_by_name_searched_and_paged() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for (name, email) in [
        ("globex", "billing@globex.example"),
        ("Acme", "ap@acme.example"),
        ("Initech", "accounts@initech.example"),
        ("Umbrella_Co", "ops@umbrella.example"),
        ("acme holdings", "finance@holdings.example"),
    ] {
        create(&app, &user, &named(name, email)).await;
    }
    create(
        &app,
        &user,
        &json!({
            "display_name": "Hooli",
            "legal_name": "Hooli 100% Inc.",
            "emails": ["ap@hooli.example"],
            "cc_emails": ["CFO@Initech.example"]
        }),
    )
    .await;

    // By name, whatever the case, two at a time.
    let mut listed = Vec::new();
    let mut query = "limit=2".to_owned();
    let mut pages = 0;
    loop {
        let (page, next) = names(&app, &user, &query).await;
        assert!(page.len() <= 2);
        listed.extend(page);
        pages += 1;
        match next {
            Some(cursor) => query = format!("limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        listed,
        [
            "Acme",
            "acme holdings",
            "globex",
            "Hooli",
            "Initech",
            "Umbrella_Co"
        ]
    );

    // Search: display name, legal name and every address, case-insensitively, literally.
    assert_eq!(
        names(&app, &user, "q=ACME").await.0,
        ["Acme", "acme holdings"]
    );
    assert_eq!(
        names(&app, &user, "q=holdings.example").await.0,
        ["acme holdings"]
    );
    assert_eq!(
        names(&app, &user, "q=initech").await.0,
        ["Hooli", "Initech"]
    );
    assert_eq!(names(&app, &user, "q=100%25").await.0, ["Hooli"]);
    assert_eq!(names(&app, &user, "q=la_co").await.0, ["Umbrella_Co"]);
    assert!(names(&app, &user, "q=a_e").await.0.is_empty());
    assert_eq!(names(&app, &user, "q=%20%20").await.0.len(), 6);
    // A search is paged too.
    let (first, next) = names(&app, &user, "q=acme&limit=1").await;
    assert_eq!(first, ["Acme"]);
    let (second, last) = names(
        &app,
        &user,
        &format!("q=acme&limit=1&cursor={}", next.unwrap()),
    )
    .await;
    assert_eq!((second, last), (vec!["acme holdings".to_owned()], None));

    // Bad parameters are the client's mistake.
    for query in [
        "limit=0",
        "limit=101",
        "cursor=nonsense",
        "archived=yes",
        "sort=name",
    ] {
        app.get(&format!("/api/customers?{query}"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn archived_customers_leave_the_list_and_come_back() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let acme = id(&create(&app, &user, &named("Acme", "ap@acme.example")).await);
    create(&app, &user, &named("Globex", "billing@globex.example")).await;

    let archived = app
        .post_empty(&format!("/api/customers/{acme}/archive"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;

    assert!(archived["archived_at"].is_string(), "{archived:#}");
    assert_eq!(names(&app, &user, "").await.0, ["Globex"]);
    assert_eq!(names(&app, &user, "archived=true").await.0, ["Acme"]);
    assert_eq!(
        names(&app, &user, "archived=true&q=globex").await.0.len(),
        0
    );
    let read = app
        .get(&format!("/api/customers/{acme}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["archived_at"], archived["archived_at"]);
    assert!(
        usable_customer(&app, user.id, acme.parse().unwrap())
            .await
            .is_none(),
        "an archived customer cannot be put on an invoice"
    );
    // Archiving again keeps the first time.
    let again = app
        .post_empty(&format!("/api/customers/{acme}/archive"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(again["archived_at"], archived["archived_at"]);

    let restored = app
        .post_empty(&format!("/api/customers/{acme}/unarchive"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(restored["archived_at"], Value::Null);
    assert_eq!(names(&app, &user, "").await.0, ["Acme", "Globex"]);
    assert!(names(&app, &user, "archived=true").await.0.is_empty());
    let usable = usable_customer(&app, user.id, acme.parse().unwrap())
        .await
        .expect("an active customer is usable");
    assert_eq!(usable.name, "Acme");
}

#[tokio::test]
async fn another_accounts_customer_is_not_found() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let other = app.user().await;
    let acme = id(&create(&app, &owner, &acme()).await);
    let path = format!("/api/customers/{acme}");

    app.get(&path, &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.request(
        Method::PUT,
        &path,
        Some(&other.token),
        Some(&named("Mine", "me@x.example")),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.post_empty(&format!("{path}/archive"), &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post_empty(&format!("{path}/unarchive"), &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&path, &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert!(names(&app, &other, "").await.0.is_empty());
    assert!(
        usable_customer(&app, other.id, acme.parse().unwrap())
            .await
            .is_none()
    );
    // An unknown id is the same answer; a malformed one is 400.
    app.get(&format!("/api/customers/{}", Uuid::new_v4()), &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get("/api/customers/not-a-uuid", &other.token)
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.request(Method::GET, "/api/customers", None, None)
        .await
        .problem(StatusCode::UNAUTHORIZED);

    // Untouched.
    let read = app
        .get(&path, &owner.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["display_name"], "Acme");
    assert_eq!(read["archived_at"], Value::Null);
}

#[tokio::test]
async fn bad_customers_are_refused_at_their_fields_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let with = |changes: Value| {
        let mut body = acme();
        for (field, value) in changes.as_object().unwrap() {
            body[field] = value.clone();
        }
        body
    };
    let cases = [
        (
            with(json!({ "address": { "lines": ["1 Rue de Rivoli"], "country": "XX" } })),
            vec!["address.country"],
        ),
        (
            with(json!({ "address": { "lines": [" "], "country": "FR" } })),
            vec!["address.lines"],
        ),
        (
            with(json!({ "tax_id": { "kind": "eu_vat", "value": "US123456789" } })),
            vec!["tax_id.value"],
        ),
        (
            with(json!({ "tax_id": { "kind": "gb_vat", "value": "GB12" } })),
            vec!["tax_id.value"],
        ),
        (
            with(json!({ "emails": ["ap@acme.example", "not an address"] })),
            vec!["emails[1]"],
        ),
        (
            with(json!({ "cc_emails": ["AP@ACME.example"] })),
            vec!["cc_emails[0]"],
        ),
        (with(json!({ "emails": [] })), vec!["emails"]),
        (
            with(
                json!({ "emails": ["a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "f@x.example"] }),
            ),
            vec!["emails"],
        ),
        (with(json!({ "display_name": "  " })), vec!["display_name"]),
        (with(json!({ "currency": "XAU" })), vec!["currency"]),
        (
            with(json!({ "time_zone": "Europe/Atlantis" })),
            vec!["time_zone"],
        ),
        (
            with(json!({ "payment_terms_days": 366 })),
            vec!["payment_terms_days"],
        ),
        (
            with(json!({ "payment_terms_days": -1 })),
            vec!["payment_terms_days"],
        ),
        (with(json!({ "language": "it" })), vec!["language"]),
        (with(json!({ "notes": "n".repeat(5_001) })), vec!["notes"]),
        (with(json!({ "nickname": "Acme" })), vec!["nickname"]),
        (json!({ "display_name": "Acme" }), vec!["emails"]),
        // E-invoicing: each part checked alone, Peppol's address required.
        (
            with(json!({ "e_invoice_format": "pdf" })),
            vec!["e_invoice_format"],
        ),
        (
            with(json!({ "e_invoice_format": "peppol_ubl" })),
            vec!["electronic_address"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "9999", "id": "1" } })),
            vec!["electronic_address.scheme"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "0208", "id": "0123456700" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "0088", "id": "5790000435952" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "9930", "id": "DE12345678" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "EM", "id": "ap@localhost" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "0204", "id": "1 2" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "electronic_address": { "scheme": "0204" } })),
            vec!["electronic_address.id"],
        ),
        (
            with(json!({ "buyer_reference": "04011000-12345-04" })),
            vec!["buyer_reference"],
        ),
        (
            with(json!({ "buyer_reference": "04011000-abc-03" })),
            vec!["buyer_reference"],
        ),
        (
            with(json!({ "buyer_reference": "r".repeat(201) })),
            vec!["buyer_reference"],
        ),
        // Every problem at once.
        (
            with(json!({
                "emails": ["nope"],
                "address": { "lines": ["x"], "country": "ZZ" },
                "time_zone": "Nowhere"
            })),
            vec!["address.country", "emails[0]", "time_zone"],
        ),
    ];
    for (body, expected) in cases {
        let response = app.post("/api/customers", &user.token, &body).await;
        let expected: BTreeSet<String> = expected.into_iter().map(str::to_owned).collect();
        assert_eq!(fields(response), expected, "{body}");
    }
    assert!(names(&app, &user, "").await.0.is_empty());
    assert!(names(&app, &user, "archived=true").await.0.is_empty());

    // A replace is held to the same rules and changes nothing.
    let acme = id(&create(&app, &user, &acme()).await);
    let response = app
        .request(
            Method::PUT,
            &format!("/api/customers/{acme}"),
            Some(&user.token),
            Some(&with(
                json!({ "address": { "lines": ["x"], "country": "XX" } }),
            )),
        )
        .await;
    assert_eq!(
        fields(response),
        BTreeSet::from(["address.country".to_owned()])
    );
    let read = app
        .get(&format!("/api/customers/{acme}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["address"]["country"], "DE");
}

#[tokio::test]
async fn a_customer_on_invoices_is_archived_instead_of_deleted() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let acme = id(&create(&app, &user, &acme()).await);
    let mut body = draft();
    let fields = body.as_object_mut().unwrap();
    fields.remove("client_name");
    fields.remove("client_email");
    fields.insert("customer_id".into(), json!(acme));
    let invoice = app.create_invoice(&user, &body).await;
    assert_eq!(invoice["customer_id"], json!(acme));

    let refused = app
        .delete(&format!("/api/customers/{acme}"), &user.token)
        .await
        .problem(StatusCode::CONFLICT);

    assert_eq!(refused["type"], "/problems/customer-in-use");
    assert!(
        refused["detail"].as_str().unwrap().contains("archive"),
        "{refused:#}"
    );
    app.get(&format!("/api/customers/{acme}"), &user.token)
        .await
        .expect(StatusCode::OK);
    app.post_empty(&format!("/api/customers/{acme}/archive"), &user.token)
        .await
        .expect(StatusCode::OK);
    // The invoice is untouched.
    assert_eq!(
        app.invoice(&user, &id(&invoice)).await["total"],
        invoice["total"]
    );
}

#[tokio::test]
async fn a_retried_create_with_its_idempotency_key_makes_one_customer() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let create = || async {
        app.http
            .post(format!("{}/api/customers", app.address))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", "customer-acme-1")
            .json(&acme())
            .send()
            .await
            .expect("the API answers")
    };

    let first = Response::read(create().await)
        .await
        .expect(StatusCode::CREATED);
    let second = Response::read(create().await)
        .await
        .expect(StatusCode::CREATED);

    assert_eq!(second.header("idempotent-replayed"), "true");
    assert_eq!(second.body, first.body);
    assert_eq!(names(&app, &user, "").await.0, ["Acme"]);
}

/// The customer a draft of `account` may name, as the draft's lookup answers.
async fn usable_customer(
    app: &TestApp,
    account: Uuid,
    id: Uuid,
) -> Option<invoicing_workflows::domain::draft::CustomerRef> {
    invoicing_store::draft_references::references(&app.db.pool, account, id, &[])
        .await
        .unwrap()
        .0
        .customer
}

/// A German public buyer, as issue 25's acceptance names it: XRechnung (UBL), its Leitweg-ID
/// and its VAT number as electronic address.
fn authority() -> Value {
    json!({
        "display_name": "Bezirksamt Mitte",
        "emails": ["rechnungen@ba-mitte.example"],
        "address": {
            "lines": ["Karl-Marx-Allee 31"],
            "postal_code": "10178",
            "city": "Berlin",
            "country": "DE"
        },
        "currency": "EUR",
        "language": "de",
        "e_invoice_format": "xrechnung_ubl",
        "buyer_reference": " 04011000-12345-03 ",
        "electronic_address": { "scheme": "9930", "id": "de123456789" }
    })
}

#[tokio::test]
async fn e_invoicing_settings_round_trip_and_a_sent_invoice_keeps_them() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let created = create(&app, &user, &authority()).await;

    assert_eq!(created["e_invoice_format"], "xrechnung_ubl");
    assert_eq!(created["buyer_reference"], "04011000-12345-03");
    assert_eq!(
        created["electronic_address"],
        json!({ "scheme": "9930", "id": "DE123456789" })
    );
    let customer_id = id(&created);
    let read = app
        .get(&format!("/api/customers/{customer_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read, created);
    // A customer without any of them: `null` each, the PDF only.
    let plain = create(&app, &user, &named("Plain", "ap@plain.example")).await;
    for field in ["e_invoice_format", "buyer_reference", "electronic_address"] {
        assert_eq!(plain[field], Value::Null, "{field}");
    }

    // An invoice sent to the authority (by a seller with what XRechnung asks of it) keeps
    // what it was sent with.
    crate::e_invoicing::xrechnung_seller(&app, &user).await;
    let draft = crate::e_invoicing::draft_for(&app, &user, &customer_id).await;
    let sent = app
        .post_empty(&format!("/api/invoices/{}/send", id(&draft)), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(sent["buyer"]["e_invoice_format"], "xrechnung_ubl");

    // The customer becomes a Belgian Peppol customer; the sent invoice does not change.
    let belgian = json!({
        "display_name": "Bezirksamt Mitte",
        "emails": ["rechnungen@ba-mitte.example"],
        "e_invoice_format": "peppol_ubl",
        "electronic_address": { "scheme": "0208", "id": "0123456749" }
    });
    let replaced = app
        .request(
            Method::PUT,
            &format!("/api/customers/{customer_id}"),
            Some(&user.token),
            Some(&belgian),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(replaced["e_invoice_format"], "peppol_ubl");
    assert_eq!(replaced["buyer_reference"], Value::Null);
    assert_eq!(
        replaced["electronic_address"],
        json!({ "scheme": "0208", "id": "0123456749" })
    );

    let invoice_id = Uuid::parse_str(&id(&sent)).unwrap();
    let stored = invoicing_store::invoices::get(&app.db.pool, invoice_id)
        .await
        .expect("reading the invoice")
        .expect("the invoice exists");
    let buyer = stored
        .details
        .buyer()
        .expect("a sent invoice has its buyer");
    assert_eq!(buyer.e_invoice_format(), Some(EInvoiceFormat::XrechnungUbl));
    assert_eq!(buyer.buyer_reference.as_deref(), Some("04011000-12345-03"));
    let address = buyer.electronic_address().expect("the buyer's address");
    assert_eq!((address.scheme(), address.id()), ("9930", "DE123456789"));
    assert_eq!(
        app.invoice(&user, &id(&sent)).await["buyer"]["endpoint_id"],
        "DE123456789"
    );
}

/// Issue 25's acceptance: a customer set to XRechnung without a Leitweg-ID is stored; the send
/// gate, not the customer's rules, refuses its invoices (BR-DE-15).
#[tokio::test]
async fn an_xrechnung_customer_without_a_leitweg_id_is_stored() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut body = authority();
    body["buyer_reference"] = Value::Null;
    body["electronic_address"] = Value::Null;

    let created = create(&app, &user, &body).await;

    assert_eq!(created["e_invoice_format"], "xrechnung_ubl");
    assert_eq!(created["buyer_reference"], Value::Null);
    assert_eq!(created["electronic_address"], Value::Null);
}
