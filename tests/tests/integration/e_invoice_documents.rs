//! E-invoices as documents: a sent invoice's e-invoice is stored with its PDF version (the XML
//! beside it, or for Factur-X the PDF itself as the hybrid), e-mailed with it, and served by
//! `GET /api/invoices/{id}/e-invoice`, in the customer's format or written in another from the
//! model stored with the version. What each answer must be is worked out from that stored
//! model with the product's own writer and rules, never written down by hand.

use crate::{
    e_invoicing::{LEITWEG_ID, draft_for, public_buyer, xrechnung_seller},
    support::{TestApp, TestUser, eventually, id},
};
use invoicing_einvoice::{Format, model};
use reqwest::{StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// A customer of the account with this test's own address (e-mails are told apart by it),
/// receiving `format`.
async fn customer(app: &TestApp, user: &TestUser, format: &str) -> (String, String) {
    let email = format!("ap-{}@bezirksamt.example", Uuid::new_v4().simple());
    let mut body = public_buyer(Some(LEITWEG_ID));
    body["emails"] = json!([email]);
    body["e_invoice_format"] = json!(format);
    let customer = app
        .post("/api/customers", &user.token, &body)
        .await
        .expect(StatusCode::CREATED)
        .body;
    (id(&customer), email)
}

/// Sends a draft for the customer and waits until the invoice e-mail went out (the version is
/// rendered before it); returns the invoice's id.
async fn sent_to(app: &TestApp, user: &TestUser, customer_id: &str) -> String {
    let draft = draft_for(app, user, customer_id).await;
    let invoice_id = id(&draft);
    app.post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK);
    eventually("the invoice e-mail", Duration::from_secs(60), || async {
        let notifications = app.notifications(user, &invoice_id).await;
        notifications
            .iter()
            .any(|n| n["type"] == "email_sent")
            .then_some(())
    })
    .await;
    invoice_id
}

/// The version's stored e-invoice: its format, its model, its XML's key.
async fn stored(app: &TestApp, invoice_id: &str) -> (String, model::Invoice, Option<String>) {
    let (format, model, key): (String, Value, Option<String>) = sqlx::query_as(
        "SELECT e_invoice_format, e_invoice, e_invoice_key FROM invoice_documents
         WHERE invoice_id = $1::uuid AND version = 1",
    )
    .bind(invoice_id)
    .fetch_one(&app.db.pool)
    .await
    .expect("version 1 with its e-invoice");
    (
        format,
        serde_json::from_value(model).expect("the stored model reads"),
        key,
    )
}

/// A download: status, headers, bytes.
async fn download(
    app: &TestApp,
    user: &TestUser,
    invoice_id: &str,
    query: &str,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = app
        .http
        .get(format!(
            "{}/api/invoices/{invoice_id}/e-invoice{query}",
            app.address
        ))
        .bearer_auth(&user.token)
        .send()
        .await
        .expect("the API answers");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// The ids of the fatal rules the product finds in `model` as `format`.
fn fatal_rules(model: &model::Invoice, format: Format) -> Vec<&'static str> {
    invoicing_einvoice::check(model, format)
        .into_iter()
        .filter(|finding| finding.severity == invoicing_einvoice::Severity::Fatal)
        .map(|finding| finding.rule)
        .collect()
}

/// Asks for `format` and checks the answer against what the stored model makes of it: the XML
/// written from it, or a 422 listing the rules it breaks.
async fn another_format(
    app: &TestApp,
    user: &TestUser,
    invoice_id: &str,
    model: &model::Invoice,
    format: Format,
) {
    let (status, headers, body) =
        download(app, user, invoice_id, &format!("?format={format}")).await;
    let fatal = fatal_rules(model, format);
    if fatal.is_empty() {
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        assert_eq!(headers["content-type"], "application/xml");
        assert_eq!(
            headers["content-disposition"],
            format!(
                "attachment; filename=\"{}\"",
                format.file_name(&model.number)
            )
        );
        assert_eq!(body, invoicing_einvoice::write(model, format), "{format}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains(format.specification()),
            "the document declares {format}"
        );
    } else {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(headers["content-type"], "application/problem+json");
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["type"], "/problems/e-invoice-rejected", "{problem}");
        let rules: Vec<&str> = problem["rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|rule| rule["fatal"] == true)
            .map(|rule| rule["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules, fatal, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(format.title()),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn an_xrechnung_invoice_stores_emails_and_serves_its_xml_beside_the_pdf() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    xrechnung_seller(&app, &user).await;
    let (customer_id, email) = customer(&app, &user, "xrechnung_ubl").await;
    let invoice_id = sent_to(&app, &user, &customer_id).await;

    // Stored: the model, the format and the XML at its versioned key, as application/xml.
    let (format, model, key) = stored(&app, &invoice_id).await;
    assert_eq!(format, "xrechnung_ubl");
    assert_eq!(model.number, "RE-00001");
    assert_eq!(model.buyer_reference.as_deref(), Some(LEITWEG_ID));
    let xml_key = format!("invoices/{invoice_id}/v1.xrechnung_ubl.xml");
    assert_eq!(key.as_deref(), Some(xml_key.as_str()));
    let mut keys = app.aws.keys().await;
    keys.sort();
    assert_eq!(
        keys,
        [format!("invoices/{invoice_id}/v1.pdf"), xml_key.clone()]
    );
    assert_eq!(
        app.aws.content_type(&xml_key).await.as_deref(),
        Some("application/xml")
    );
    assert_eq!(
        app.aws.encryption(&xml_key).await.as_deref(),
        Some("AES256")
    );
    let xml = app.aws.object(&xml_key).await;
    assert_eq!(
        xml,
        invoicing_einvoice::write(&model, Format::XrechnungUbl),
        "the stored XML is the stored model's"
    );
    assert!(fatal_rules(&model, Format::XrechnungUbl).is_empty());

    // E-mailed: the PDF, then the XML under the name its format gives it.
    let emails = app.aws.wait_for_emails(&email, 1).await;
    assert_eq!(emails.len(), 1, "{emails:#?}");
    let attachments = &emails[0].attachments;
    let names: Vec<&str> = attachments.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["RE-00001.pdf", "RE-00001-xrechnung-ubl.xml"]);
    assert_eq!(
        attachments[0].1,
        app.aws
            .object(&format!("invoices/{invoice_id}/v1.pdf"))
            .await
    );
    assert_eq!(attachments[1].1, xml);

    // Served: the stored XML, byte for byte, as a file to save.
    let (status, headers, body) = download(&app, &user, &invoice_id, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/xml");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"RE-00001-xrechnung-ubl.xml\""
    );
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(body, xml);
    let (status, _, body) = download(&app, &user, &invoice_id, "?format=xrechnung_ubl").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, xml);

    // The other XML formats, written from what was sent.
    another_format(&app, &user, &invoice_id, &model, Format::PeppolUbl).await;
    another_format(&app, &user, &invoice_id, &model, Format::XrechnungCii).await;

    // Factur-X is the sent PDF itself, and this customer's is a plain one.
    let problem = app
        .get(
            &format!("/api/invoices/{invoice_id}/e-invoice?format=factur_x"),
            &user.token,
        )
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/not-factur-x", "{problem}");
}

/// The files a PDF embeds: each file specification's name (`/F`) and its embedded file
/// (`/EF /F`), decompressed.
fn embedded_files(pdf: &[u8]) -> Vec<(String, Vec<u8>)> {
    let document = lopdf::Document::load_mem(pdf).expect("a PDF");
    document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| {
            dict.get(b"Type")
                .and_then(|kind| kind.as_name())
                .is_ok_and(|kind| kind == b"Filespec")
        })
        .map(|spec| {
            let name = spec
                .get(b"F")
                .and_then(|name| name.as_str())
                .map(|name| String::from_utf8_lossy(name).into_owned())
                .expect("a file specification names its file");
            let file = spec
                .get(b"EF")
                .and_then(|ef| ef.as_dict())
                .and_then(|ef| ef.get(b"F"))
                .and_then(|file| file.as_reference())
                .and_then(|id| document.get_object(id))
                .and_then(|file| file.as_stream())
                .expect("the file is embedded");
            let bytes = file
                .decompressed_content()
                .unwrap_or_else(|_| file.content.clone());
            (name, bytes)
        })
        .collect()
}

#[tokio::test]
async fn a_factur_x_invoice_is_stored_emailed_and_served_as_the_hybrid_pdf() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    xrechnung_seller(&app, &user).await;
    let (customer_id, email) = customer(&app, &user, "factur_x").await;
    let invoice_id = sent_to(&app, &user, &customer_id).await;

    // Stored: the PDF version is the hybrid, no XML beside it; its factur-x.xml is the CII
    // written from the stored model.
    let (format, model, key) = stored(&app, &invoice_id).await;
    assert_eq!(format, "factur_x");
    assert_eq!(key, None);
    let pdf_key = format!("invoices/{invoice_id}/v1.pdf");
    assert_eq!(app.aws.keys().await, std::slice::from_ref(&pdf_key));
    let pdf = app.aws.object(&pdf_key).await;
    assert_eq!(
        embedded_files(&pdf),
        [(
            "factur-x.xml".to_owned(),
            invoicing_einvoice::write(&model, Format::FacturX)
        )]
    );

    // E-mailed: that PDF alone.
    let emails = app.aws.wait_for_emails(&email, 1).await;
    assert_eq!(emails.len(), 1, "{emails:#?}");
    let attachments = &emails[0].attachments;
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0].0, "RE-00001.pdf");
    assert_eq!(attachments[0].1, pdf);

    // Served: the same PDF, with and without the format named.
    for query in ["", "?format=factur_x"] {
        let (status, headers, body) = download(&app, &user, &invoice_id, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(
            headers["content-disposition"],
            "attachment; filename=\"RE-00001.pdf\""
        );
        assert_eq!(body, pdf, "{query}");
    }
    // An XML format, from the same model.
    another_format(&app, &user, &invoice_id, &model, Format::XrechnungCii).await;
}

#[tokio::test]
async fn downloads_that_cannot_be_served_are_refused_with_a_problem() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    xrechnung_seller(&app, &user).await;
    let (customer_id, _) = customer(&app, &user, "xrechnung_ubl").await;
    let path =
        |invoice_id: &str, query: &str| format!("/api/invoices/{invoice_id}/e-invoice{query}");

    // A draft has none yet.
    let draft = id(&draft_for(&app, &user, &customer_id).await);
    let problem = app
        .get(&path(&draft, ""), &user.token)
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/not-sent", "{problem}");

    // A customer who receives the PDF only got no e-invoice, in any format.
    let mut plain = public_buyer(Some(LEITWEG_ID));
    plain["e_invoice_format"] = Value::Null;
    plain["emails"] = json!([format!("ap-{}@plain.example", Uuid::new_v4().simple())]);
    let plain = id(&app
        .post("/api/customers", &user.token, &plain)
        .await
        .expect(StatusCode::CREATED)
        .body);
    let pdf_only = sent_to(&app, &user, &plain).await;
    for query in ["", "?format=xrechnung_cii"] {
        let problem = app
            .get(&path(&pdf_only, query), &user.token)
            .await
            .problem(StatusCode::CONFLICT);
        assert_eq!(problem["type"], "/problems/no-e-invoice", "{problem}");
    }

    let sent = sent_to(&app, &user, &customer_id).await;
    // Factur-X of a customer who receives XRechnung.
    let problem = app
        .get(&path(&sent, "?format=factur_x"), &user.token)
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/not-factur-x", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("XRechnung (UBL)"),
        "{problem}"
    );

    // A format that does not exist, in the problem shape of every bad query parameter.
    for query in [
        "?format=zugferd",
        "?format=XRECHNUNG_UBL",
        "?formats=peppol_ubl",
    ] {
        let problem = app
            .get(&path(&sent, query), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(
            problem["type"], "/problems/bad-request",
            "{query}: {problem}"
        );
    }

    // Another account's invoice is not found, whatever is asked of it.
    let stranger = app.user().await;
    for query in ["", "?format=peppol_ubl", "?format=factur_x"] {
        let problem = app
            .get(&path(&sent, query), &stranger.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(problem["type"], "/problems/not-found", "{problem}");
    }
    // Nor is one that does not exist.
    app.get(&path(&Uuid::new_v4().to_string(), ""), &user.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}
