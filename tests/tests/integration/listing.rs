//! The invoice list: searched by client and number, in each of its orders, page by page.

use crate::support::{TestApp, TestUser, id, today};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A draft for `client_name` <`client_email`> of one line of `amount` USD cents, due in `days`.
fn draft_for(client_name: &str, client_email: &str, amount: i64, days: u64) -> Value {
    json!({
        "client_name": client_name,
        "client_email": client_email,
        "currency": "USD",
        "due_date": (today() + chrono::Days::new(days)).to_string(),
        "items": [{ "description": "Work", "quantity": 1, "unit_amount": amount }]
    })
}

/// Five invoices, created in this order:
///
/// | # | client | status | amount due | due in |
/// |---|---|---|---|---|
/// | 0 | Acme Ltd | sent, INV-000001 | 10,000 | 30 days |
/// | 1 | Globex 100% Corp | sent, INV-000002, 45,000 of 50,000 paid | 5,000 | 10 days |
/// | 2 | Initech | draft | 20,000 | 60 days |
/// | 3 | Umbrella_Co | sent, INV-000003 | 40,000 | 10 days |
/// | 4 | Acme Holdings | draft | 20,000 | 1 day |
///
/// Invoices 1 and 3 share a due date and 2 and 4 an amount due, each pair straddling the end
/// of the first page of two in its order.
async fn five_invoices(app: &TestApp, user: &TestUser) -> Vec<String> {
    let acme = app
        .sent_invoice(user, &draft_for("Acme Ltd", "ap@acme.example", 10_000, 30))
        .await;
    let globex = app
        .sent_invoice(
            user,
            &draft_for("Globex 100% Corp", "billing@globex.example", 50_000, 10),
        )
        .await;
    app.pay(
        user,
        &id(&globex),
        json!({ "amount": 45_000, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let initech = app
        .create_invoice(
            user,
            &draft_for("Initech", "accounts@initech.example", 20_000, 60),
        )
        .await;
    let umbrella = app
        .sent_invoice(
            user,
            &draft_for("Umbrella_Co", "ops@umbrella.example", 40_000, 10),
        )
        .await;
    let holdings = app
        .create_invoice(
            user,
            &draft_for("Acme Holdings", "finance@holdings.example", 20_000, 1),
        )
        .await;
    [acme, globex, initech, umbrella, holdings]
        .iter()
        .map(id)
        .collect()
}

/// The ids of the invoices `query` lists (one page).
async fn listed(app: &TestApp, user: &TestUser, query: &str) -> Vec<String> {
    app.get(&format!("/api/invoices?{query}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect()
}

/// Every invoice `query` lists, following `next_cursor` two at a time, with each page's
/// cursor.
async fn every_page(app: &TestApp, user: &TestUser, query: &str) -> (Vec<Value>, Vec<String>) {
    let mut seen = Vec::new();
    let mut cursors = Vec::new();
    loop {
        let path = match cursors.last() {
            Some(cursor) => format!("/api/invoices?{query}&limit=2&cursor={cursor}"),
            None => format!("/api/invoices?{query}&limit=2"),
        };
        let page = app
            .get(&path, &user.token)
            .await
            .expect(StatusCode::OK)
            .body;
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 2, "{query}: a page of {}", data.len());
        seen.extend(data.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursors.push(next.to_owned()),
            None => break,
        }
        assert!(cursors.len() < 10, "{query}: the pages do not end");
    }
    (seen, cursors)
}

#[tokio::test]
async fn a_search_finds_invoices_by_client_name_email_and_number_literally() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let invoices = five_invoices(&app, &user).await;
    let ids =
        |which: &[usize]| -> Vec<String> { which.iter().map(|&i| invoices[i].clone()).collect() };
    let none: Vec<String> = Vec::new();

    for (query, expected) in [
        // Newest first, whatever the case of the text.
        ("q=acme", ids(&[4, 0])),
        ("q=ACME", ids(&[4, 0])),
        // The client's e-mail address only.
        ("q=accounts%40", ids(&[2])),
        // The number as shown.
        ("q=inv-000002", ids(&[1])),
        ("q=INV-0000", ids(&[3, 1, 0])),
        // `%` and `_` are themselves, not wildcards that would match every invoice.
        ("q=%25", ids(&[1])),
        ("q=100%25", ids(&[1])),
        ("q=_", ids(&[3])),
        ("q=%5C", none.clone()),
        // With the other filters and orders; spaces around the text do not count.
        ("q=acme&status=sent", ids(&[0])),
        ("q=+acme+&sort=due_date", ids(&[4, 0])),
        // Empty is no search.
        ("q=", ids(&[4, 3, 2, 1, 0])),
        ("q=nobody", none.clone()),
    ] {
        assert_eq!(listed(&app, &user, query).await, expected, "{query}");
    }
    // Another account finds none of them.
    assert_eq!(listed(&app, &other, "q=acme").await, none);
    assert_eq!(listed(&app, &other, "q=INV").await, none);

    // At most 200 characters.
    assert!(
        listed(&app, &user, &format!("q={}", "a".repeat(200)))
            .await
            .is_empty()
    );
    let problem = app
        .get(&format!("/api/invoices?q={}", "a".repeat(201)), &user.token)
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"].as_str().unwrap().contains("200"),
        "{problem:#}"
    );
    let problem = app
        .get("/api/invoices?q=a%00b", &user.token)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["q"].is_array(), "{problem:#}");
}

#[tokio::test]
async fn every_order_pages_through_every_invoice_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoices = five_invoices(&app, &user).await;
    let ids =
        |order: &[usize]| -> Vec<String> { order.iter().map(|&i| invoices[i].clone()).collect() };
    let listed_ids = |seen: &[Value]| -> Vec<String> { seen.iter().map(id).collect() };

    for (query, expected) in [
        ("sort=newest", ids(&[4, 3, 2, 1, 0])),
        ("sort=", ids(&[4, 3, 2, 1, 0])),
        ("sort=oldest", ids(&[0, 1, 2, 3, 4])),
    ] {
        let (seen, cursors) = every_page(&app, &user, query).await;
        assert_eq!(listed_ids(&seen), expected, "{query}");
        assert_eq!(cursors.len(), 2, "{query}: three pages");
    }

    // Soonest due first; 1 and 3 are due the same day, in either order.
    let (seen, _) = every_page(&app, &user, "sort=due_date").await;
    let order = listed_ids(&seen);
    assert_eq!(order.len(), 5);
    assert_eq!(
        order.iter().collect::<BTreeSet<_>>().len(),
        5,
        "no invoice twice"
    );
    assert_eq!(order[0], invoices[4]);
    assert_eq!(
        BTreeSet::from([&order[1], &order[2]]),
        BTreeSet::from([&invoices[1], &invoices[3]])
    );
    assert_eq!(order[3..], ids(&[0, 2]));
    let due_dates: Vec<&str> = seen
        .iter()
        .map(|invoice| invoice["due_date"].as_str().unwrap())
        .collect();
    assert!(due_dates.is_sorted(), "{due_dates:?}");

    // Largest amount due first; 2 and 4 owe the same, in either order.
    let (seen, _) = every_page(&app, &user, "sort=amount_due").await;
    let order = listed_ids(&seen);
    assert_eq!(order.len(), 5);
    assert_eq!(
        order.iter().collect::<BTreeSet<_>>().len(),
        5,
        "no invoice twice"
    );
    assert_eq!(order[0], invoices[3]);
    assert_eq!(
        BTreeSet::from([&order[1], &order[2]]),
        BTreeSet::from([&invoices[2], &invoices[4]])
    );
    assert_eq!(order[3..], ids(&[0, 1]));
    let amounts_due: Vec<i64> = seen
        .iter()
        .map(|invoice| invoice["amount_due"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts_due, [40_000, 20_000, 20_000, 10_000, 5_000]);

    // A filter pages in its order too.
    let (seen, _) = every_page(&app, &user, "status=sent&sort=due_date").await;
    assert_eq!(listed_ids(&seen).len(), 3);
}

#[tokio::test]
async fn a_cursor_only_continues_the_order_it_came_from() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    five_invoices(&app, &user).await;
    let cursor_of = |query: &'static str| {
        let app = &app;
        let token = user.token.clone();
        async move {
            app.get(&format!("/api/invoices?{query}&limit=2"), &token)
                .await
                .expect(StatusCode::OK)
                .body["next_cursor"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let by_due_date = cursor_of("sort=due_date").await;
    let newest = cursor_of("sort=newest").await;
    let by_amount = cursor_of("sort=amount_due").await;

    for query in [
        format!("cursor={by_due_date}"),
        format!("sort=newest&cursor={by_due_date}"),
        format!("sort=oldest&cursor={newest}"),
        format!("sort=due_date&cursor={by_amount}"),
        format!("sort=amount_due&cursor={newest}"),
    ] {
        let problem = app
            .get(&format!("/api/invoices?{query}&limit=2"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("cursor is not one this API returned"),
            "{query}: {problem:#}"
        );
    }
    // Each in its own order is fine.
    for query in [
        format!("sort=due_date&cursor={by_due_date}"),
        format!("cursor={newest}"),
        format!("sort=amount_due&cursor={by_amount}"),
    ] {
        app.get(&format!("/api/invoices?{query}&limit=2"), &user.token)
            .await
            .expect(StatusCode::OK);
    }

    for sort in ["cheapest", "NEWEST", "due-date"] {
        let problem = app
            .get(&format!("/api/invoices?sort={sort}"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("newest, oldest, due_date, amount_due"),
            "{detail}"
        );
    }
}
