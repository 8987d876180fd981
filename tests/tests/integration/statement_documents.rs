//! A customer's statement of account as a document, through the whole stack: the PDF a
//! `StatementWorkflow` renders in the customer's language and stores in S3, read back with
//! `pdftotext`; the statement e-mailed to the customer, as the SES endpoint received it, with
//! its record; and the refusals, which change nothing.

use crate::support::{TestApp, TestUser, draft, id, today};
use chrono::{Days, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// A German customer of `user`'s, with an address of its own and a copy to its controller.
async fn german_customer(app: &TestApp, user: &TestUser, email: &str) -> String {
    let body = json!({
        "display_name": "Müller Maschinenbau GmbH",
        "emails": [email],
        "cc_emails": [format!("controller-{email}")],
        "language": "de",
        "currency": "EUR",
        "address": {
            "lines": ["Hauptstraße 5"],
            "postal_code": "80331",
            "city": "München",
            "country": "DE"
        }
    });
    id(&app
        .post("/api/customers", &user.token, &body)
        .await
        .expect(StatusCode::CREATED)
        .body)
}

/// Sends the customer an invoice of 384.99 EUR issued on `issued`; returns it.
async fn invoice(app: &TestApp, user: &TestUser, customer: &str, issued: NaiveDate) -> Value {
    let mut body = draft();
    let fields = body.as_object_mut().unwrap();
    fields.remove("client_name");
    fields.remove("client_email");
    body["customer_id"] = json!(customer);
    body["currency"] = json!("EUR");
    body["issue_date"] = json!(issued.to_string());
    app.sent_invoice(user, &body).await
}

/// `GET` with the caller's token, the body as bytes.
async fn download(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.http
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("the API answers")
}

/// The PDF's text as `pdftotext -layout` reads it, without whitespace of any kind: its
/// layout spreads columns with spaces, and it reads CLDR's no-break spaces as spaces or as
/// nothing (as the golden invoices' test says).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("statement-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("statement.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (Debian's poppler-utils; scripts/lib.sh: ensure_pdf_tools)");
    assert!(output.status.success(), "pdftotext: {output:?}");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&output.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The objects under `prefix` in this test's bucket.
async fn stored(app: &TestApp, prefix: &str) -> Vec<String> {
    let mut keys: Vec<String> = app
        .aws
        .keys()
        .await
        .into_iter()
        .filter(|key| key.starts_with(prefix))
        .collect();
    keys.sort();
    keys
}

/// The statements the SES endpoint received for `recipient` (the invoices' e-mails reach the
/// same address).
async fn statement_letters(app: &TestApp, recipient: &str) -> Vec<crate::support::aws::SentEmail> {
    app.aws
        .emails_to(recipient)
        .await
        .into_iter()
        .filter(|email| email.subject.starts_with("Kontoauszug"))
        .collect()
}

async fn statement_emails(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM statement_emails")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_german_customers_statement_downloads_as_a_german_pdf_and_is_emailed_with_it() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let recipient = format!("buchhaltung-{}@mueller.example", Uuid::new_v4().simple());
    let customer = german_customer(&app, &user, &recipient).await;
    let today = today();
    let (from, to) = (today - Days::new(10), today);
    // Owed at the start of the period: an invoice issued before it. In it: another invoice,
    // and a payment of 100.00 on it.
    let before = invoice(&app, &user, &customer, today - Days::new(40)).await;
    let during = invoice(&app, &user, &customer, today).await;
    app.record_payment(&user, &id(&during), 10_000, "bank_transfer")
        .await;
    let json = app
        .get(
            &format!("/api/customers/{customer}/statement?from={from}&to={to}"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let eur = &json["currencies"][0];
    assert_eq!(
        (&eur["opening_balance"], &eur["closing_balance"]),
        (&json!(38_499), &json!(66_998))
    );

    // The PDF: as the JSON says it, in German.
    let response = download(
        &app,
        &format!("/api/customers/{customer}/statement/pdf?from={from}&to={to}"),
        &user.token,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["cache-control"], "private, no-store");
    let file_name = format!("Kontoauszug-{from}-bis-{to}.pdf");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{file_name}\"").as_str()
    );
    let pdf = response.bytes().await.unwrap().to_vec();
    let text = pdf_text(&pdf);
    let number = |invoice: &Value| invoice["number"].as_str().unwrap().to_owned();
    for expected in [
        "KONTOAUSZUG".to_owned(),
        "Müller Maschinenbau GmbH".to_owned(),
        "Anfangssaldo".to_owned(),
        "384,99€".to_owned(),
        format!("Rechnung{}384,99€769,98€", number(&during)),
        format!("Zahlung{}100,00€669,98€", number(&during)),
        "Endsaldo".to_owned(),
        "669,98€".to_owned(),
        "Seite1von1".to_owned(),
    ] {
        assert!(
            text.contains(&squeezed(&expected)),
            "the PDF lacks {expected:?}: {text}"
        );
    }
    assert!(
        !text.contains(&number(&before)),
        "an invoice before the period is only in the opening balance: {text}"
    );
    // Stored where the bucket expires downloads, and nothing was e-mailed for a download.
    let downloads = stored(&app, "statement-downloads/").await;
    assert_eq!(downloads.len(), 1);
    assert!(downloads[0].starts_with(&format!("statement-downloads/{customer}/")));
    assert_eq!(stored(&app, "statements/").await, Vec::<String>::new());
    assert_eq!(statement_emails(&app).await, 0);

    // E-mailed, once however often the request is retried with its key.
    let key = Uuid::new_v4().to_string();
    let email = || async {
        app.http
            .post(format!(
                "{}/api/customers/{customer}/statement/email",
                app.address
            ))
            .bearer_auth(&user.token)
            .header("idempotency-key", &key)
            .json(&json!({ "from": from, "to": to }))
            .send()
            .await
            .expect("the API answers")
    };
    let first = email().await;
    assert_eq!(first.status(), StatusCode::OK);
    let sent: Value = first.json().await.unwrap();
    assert_eq!(sent["status"], "sent", "{sent:#}");
    assert_eq!(sent["recipient"], recipient.as_str());
    assert_eq!(sent["cc"], json!([format!("controller-{recipient}")]));
    assert_eq!(sent["language"], "de");
    assert_eq!((&sent["from"], &sent["to"]), (&json!(from), &json!(to)));
    assert!(sent["sent_at"].is_string());
    let again = email().await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");

    // The workflow answered once SES had: the e-mail is there already.
    let emails = statement_letters(&app, &recipient).await;
    assert_eq!(emails.len(), 1, "one e-mail, however often it was asked");
    let letter = &emails[0];
    assert_eq!(letter.to, [recipient.as_str()]);
    assert_eq!(
        letter.subject,
        format!(
            "Kontoauszug von {}: {} – {}",
            user.email,
            from.format("%d.%m.%Y"),
            to.format("%d.%m.%Y")
        )
    );
    assert!(
        letter
            .text
            .starts_with("Guten Tag Müller Maschinenbau GmbH,")
    );
    assert!(
        squeezed(&letter.text).contains(&squeezed(&format!("Saldo am {}. ", to.format("%-d")))),
        "{}",
        letter.text
    );
    assert!(
        squeezed(&letter.text).contains("669,98€"),
        "{}",
        letter.text
    );
    assert_eq!(letter.attachments.len(), 1);
    let (name, attached) = &letter.attachments[0];
    assert_eq!(name, &file_name);
    let attached = pdf_text(attached);
    assert!(attached.contains("KONTOAUSZUG") && attached.contains("Endsaldo"));
    assert!(attached.contains(&squeezed(&format!(
        "Zahlung{}100,00€669,98€",
        number(&during)
    ))));

    // The record: who, when, which period, to whom, and the PDF that went.
    let row: (Uuid, NaiveDate, NaiveDate, String, String, Option<String>) = sqlx::query_as(
        "SELECT user_id, period_from, period_to, recipient, storage_key, message_id
         FROM statement_emails WHERE customer_id = $1::uuid",
    )
    .bind(&customer)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((row.0, row.1, row.2), (user.id, from, to));
    assert_eq!(row.3, recipient);
    assert!(row.5.is_some());
    assert_eq!(
        row.4,
        format!("statements/{customer}/{}.pdf", sent["id"].as_str().unwrap())
    );
    assert_eq!(pdf_text(&app.aws.object(&row.4).await), attached);
    let listed = app
        .get(
            &format!("/api/customers/{customer}/statement/emails"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(listed["data"], json!([sent]));
    assert_eq!(listed["next_cursor"], Value::Null);
}

/// Minor units of euros as a German document prints them, without spaces (`-1.234,56€`).
fn euros_de(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    let units = (minor / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in units.chars().enumerate() {
        if index > 0 && (units.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}€", minor % 100)
}

#[tokio::test]
async fn the_statement_pdf_shows_what_credit_notes_took_and_the_credit_balance_as_the_json_does() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let recipient = format!("buchhaltung-{}@mueller.example", Uuid::new_v4().simple());
    let customer = german_customer(&app, &user, &recipient).await;
    let today = today();
    let (from, to) = (today - Days::new(10), today);
    // 384.99 invoiced, 100.00 paid, then 375.00 credited: 90.01 beyond the amount due, kept
    // as the customer's credit balance.
    let invoice = invoice(&app, &user, &customer, today).await;
    app.record_payment(&user, &id(&invoice), 10_000, "bank_transfer")
        .await;
    let note = app
        .post(
            &format!("/api/invoices/{}/credit-notes", id(&invoice)),
            &user.token,
            &json!({
                "reason": "Drei Einheiten zurückgegeben.",
                "scope": { "kind": "lines", "lines": [{ "line": 0, "quantity": "3" }] },
                "excess_to": "credit_balance",
            }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body["credit_note"]
        .clone();
    let json = app
        .get(
            &format!("/api/customers/{customer}/statement?from={from}&to={to}"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let eur = &json["currencies"][0];
    let figure = |name: &str| {
        eur[name]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}: {json:#}"))
    };
    assert_eq!(
        (
            figure("credited"),
            figure("credit_balance"),
            figure("closing_balance")
        ),
        (37_500, 9_001, -9_001)
    );

    let response = download(
        &app,
        &format!("/api/customers/{customer}/statement/pdf?from={from}&to={to}"),
        &user.token,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&response.bytes().await.unwrap());
    let number = note["number"].as_str().unwrap();
    for expected in [
        format!("Gutschrift{number}{}", euros_de(figure("credited"))),
        format!("DavonGutschriften{}", euros_de(figure("credited"))),
        format!("Endsaldo{}", euros_de(figure("closing_balance"))),
        format!("IhrGuthaben{}", euros_de(figure("credit_balance"))),
    ] {
        assert!(
            text.contains(&squeezed(&expected)),
            "the PDF lacks {expected:?}: {text}"
        );
    }
}

#[tokio::test]
async fn refused_statement_requests_render_store_and_send_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let recipient = format!("buchhaltung-{}@mueller.example", Uuid::new_v4().simple());
    let customer = german_customer(&app, &user, &recipient).await;
    invoice(&app, &user, &customer, today()).await;
    let today = today();
    let ten_years_and_a_day = today - Days::new(3_653);

    let bad_periods = [
        (
            format!("from={today}&to={}", today - Days::new(1)),
            json!({ "from": today, "to": today - Days::new(1) }),
            "to",
        ),
        (
            format!("from={ten_years_and_a_day}&to={today}"),
            json!({ "from": ten_years_and_a_day, "to": today }),
            "to",
        ),
        (
            "from=yesterday".to_owned(),
            json!({ "from": "yesterday" }),
            "from",
        ),
        (
            "to=2026-02-30".to_owned(),
            json!({ "to": "2026-02-30" }),
            "to",
        ),
    ];
    for (query, body, field) in &bad_periods {
        let pdf = app
            .get(
                &format!("/api/customers/{customer}/statement/pdf?{query}"),
                &user.token,
            )
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(pdf["errors"][field].is_array(), "{query}: {pdf:#}");
        let email = app
            .post(
                &format!("/api/customers/{customer}/statement/email"),
                &user.token,
                body,
            )
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(email["errors"][field].is_array(), "{body}: {email:#}");
    }

    // Someone else's customer is nobody's: 404, as for the JSON statement.
    let stranger = app.user().await;
    app.get(
        &format!("/api/customers/{customer}/statement/pdf"),
        &stranger.token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.post(
        &format!("/api/customers/{customer}/statement/email"),
        &stranger.token,
        &json!({}),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.get(
        &format!("/api/customers/{customer}/statement/emails"),
        &stranger.token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);

    // A customer without an e-mail address (the schema asks for one; this one lost it by hand).
    sqlx::query("ALTER TABLE customers DROP CONSTRAINT customers_emails_count")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE customers SET emails = '{}', cc_emails = '{}' WHERE id = $1::uuid")
        .bind(&customer)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let problem = app
        .request(
            Method::POST,
            &format!("/api/customers/{customer}/statement/email"),
            Some(&user.token),
            Some(&json!({ "from": today, "to": today })),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/no-email-address");

    assert_eq!(stored(&app, "statement").await, Vec::<String>::new());
    assert_eq!(statement_emails(&app).await, 0);
    assert!(statement_letters(&app, &recipient).await.is_empty());
    let listed = app
        .get(
            &format!("/api/customers/{customer}/statement/emails"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(listed["data"], json!([]));
}
