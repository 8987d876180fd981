//! Invoice numbers: gapless and sequential per account, even when sends race.

use crate::support::{TestApp, TestUser, draft, id};
use reqwest::StatusCode;

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
