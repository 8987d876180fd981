//! CSV exports: the caller's invoices, invoice lines, payments and tax report over a range of
//! days, read back with the `csv` crate and checked value by value (the credit-note export, and
//! credit notes in the others, are in `credit_note_reports`).

use crate::support::{TestApp, TestUser, draft, id, today};
use chrono::{DateTime, Days, SecondsFormat, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A CSV answer: its headers and its text.
pub struct CsvFile {
    pub content_type: String,
    pub disposition: String,
    pub cache_control: String,
    pub text: String,
}

impl CsvFile {
    /// The header line and the records, as the `csv` crate reads them.
    pub fn records(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(self.text.as_bytes());
        let header = reader
            .headers()
            .expect("a header line")
            .iter()
            .map(str::to_owned)
            .collect();
        let records = reader
            .records()
            .map(|record| {
                record
                    .expect("a well-formed record")
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        (header, records)
    }

    /// The records as maps from column to value.
    pub fn rows(&self) -> Vec<std::collections::BTreeMap<String, String>> {
        let (header, records) = self.records();
        records
            .into_iter()
            .map(|record| header.iter().cloned().zip(record).collect())
            .collect()
    }
}

/// `GET path` as `user`, which must answer 200 with a CSV file.
pub async fn csv_file(app: &TestApp, user: &TestUser, path: &str) -> CsvFile {
    let response = app
        .http
        .get(format!("{}{path}", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .expect("the API answers");
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition, cache_control) = (
        header("content-type"),
        header("content-disposition"),
        header("cache-control"),
    );
    let text = response.text().await.expect("the whole file");
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    CsvFile {
        content_type,
        disposition,
        cache_control,
        text,
    }
}

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const QUOTED: &str = "Smith, \"The Best\" & Co";

async fn tax_rate(app: &TestApp, user: &TestUser, percent: &str) -> String {
    id(&app
        .post(
            "/api/tax-rates",
            &user.token,
            &json!({ "name": format!("VAT {percent} %"), "percent": percent, "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body)
}

#[tokio::test]
async fn exports_write_invoices_lines_payments_and_the_tax_report() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let (vat_19, vat_7) = (
        tax_rate(&app, &user, "19").await,
        tax_rate(&app, &user, "7").await,
    );
    let from = today() - Days::new(40);
    let issued = today() - Days::new(3);

    // EUR, for a customer whose name is a formula, two rates, a description of two lines with
    // a comma and quotes; partly paid with a reference that starts like a formula.
    let mut body = draft();
    body["client_name"] = json!(FORMULA);
    body["client_email"] = json!("evil@example.com");
    body["currency"] = json!("EUR");
    body["issue_date"] = json!(issued);
    body["items"] = json!([
        { "description": "Design work\nphase one, \"final\"", "quantity": 2, "unit_amount": 10_000, "tax_rate_id": vat_19 },
        { "description": "-Hosting", "quantity": "1.5", "unit": "MON", "unit_amount": 5_000, "tax_rate_id": vat_7 }
    ]);
    let euro = app.sent_invoice(&user, &body).await;
    let euro_id = id(&euro);
    let payment = app
        .pay(
            &user,
            &euro_id,
            json!({ "amount": 10_000, "method": "bank_transfer", "reference": "+49 transfer" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body["payment"]
        .clone();
    // JPY, untaxed, for a customer with a comma and quotes in its name.
    let mut body = draft();
    body["client_name"] = json!(QUOTED);
    body["client_email"] = json!("smith@example.com");
    body["currency"] = json!("JPY");
    body["issue_date"] = json!(issued);
    body["items"] = json!([{ "description": "Consulting", "quantity": 3, "unit_amount": 1_234 }]);
    let yen = app.sent_invoice(&user, &body).await;
    // Voided after sending: listed with its status, left out of the tax report.
    let void = app.sent_invoice(&user, &draft()).await;
    app.post(
        &format!("/api/invoices/{}/void", id(&void)),
        &user.token,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    // Outside the range, a draft, and another account's invoice: nowhere.
    let mut old = draft();
    old["issue_date"] = json!(from - Days::new(1));
    app.sent_invoice(&user, &old).await;
    app.create_invoice(&user, &draft()).await;
    let mut theirs = draft();
    theirs["client_name"] = json!("Not Yours Ltd");
    let theirs = app.sent_invoice(&other, &theirs).await;
    app.record_payment(&other, &id(&theirs), 500, "cash").await;

    let range = format!("from={from}&to={}", today());
    let invoices = csv_file(&app, &user, &format!("/api/exports/invoices.csv?{range}")).await;

    assert_eq!(
        invoices.content_type,
        "text/csv; charset=utf-8; header=present"
    );
    assert_eq!(
        invoices.disposition,
        format!(
            "attachment; filename=\"invoices-{from}-to-{}.csv\"",
            today()
        )
    );
    assert_eq!(invoices.cache_control, "private, no-store");
    // UTF-8 without a byte order mark, CRLF line ends.
    assert!(invoices.text.starts_with("number,issue_date,due_date,"));
    assert!(invoices.text.ends_with("\r\n"));
    assert_eq!(
        invoices.text.matches("\r\n").count(),
        invoices.text.matches('\n').count()
    );
    let (header, _) = invoices.records();
    assert_eq!(
        header,
        [
            "number",
            "issue_date",
            "due_date",
            "supply_date",
            "status",
            "customer_id",
            "customer_name",
            "customer_email",
            "customer_tax_id",
            "customer_country",
            "currency",
            "net",
            "tax",
            "gross",
            "amount_paid",
            "amount_credited",
            "amount_to_balance",
            "amount_due",
            "paid_date",
            "voided_date",
            "invoice_id"
        ]
    );
    let rows = invoices.rows();
    assert_eq!(rows.len(), 3, "{}", invoices.text);
    let euro_row = &rows[0];
    assert_eq!(euro_row["number"], euro["number"].as_str().unwrap());
    assert_eq!(euro_row["issue_date"], issued.to_string());
    assert_eq!(euro_row["due_date"], euro["due_date"].as_str().unwrap());
    assert_eq!(euro_row["supply_date"], "");
    assert_eq!(euro_row["status"], "sent");
    assert_eq!(
        euro_row["customer_id"],
        euro["customer_id"].as_str().unwrap()
    );
    assert_eq!(euro_row["customer_name"], format!("'{FORMULA}"));
    assert_eq!(euro_row["customer_email"], "evil@example.com");
    assert_eq!(euro_row["customer_tax_id"], "");
    assert_eq!(euro_row["currency"], "EUR");
    // 2 × 100.00 at 19 % and 1.5 × 50.00 at 7 %.
    assert_eq!(euro_row["net"], "275.00");
    assert_eq!(euro_row["tax"], "43.25");
    assert_eq!(euro_row["gross"], "318.25");
    assert_eq!(euro_row["amount_paid"], "100.00");
    assert_eq!(euro_row["amount_credited"], "0.00");
    assert_eq!(euro_row["amount_to_balance"], "0.00");
    assert_eq!(euro_row["amount_due"], "218.25");
    assert_eq!(euro_row["paid_date"], "");
    assert_eq!(euro_row["voided_date"], "");
    assert_eq!(euro_row["invoice_id"], euro_id);
    let yen_row = &rows[1];
    assert_eq!(yen_row["customer_name"], QUOTED);
    assert_eq!(
        (
            yen_row["net"].as_str(),
            yen_row["tax"].as_str(),
            yen_row["gross"].as_str()
        ),
        ("3702", "0", "3702")
    );
    assert_eq!(yen_row["amount_due"], "3702");
    assert_eq!(yen_row["invoice_id"], id(&yen));
    let void_row = &rows[2];
    assert_eq!(void_row["status"], "void");
    assert_eq!(void_row["voided_date"], today().to_string());
    assert_eq!(void_row["amount_due"], "384.99");
    // A quoted field keeps its comma and quotes, and comes out of the file as it went in.
    assert!(
        invoices
            .text
            .contains(&format!(",\"{}\",", QUOTED.replace('"', "\"\"")))
    );

    let lines = csv_file(
        &app,
        &user,
        &format!("/api/exports/invoice-lines.csv?{range}"),
    )
    .await;
    assert_eq!(
        lines.disposition,
        format!(
            "attachment; filename=\"invoice-lines-{from}-to-{}.csv\"",
            today()
        )
    );
    let rows = lines.rows();
    assert_eq!(rows.len(), 2 + 1 + 2, "{}", lines.text);
    let first = &rows[0];
    assert_eq!(first["number"], euro["number"].as_str().unwrap());
    assert_eq!(first["customer_name"], format!("'{FORMULA}"));
    assert_eq!(first["line"], "1");
    assert_eq!(first["description"], "Design work\nphase one, \"final\"");
    assert_eq!(first["quantity"], "2");
    assert_eq!(first["unit"], "C62");
    assert_eq!(first["unit_price"], "100.00");
    assert_eq!(first["tax_category"], "S");
    assert_eq!(first["tax_percent"], "19");
    assert_eq!(first["currency"], "EUR");
    assert_eq!(first["net"], "200.00");
    let second = &rows[1];
    assert_eq!(second["line"], "2");
    assert_eq!(second["description"], "'-Hosting");
    assert_eq!(second["quantity"], "1.5");
    assert_eq!(second["unit"], "MON");
    assert_eq!(second["unit_price"], "50.00");
    assert_eq!(second["tax_percent"], "7");
    assert_eq!(second["net"], "75.00");
    let yen_line = &rows[2];
    assert_eq!(
        (
            yen_line["unit_price"].as_str(),
            yen_line["net"].as_str(),
            yen_line["tax_category"].as_str(),
            yen_line["tax_percent"].as_str(),
            yen_line["exemption_reason"].as_str()
        ),
        ("1234", "3702", "O", "0", "Not subject to tax")
    );
    assert_eq!(rows[3]["status"], "void");

    let payments = csv_file(&app, &user, &format!("/api/exports/payments.csv?{range}")).await;
    let rows = payments.rows();
    assert_eq!(rows.len(), 1, "{}", payments.text);
    let recorded: DateTime<Utc> = payment["recorded_at"].as_str().unwrap().parse().unwrap();
    let row = &rows[0];
    assert_eq!(row["date"], recorded.date_naive().to_string());
    assert_eq!(
        row["recorded_at"],
        recorded.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    assert_eq!(row["number"], euro["number"].as_str().unwrap());
    assert_eq!(row["customer_name"], format!("'{FORMULA}"));
    assert_eq!(row["method"], "bank_transfer");
    assert_eq!(row["reference"], "'+49 transfer");
    assert_eq!(row["transaction_id"], "");
    assert_eq!(row["currency"], "EUR");
    assert_eq!(row["amount"], "100.00");
    assert_eq!(row["amount_refunded"], "0.00");
    assert_eq!(row["net_amount"], "100.00");
    assert_eq!(row["status"], "succeeded");
    assert_eq!(row["payment_id"], payment["id"].as_str().unwrap());
    assert_eq!(row["invoice_id"], euro_id);

    let tax = csv_file(&app, &user, &format!("/api/exports/tax-report.csv?{range}")).await;
    let period = issued.format("%Y-%m").to_string();
    let (header, records) = tax.records();
    assert_eq!(
        header,
        [
            "period",
            "document_type",
            "currency",
            "tax_category",
            "tax_percent",
            "net",
            "tax",
            "gross",
            "documents"
        ]
    );
    assert_eq!(
        records,
        [
            [
                &period, "invoice", "EUR", "S", "7", "75.00", "5.25", "80.25", "1"
            ],
            [
                &period, "invoice", "EUR", "S", "19", "200.00", "38.00", "238.00", "1"
            ],
            [
                &period, "invoice", "JPY", "O", "0", "3702", "0", "3702", "1"
            ],
        ]
    );

    // The other account sees its own payment and invoice only.
    let theirs_csv = csv_file(&app, &other, &format!("/api/exports/invoices.csv?{range}")).await;
    let rows = theirs_csv.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["customer_name"], "Not Yours Ltd");
    for kind in [
        "invoices",
        "invoice-lines",
        "payments",
        "credit-notes",
        "tax-report",
    ] {
        let text = csv_file(&app, &other, &format!("/api/exports/{kind}.csv?{range}"))
            .await
            .text;
        for mine in [FORMULA, QUOTED, "evil@example.com", euro_id.as_str()] {
            assert!(!text.contains(mine), "{kind}: {text}");
        }
    }
    // An empty range is a header alone.
    let empty = csv_file(
        &app,
        &user,
        "/api/exports/payments.csv?from=2001-01-01&to=2001-12-31",
    )
    .await;
    assert_eq!(empty.text.matches("\r\n").count(), 1);
    assert!(empty.text.starts_with("date,recorded_at,number,"));
}

#[tokio::test]
async fn exports_refuse_bad_ranges_with_a_problem() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let cases: [(&str, Value); 6] = [
        (
            "from=2026-03-02&to=2026-03-01",
            json!({ "to": ["must not be before from"] }),
        ),
        (
            "from=2024-01-01&to=2025-01-01",
            json!({ "to": ["must be at most 366 days from from, both included"] }),
        ),
        (
            "from=2026-02-30&to=2026-03-01",
            json!({ "from": ["must be a date like 2026-11-24"] }),
        ),
        ("from=2026-01-01", json!({ "to": ["is required"] })),
        (
            "",
            json!({ "from": ["is required"], "to": ["is required"] }),
        ),
        (
            "from=&to=tomorrow",
            json!({ "from": ["is required"], "to": ["must be a date like 2026-11-24"] }),
        ),
    ];
    for kind in [
        "invoices",
        "invoice-lines",
        "payments",
        "credit-notes",
        "tax-report",
    ] {
        for (query, errors) in &cases {
            let problem = app
                .get(&format!("/api/exports/{kind}.csv?{query}"), &user.token)
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(&problem["errors"], errors, "{kind} {query}");
        }
        // A whole leap year is the longest range.
        csv_file(
            &app,
            &user,
            &format!("/api/exports/{kind}.csv?from=2024-01-01&to=2024-12-31"),
        )
        .await;
        app.get(
            &format!("/api/exports/{kind}.csv?from=2024-01-01&to=2024-12-31&extra=1"),
            &user.token,
        )
        .await
        .problem(StatusCode::BAD_REQUEST);
        app.request(
            reqwest::Method::GET,
            &format!("/api/exports/{kind}.csv?from=2024-01-01&to=2024-12-31"),
            None,
            None,
        )
        .await
        .problem(StatusCode::UNAUTHORIZED);
    }
    app.get(
        "/api/exports/customers.csv?from=2024-01-01&to=2024-01-31",
        &user.token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}
