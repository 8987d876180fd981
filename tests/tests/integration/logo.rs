//! The seller's logo: uploaded as the raw image, checked from its own bytes, kept in S3 under
//! its content's hash, read back by the API and by the activities, replaced and deleted; and
//! everything that is not a small PNG or JPEG refused with nothing stored.

use crate::support::{Response, TestApp, TestUser};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

const PNG: &[u8] = include_bytes!("fixtures/logo.png");
const JPEG: &[u8] = include_bytes!("fixtures/logo.jpg");
/// A real PNG, 2001×1 pixels: one column too wide.
const TOO_WIDE: &[u8] = include_bytes!("fixtures/too-wide.png");

async fn upload(app: &TestApp, user: &TestUser, content_type: &str, bytes: &[u8]) -> Response {
    let request = app
        .http
        .put(format!("{}/api/settings/logo", app.address))
        .bearer_auth(&user.token)
        .header("content-type", content_type)
        .body(bytes.to_vec());
    Response::read(request.send().await.expect("the API answers")).await
}

/// The logo's bytes and content type, as `GET /api/settings/logo` serves them.
async fn download(app: &TestApp, user: &TestUser) -> (StatusCode, String, Vec<u8>) {
    let response = app
        .http
        .get(format!("{}/api/settings/logo", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .expect("the API answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.expect("the body").to_vec();
    (status, content_type, bytes)
}

fn key(user: &TestUser, bytes: &[u8], extension: &str) -> String {
    format!(
        "logos/{}/{}.{extension}",
        user.id,
        hex::encode(Sha256::digest(bytes))
    )
}

async fn logo_keys(app: &TestApp) -> Vec<String> {
    let mut keys: Vec<String> = app
        .aws
        .keys()
        .await
        .into_iter()
        .filter(|key| key.starts_with("logos/"))
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_logo_is_stored_read_back_replaced_and_deleted() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (status, ..) = download(&app, &user).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let recorded = upload(&app, &user, "image/png", PNG)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(recorded["content_type"], "image/png");
    assert_eq!(
        (recorded["width"].clone(), recorded["height"].clone()),
        (240.into(), 80.into())
    );
    assert_eq!(recorded["size_bytes"], PNG.len());
    let png_key = key(&user, PNG, "png");
    assert_eq!(logo_keys(&app).await, std::slice::from_ref(&png_key));
    assert_eq!(app.aws.object(&png_key).await, PNG);
    assert_eq!(
        app.aws.encryption(&png_key).await.as_deref(),
        Some("AES256"),
        "encrypted at rest, like the PDFs"
    );

    let (status, content_type, bytes) = download(&app, &user).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/png");
    assert_eq!(bytes, PNG);
    let seller = app
        .get("/api/settings/seller", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(seller["logo"], recorded);

    // The worker's side reads it for the PDF.
    let read = invoicing_activities::storage::logo(app.aws.s3(), &app.aws.names.bucket, &png_key)
        .await
        .expect("the activities read the logo");
    assert_eq!(read, PNG);

    // A new logo replaces the old one, whose object goes.
    let replaced = upload(&app, &user, "image/jpeg", JPEG)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(replaced["content_type"], "image/jpeg");
    assert_eq!(
        (replaced["width"].clone(), replaced["height"].clone()),
        (64.into(), 32.into())
    );
    assert_eq!(logo_keys(&app).await, [key(&user, JPEG, "jpg")]);
    let (_, content_type, bytes) = download(&app, &user).await;
    assert_eq!(
        (content_type.as_str(), bytes.as_slice()),
        ("image/jpeg", JPEG)
    );

    // Another account has none of it.
    let other = app.user().await;
    assert_eq!(download(&app, &other).await.0, StatusCode::NOT_FOUND);
    app.delete("/api/settings/logo", &other.token)
        .await
        .problem(StatusCode::NOT_FOUND);

    app.delete("/api/settings/logo", &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(download(&app, &user).await.0, StatusCode::NOT_FOUND);
    assert!(logo_keys(&app).await.is_empty(), "the object is gone too");
    let seller = app
        .get("/api/settings/seller", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(seller["logo"], Value::Null);
}

#[tokio::test]
async fn what_is_not_a_small_png_or_jpeg_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    for content_type in ["image/gif", "application/json", "image/svg+xml"] {
        let problem = upload(&app, &user, content_type, PNG)
            .await
            .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(
            problem["detail"].as_str().unwrap().contains("image/png"),
            "{problem:#}"
        );
    }

    let cases: [(&str, &[u8], &str); 4] = [
        (
            "image/png",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "not a PNG or JPEG",
        ),
        ("image/jpeg", PNG, "Content-Type: image/png"),
        ("image/png", TOO_WIDE, "2001\u{d7}1 pixels"),
        ("image/png", &PNG[..20], "not a readable"),
    ];
    for (content_type, bytes, message) in cases {
        let problem = upload(&app, &user, content_type, bytes)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let messages = problem["errors"]["body"].to_string();
        assert!(messages.contains(message), "{message}: {problem:#}");
    }

    // Past 512 KiB: a real PNG's bytes followed by padding, refused before it is read whole.
    let mut large = PNG.to_vec();
    large.resize(512 * 1024 + 1, 0);
    upload(&app, &user, "image/png", &large)
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(download(&app, &user).await.0, StatusCode::NOT_FOUND);
    assert!(logo_keys(&app).await.is_empty());
}
