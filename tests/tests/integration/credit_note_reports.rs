//! Credit notes in the accountant's reports, issued through the API (so written by the invoice
//! workflow as in production): the credit-note export, the tax report's credit-note lines,
//! the invoice export's amounts, the aging, the dashboard and the customer's statement.

use crate::{
    exports::csv_file,
    support::{TestApp, TestUser, draft, id, today},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const FORMULA_REASON: &str = "=SUM(A1:A9)";
const QUOTED_REASON: &str = "Cancelled, \"duplicate\"";

/// A sent copy of `draft()` (USD, 375.00 + 9.99, untaxed) for `client`.
async fn sent_for(app: &TestApp, user: &TestUser, client: &str) -> Value {
    let mut body = draft();
    body["client_name"] = json!(client);
    body["client_email"] = json!(format!(
        "{}@example.com",
        client.split(' ').next().unwrap().to_lowercase()
    ));
    app.sent_invoice(user, &body).await
}

/// Issues a credit note on `invoice`; answers the note and the invoice after it.
async fn credit(
    app: &TestApp,
    user: &TestUser,
    invoice: &Value,
    reason: &str,
    scope: Value,
    excess_to: &str,
) -> (Value, Value) {
    let issued = app
        .post(
            &format!("/api/invoices/{}/credit-notes", id(invoice)),
            &user.token,
            &json!({ "reason": reason, "scope": scope, "excess_to": excess_to }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    (issued["credit_note"].clone(), issued["invoice"].clone())
}

#[tokio::test]
async fn credit_notes_are_exported_and_counted_in_the_reports() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let vat_19 = id(&app
        .post(
            "/api/tax-rates",
            &user.token,
            &json!({ "name": "VAT 19 %", "percent": "19", "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body);

    // EUR, 2 × 100.00 at 19 %, paid in full: one unit credited (119.00), all of it beyond the
    // amount due, refunded on the payment.
    let mut body = draft();
    body["client_name"] = json!("Formula Co");
    body["client_email"] = json!("ap@formula.example");
    body["currency"] = json!("EUR");
    body["items"] = json!([{ "description": "Licence", "quantity": 2, "unit_amount": 10_000, "tax_rate_id": vat_19 }]);
    let euro = app.sent_invoice(&user, &body).await;
    app.record_payment(&user, &id(&euro), 23_800, "bank_transfer")
        .await;
    let (refunded, euro_after) = credit(
        &app,
        &user,
        &euro,
        FORMULA_REASON,
        json!({ "kind": "lines", "lines": [{ "line": 0, "quantity": 1 }] }),
        "refund",
    )
    .await;
    assert_eq!(
        (
            refunded["gross_total"].as_i64(),
            refunded["excess"].as_i64()
        ),
        (Some(11_900), Some(11_900))
    );
    assert_eq!(euro_after["status"], "paid");
    // Unpaid, credited in full: nothing beyond the amount due.
    let cancelled = sent_for(&app, &user, "Cancelled Ltd").await;
    let (whole, cancelled_after) = credit(
        &app,
        &user,
        &cancelled,
        QUOTED_REASON,
        json!({ "kind": "remaining" }),
        "credit_balance",
    )
    .await;
    assert_eq!(cancelled_after["status"], "credited");
    assert_eq!(whole["excess"], 0);
    // Paid 100.00 of 384.99, then 375.00 credited: 90.01 beyond the amount due, kept as the
    // customer's credit; the invoice is settled.
    let holder = sent_for(&app, &user, "Holder GmbH").await;
    app.record_payment(&user, &id(&holder), 10_000, "cash")
        .await;
    let (kept, holder_after) = credit(
        &app,
        &user,
        &holder,
        "Returned",
        json!({ "kind": "lines", "lines": [{ "line": 0, "quantity": 3 }] }),
        "credit_balance",
    )
    .await;
    assert_eq!(
        (kept["gross_total"].as_i64(), kept["excess"].as_i64()),
        (Some(37_500), Some(9_001))
    );
    assert_eq!(holder_after["status"], "paid");
    assert_eq!(holder_after["amount_due"], 0);
    // Unpaid, 9.99 credited: 375.00 stays open.
    let open = sent_for(&app, &user, "Open Inc").await;
    let (small, open_after) = credit(
        &app,
        &user,
        &open,
        "Hosting not used",
        json!({ "kind": "lines", "lines": [{ "line": 1, "quantity": 1 }] }),
        "credit_balance",
    )
    .await;
    assert_eq!(open_after["amount_due"], 37_500);
    // Another account's credit note is in none of this account's files.
    let theirs = sent_for(&app, &other, "Not Yours Ltd").await;
    credit(
        &app,
        &other,
        &theirs,
        "Not yours",
        json!({ "kind": "remaining" }),
        "credit_balance",
    )
    .await;

    let today = today();
    let range = format!("from={today}&to={today}");
    let file = csv_file(
        &app,
        &user,
        &format!("/api/exports/credit-notes.csv?{range}"),
    )
    .await;
    assert_eq!(file.content_type, "text/csv; charset=utf-8; header=present");
    assert_eq!(
        file.disposition,
        format!("attachment; filename=\"credit-notes-{today}-to-{today}.csv\"")
    );
    let (header, _) = file.records();
    assert_eq!(
        header,
        [
            "number",
            "issue_date",
            "invoice_number",
            "customer_id",
            "customer_name",
            "currency",
            "reason",
            "net",
            "tax",
            "gross",
            "excess",
            "excess_to",
            "credit_note_id",
            "invoice_id"
        ]
    );
    let rows = file.rows();
    let numbers: Vec<&str> = rows.iter().map(|row| row["number"].as_str()).collect();
    assert_eq!(
        numbers,
        ["CN-000001", "CN-000002", "CN-000003", "CN-000004"]
    );
    let first = &rows[0];
    assert_eq!(first["issue_date"], today.to_string());
    assert_eq!(first["invoice_number"], euro["number"].as_str().unwrap());
    assert_eq!(first["customer_id"], euro["customer_id"].as_str().unwrap());
    assert_eq!(first["customer_name"], "Formula Co");
    assert_eq!(first["currency"], "EUR");
    // A reason that starts like a formula is written as text.
    assert_eq!(first["reason"], format!("'{FORMULA_REASON}"));
    assert_eq!(
        (
            first["net"].as_str(),
            first["tax"].as_str(),
            first["gross"].as_str()
        ),
        ("100.00", "19.00", "119.00")
    );
    assert_eq!(
        (first["excess"].as_str(), first["excess_to"].as_str()),
        ("119.00", "refund")
    );
    assert_eq!(first["credit_note_id"], refunded["id"].as_str().unwrap());
    assert_eq!(first["invoice_id"], id(&euro));
    let second = &rows[1];
    assert_eq!(second["reason"], QUOTED_REASON);
    assert_eq!(
        (
            second["gross"].as_str(),
            second["excess"].as_str(),
            second["excess_to"].as_str()
        ),
        ("384.99", "0.00", "")
    );
    assert_eq!(second["credit_note_id"], whole["id"].as_str().unwrap());
    assert!(
        file.text
            .contains(&format!(",\"{}\",", QUOTED_REASON.replace('"', "\"\"")))
    );
    assert_eq!(
        (
            rows[2]["gross"].as_str(),
            rows[2]["excess"].as_str(),
            rows[2]["excess_to"].as_str()
        ),
        ("375.00", "90.01", "credit_balance")
    );
    assert_eq!(rows[3]["credit_note_id"], small["id"].as_str().unwrap());
    assert!(!file.text.contains("Not yours"));

    // The tax report: credit notes on lines of their own, negative, beside the invoices.
    let tax = csv_file(&app, &user, &format!("/api/exports/tax-report.csv?{range}")).await;
    let period = today.format("%Y-%m").to_string();
    let (_, records) = tax.records();
    assert_eq!(
        records,
        [
            [
                &period,
                "credit_note",
                "EUR",
                "S",
                "19",
                "-100.00",
                "-19.00",
                "-119.00",
                "1"
            ],
            [
                &period,
                "credit_note",
                "USD",
                "O",
                "0",
                "-769.98",
                "0.00",
                "-769.98",
                "3"
            ],
            [
                &period, "invoice", "EUR", "S", "19", "200.00", "38.00", "238.00", "1"
            ],
            [
                &period, "invoice", "USD", "O", "0", "1154.97", "0.00", "1154.97", "3"
            ],
        ]
    );

    // The invoice export: what was credited, kept as credit and is due now.
    let invoices = csv_file(&app, &user, &format!("/api/exports/invoices.csv?{range}")).await;
    let amounts: Vec<Vec<String>> = invoices
        .rows()
        .iter()
        .map(|row| {
            [
                "status",
                "amount_paid",
                "amount_credited",
                "amount_to_balance",
                "amount_due",
            ]
            .map(|column| row[column].clone())
            .to_vec()
        })
        .collect();
    assert_eq!(
        amounts,
        [
            ["paid", "119.00", "119.00", "0.00", "0.00"],
            ["credited", "0.00", "384.99", "0.00", "0.00"],
            ["paid", "100.00", "375.00", "90.01", "0.00"],
            ["sent", "0.00", "9.99", "0.00", "375.00"],
        ]
    );
    // The payment export: the refund shows on its payment's row.
    let payments = csv_file(&app, &user, &format!("/api/exports/payments.csv?{range}")).await;
    let euro_payment = payments
        .rows()
        .into_iter()
        .find(|row| row["invoice_id"] == id(&euro))
        .unwrap();
    assert_eq!(
        (
            euro_payment["amount_refunded"].as_str(),
            euro_payment["net_amount"].as_str()
        ),
        ("119.00", "119.00")
    );

    // The aging and the dashboard: only what the credit notes left open.
    let aging = app
        .get("/api/reports/aging", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let currencies = aging["currencies"].as_array().unwrap();
    assert_eq!(currencies.len(), 1, "{aging:#}");
    assert_eq!(currencies[0]["currency"], "USD");
    assert_eq!(currencies[0]["totals"]["total"], 37_500);
    assert_eq!(currencies[0]["totals"]["invoice_count"], 1);
    let listed = app
        .get("/api/reports/aging/invoices?currency=USD", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let listed = listed["data"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0]["id"].as_str(), listed[0]["open_amount"].as_i64()),
        (Some(id(&open).as_str()), Some(37_500))
    );
    let dashboard = app
        .get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let usd = dashboard["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "USD")
        .unwrap();
    assert_eq!(usd["outstanding"], 37_500);
    assert_eq!(usd["outstanding_count"], 1);
    assert_eq!(usd["paid_this_month"], 10_000);
    assert_eq!(usd["credited_this_month"], 38_499 + 37_500 + 999);
    let eur = dashboard["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "EUR")
        .unwrap();
    // Paid 238.00, 119.00 of it refunded by the credit note this month.
    assert_eq!(eur["paid_this_month"], 11_900);
    assert_eq!(eur["credited_this_month"], 11_900);
    let this_month = &dashboard["months"].as_array().unwrap().last().unwrap();
    assert!(this_month["credited"].as_i64().unwrap() > 0);

    // The statements: the note lowers the balance, its refund raises it again (with the
    // note's number); the excess kept as credit leaves the customer in credit.
    let statement = |customer: &Value| {
        let path = format!(
            "/api/customers/{}/statement",
            customer["customer_id"].as_str().unwrap()
        );
        let app = &app;
        let token = user.token.clone();
        async move { app.get(&path, &token).await.expect(StatusCode::OK).body["currencies"][0].clone() }
    };
    let formula = statement(&euro).await;
    let entries: Vec<(&str, &str, i64)> = formula["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["kind"].as_str().unwrap(),
                entry["number"].as_str().unwrap(),
                entry["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    let number = euro["number"].as_str().unwrap();
    assert_eq!(
        entries,
        [
            ("invoice", number, 23_800),
            ("payment", number, -23_800),
            ("credit_note", "CN-000001", -11_900),
            ("refund", "CN-000001", 11_900),
        ]
    );
    assert_eq!(
        formula["entries"][3]["credit_note_id"],
        refunded["id"].clone()
    );
    assert_eq!(
        (
            formula["paid"].as_i64(),
            formula["credited"].as_i64(),
            formula["closing_balance"].as_i64(),
            formula["credit_balance"].as_i64()
        ),
        (Some(11_900), Some(11_900), Some(0), Some(0))
    );
    let holding = statement(&holder).await;
    assert_eq!(
        (
            holding["invoiced"].as_i64(),
            holding["paid"].as_i64(),
            holding["credited"].as_i64(),
            holding["closing_balance"].as_i64(),
            holding["credit_balance"].as_i64()
        ),
        (
            Some(38_499),
            Some(10_000),
            Some(37_500),
            Some(-9_001),
            Some(9_001)
        )
    );
}
