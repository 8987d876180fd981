//! Invoice numbers: gapless and sequential per sequence (the account's, or one per year of the
//! issue date), even when sends race; rendered once in the account's format.

use crate::support::{Response, TestApp, TestUser, draft, id, today};
use chrono::{Datelike, Days, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sends every invoice at once; returns the numbers they got, sorted.
async fn send_all(app: &TestApp, user: &TestUser, ids: &[String]) -> Vec<String> {
    let sends = ids.iter().map(|invoice_id| {
        let path = format!("/api/invoices/{invoice_id}/send");
        async move {
            app.post_empty(&path, &user.token)
                .await
                .expect(StatusCode::OK)
                .body["number"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    });
    let mut numbers = futures::future::join_all(sends).await;
    numbers.sort();
    numbers
}

#[tokio::test]
async fn concurrent_sends_get_consecutive_numbers_without_gaps_or_duplicates() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(id(&app.create_invoice(&user, &draft()).await));
    }
    let theirs = id(&app.create_invoice(&other, &draft()).await);

    let numbers = send_all(&app, &user, &ids).await;

    assert_eq!(numbers, ["INV-000001", "INV-000002"]);
    let their_number = app
        .post_empty(&format!("/api/invoices/{theirs}/send"), &other.token)
        .await
        .expect(StatusCode::OK)
        .body["number"]
        .clone();
    assert_eq!(
        their_number, "INV-000001",
        "each account has its own sequence"
    );
}

#[tokio::test]
async fn many_concurrent_sends_still_number_without_gaps() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut ids = Vec::new();
    for _ in 0..8 {
        ids.push(id(&app.create_invoice(&user, &draft()).await));
    }

    let numbers = send_all(&app, &user, &ids).await;

    let expected: Vec<String> = (1..=8).map(|n| format!("INV-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

/// Sets the account's number format (its profile needs a name and an address besides).
async fn set_format(app: &TestApp, user: &TestUser, pattern: &str, reset: &str) -> Response {
    app.request(
        reqwest::Method::PUT,
        "/api/settings/seller",
        Some(&user.token),
        Some(&json!({
            "display_name": "Schmidt Consulting",
            "address": { "lines": ["Friedrichstraße 123"], "country": "DE" },
            "number_format": { "pattern": pattern, "reset": reset }
        })),
    )
    .await
}

/// The numbers as issued, in the order of `ids`.
async fn issued(app: &TestApp, ids: &[String]) -> Vec<String> {
    let mut numbers = Vec::new();
    for invoice_id in ids {
        let number: String =
            sqlx::query_scalar("SELECT number_text FROM invoices WHERE id = $1::uuid")
                .bind(invoice_id)
                .fetch_one(&app.db.pool)
                .await
                .expect("a sent invoice has its number");
        numbers.push(number);
    }
    numbers
}

fn draft_issued(issue_date: NaiveDate) -> Value {
    let mut body = draft();
    body["issue_date"] = json!(issue_date.to_string());
    body["due_date"] = json!((issue_date + Days::new(30)).to_string());
    body
}

#[tokio::test]
async fn a_yearly_sequence_starts_again_each_year_of_the_issue_date_and_numbers_stay_as_sent() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    // Sent before any format was chosen: the numbers every account always had.
    let first = id(&app.sent_invoice(&user, &draft()).await);
    set_format(&app, &user, "RE-{YYYY}-{SEQ:4}", "yearly")
        .await
        .expect(StatusCode::OK);

    let this_year = today().year();
    let last_year = NaiveDate::from_ymd_opt(this_year - 1, 6, 1).unwrap();
    let next_year = NaiveDate::from_ymd_opt(this_year + 1, 1, 1).unwrap();
    let this_year_date = today();
    let mut this_years = Vec::new();
    for _ in 0..4 {
        this_years.push(id(&app
            .create_invoice(&user, &draft_issued(this_year_date))
            .await));
    }
    let last = id(&app.create_invoice(&user, &draft_issued(last_year)).await);
    let next = id(&app.create_invoice(&user, &draft_issued(next_year)).await);
    let mut all = this_years.clone();
    all.extend([last.clone(), next.clone()]);
    // Every send at once: the sequences are allocated under the account's lock.
    send_all(&app, &user, &all).await;

    let mut numbers = issued(&app, &this_years).await;
    numbers.sort();
    let expected: Vec<String> = (1..=4).map(|n| format!("RE-{this_year}-{n:04}")).collect();
    assert_eq!(numbers, expected, "gapless within the year");
    assert_eq!(
        issued(&app, &[last.clone(), next.clone()]).await,
        [
            format!("RE-{}-0001", this_year - 1),
            format!("RE-{}-0001", this_year + 1)
        ],
        "each year starts at 1"
    );
    let sent_event = app
        .events(&user, &next)
        .await
        .into_iter()
        .find(|event| event["type"] == "sent")
        .expect("a sent entry");
    assert_eq!(
        sent_event["data"]["number"],
        format!("RE-{}-0001", this_year + 1)
    );

    // The list finds an invoice by its number as issued.
    let found = app
        .get(
            &format!("/api/invoices?q=RE-{}-0001", this_year + 1),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let found: Vec<&Value> = found["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(found, [&json!(next)]);

    // A later format applies to later invoices only.
    set_format(&app, &user, "R{YY}-{SEQ:3}", "yearly")
        .await
        .expect(StatusCode::OK);
    let later = id(&app.sent_invoice(&user, &draft()).await);
    assert_eq!(
        issued(&app, &[first, later]).await,
        [
            "INV-000001".to_owned(),
            format!("R{:02}-005", this_year % 100)
        ]
    );
    assert_eq!(
        issued(&app, &[last]).await,
        [format!("RE-{}-0001", this_year - 1)]
    );
}

#[tokio::test]
async fn a_format_that_would_repeat_an_issued_number_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    set_format(&app, &user, "INV-{YYYY}-{SEQ:4}", "yearly")
        .await
        .expect(StatusCode::OK);
    let invoices = [
        id(&app.sent_invoice(&user, &draft()).await),
        id(&app.sent_invoice(&user, &draft()).await),
    ];
    let year = today().year();
    assert_eq!(
        issued(&app, &invoices).await,
        [format!("INV-{year}-0001"), format!("INV-{year}-0002")]
    );

    // The account's one sequence has given no number yet: it would give INV-YYYY-0001 again.
    let problem = set_format(&app, &user, "INV-{YYYY}-{SEQ:4}", "never")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let message = problem["errors"]["number_format.pattern"].to_string();
    assert!(message.contains(&format!("INV-{year}-0001")), "{problem:#}");

    // Back to the default is safe (its numbers read differently), and so is the yearly one.
    set_format(&app, &user, "INV-{SEQ:6}", "never")
        .await
        .expect(StatusCode::OK);
    let next = id(&app.sent_invoice(&user, &draft()).await);
    assert_eq!(issued(&app, &[next]).await, ["INV-000001"]);
    set_format(&app, &user, "INV-{YYYY}-{SEQ:4}", "yearly")
        .await
        .expect(StatusCode::OK);
    let after = id(&app.sent_invoice(&user, &draft()).await);
    assert_eq!(issued(&app, &[after]).await, [format!("INV-{year}-0003")]);
}
