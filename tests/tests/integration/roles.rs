//! Every route's access rule: what an anonymous caller, an account that does not own the
//! invoice, and an administrator get. The owner's own use of each route is covered by the
//! route's own tests.

use crate::support::{TestApp, draft, id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Rule {
    method: Method,
    path: String,
    body: Option<Value>,
    anonymous: StatusCode,
    user: StatusCode,
    admin: StatusCode,
}

fn rule(
    method: Method,
    path: impl Into<String>,
    body: Option<Value>,
    [anonymous, user, admin]: [u16; 3],
) -> Rule {
    let status = |code| StatusCode::from_u16(code).unwrap();
    Rule {
        method,
        path: path.into(),
        body,
        anonymous: status(anonymous),
        user: status(user),
        admin: status(admin),
    }
}

#[tokio::test]
async fn every_route_answers_anonymous_callers_users_and_administrators_by_its_rule() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let user = app.user().await;
    let admin = app.admin().await;
    // An account for the administrators' account routes to act on.
    let managed = app.user().await;
    let draft_id = id(&app.create_invoice(&owner, &draft()).await);
    let sent_id = id(&app.sent_invoice(&owner, &draft()).await);
    let customer_id = id(&app
        .post(
            "/api/customers",
            &owner.token,
            &json!({ "display_name": "Acme", "emails": ["ap@acme.example"] }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body);
    let tax_rate_id = id(&app
        .post(
            "/api/tax-rates",
            &owner.token,
            &json!({ "name": "VAT 19 %", "percent": "19", "category": "S" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body);
    app.pdf_rendered(&sent_id).await;
    let before = (
        app.invoice(&owner, &draft_id).await,
        app.invoice(&owner, &sent_id).await,
        app.timeline(&owner, &sent_id).await,
    );
    let on = |id: &str, rest: &str| format!("/api/invoices/{id}{rest}");
    use Method as M;
    let rules = [
        // Accounts and settings: everyone signed in has their own.
        rule(M::GET, "/api/users/me", None, [401, 200, 200]),
        rule(M::GET, "/api/settings/reminders", None, [401, 200, 200]),
        rule(M::GET, "/api/settings/seller", None, [401, 200, 200]),
        rule(
            M::PUT,
            "/api/settings/seller",
            Some(json!({
                "display_name": "Someone Ltd",
                "address": { "lines": ["1 Main Street"], "country": "GB" }
            })),
            [401, 200, 200],
        ),
        rule(M::GET, "/api/invoices", None, [401, 200, 200]),
        rule(M::GET, "/api/dashboard", None, [401, 200, 200]),
        rule(M::GET, "/api/payments", None, [401, 200, 200]),
        rule(M::GET, "/api/customers", None, [401, 200, 200]),
        rule(M::GET, "/api/tax-rates", None, [401, 200, 200]),
        rule(
            M::POST,
            "/api/customers",
            Some(json!({ "display_name": "x" })),
            [401, 422, 422],
        ),
        rule(
            M::POST,
            "/api/tax-rates",
            Some(json!({ "name": "x" })),
            [401, 422, 422],
        ),
        // Someone else's customers and tax rates: hidden from everyone else, administrators
        // included (they read every account's invoices, not its records).
        rule(
            M::GET,
            format!("/api/customers/{customer_id}"),
            None,
            [401, 404, 404],
        ),
        rule(
            M::PUT,
            format!("/api/customers/{customer_id}"),
            Some(json!({ "display_name": "Mine now", "emails": ["me@x.example"] })),
            [401, 404, 404],
        ),
        rule(
            M::DELETE,
            format!("/api/customers/{customer_id}"),
            None,
            [401, 404, 404],
        ),
        rule(
            M::POST,
            format!("/api/customers/{customer_id}/archive"),
            None,
            [401, 404, 404],
        ),
        rule(
            M::GET,
            format!("/api/tax-rates/{tax_rate_id}"),
            None,
            [401, 404, 404],
        ),
        rule(
            M::PATCH,
            format!("/api/tax-rates/{tax_rate_id}"),
            Some(json!({ "name": "Mine now" })),
            [401, 404, 404],
        ),
        rule(
            M::POST,
            format!("/api/tax-rates/{tax_rate_id}/archive"),
            None,
            [401, 404, 404],
        ),
        rule(
            M::POST,
            "/api/invoices",
            Some(json!({ "notes": "x" })),
            [401, 422, 422],
        ),
        // Someone else's invoice: hidden from users, readable (not changeable) by admins.
        rule(M::GET, on(&sent_id, ""), None, [401, 404, 200]),
        rule(M::GET, on(&sent_id, "/events"), None, [401, 404, 200]),
        rule(M::GET, on(&sent_id, "/payments"), None, [401, 404, 200]),
        rule(M::GET, on(&sent_id, "/pdf"), None, [401, 404, 403]),
        rule(M::GET, on(&sent_id, "/e-invoice"), None, [401, 404, 403]),
        rule(
            M::PATCH,
            on(&draft_id, ""),
            Some(json!({ "notes": "Mine now" })),
            [401, 404, 403],
        ),
        rule(M::DELETE, on(&draft_id, ""), None, [401, 404, 403]),
        rule(M::POST, on(&draft_id, "/send"), None, [401, 404, 403]),
        rule(M::POST, on(&sent_id, "/void"), None, [401, 404, 403]),
        rule(
            M::PATCH,
            on(&sent_id, "/due-date"),
            Some(json!({ "due_date": "2031-01-01" })),
            [401, 404, 403],
        ),
        rule(
            M::POST,
            on(&sent_id, "/payments"),
            Some(json!({ "amount": 100, "method": "cash" })),
            [401, 404, 403],
        ),
        rule(M::POST, on(&sent_id, "/checkout"), None, [401, 404, 403]),
        // Administrators only.
        rule(M::GET, "/api/admin/users", None, [401, 403, 200]),
        rule(M::GET, "/api/admin/invoices", None, [401, 403, 200]),
        rule(M::GET, "/api/admin/reconciliation", None, [401, 403, 200]),
        rule(
            M::PUT,
            format!("/api/admin/users/{}/disabled", managed.id),
            None,
            [401, 403, 200],
        ),
        rule(
            M::DELETE,
            format!("/api/admin/users/{}/disabled", managed.id),
            None,
            [401, 403, 200],
        ),
        rule(
            M::DELETE,
            format!("/api/admin/users/{}", uuid::Uuid::new_v4()),
            None,
            [401, 403, 404],
        ),
        // Session routes act on the caller's own session (a wrong password changes nothing).
        rule(
            M::POST,
            "/api/auth/password",
            Some(json!({ "current_password": "wrong password", "new_password": "whatever it is" })),
            [401, 422, 422],
        ),
        // Public: sign-up, sign-in, refresh (their own credentials are the check), Stripe's
        // webhooks (the signature is the check), probes and metrics.
        rule(
            M::POST,
            "/api/auth/login",
            Some(json!({ "email": "nobody@example.com", "password": "wrong password" })),
            [401, 401, 401],
        ),
        rule(
            M::POST,
            "/api/auth/refresh",
            Some(json!({ "refresh_token": "not a token" })),
            [401, 401, 401],
        ),
        rule(
            M::POST,
            "/api/auth/register",
            Some(json!({ "email": "not an address", "password": "correct horse battery" })),
            [422, 422, 422],
        ),
        rule(
            M::POST,
            "/api/webhooks/stripe",
            Some(json!({})),
            [400, 400, 400],
        ),
        rule(M::GET, "/healthz", None, [200, 200, 200]),
        rule(M::GET, "/readyz", None, [200, 200, 200]),
        rule(M::GET, "/metrics", None, [200, 200, 200]),
    ];

    for rule in &rules {
        for (who, token, expected) in [
            ("anonymous", None, rule.anonymous),
            ("user", Some(user.token.as_str()), rule.user),
            ("admin", Some(admin.token.as_str()), rule.admin),
        ] {
            let response = app
                .request(rule.method.clone(), &rule.path, token, rule.body.as_ref())
                .await;
            assert_eq!(
                response.status, expected,
                "{} {} as {who}: {:#}",
                rule.method, rule.path, response.body
            );
            if !expected.is_success() {
                response.problem(expected);
            }
        }
    }

    // Nothing the others tried changed the owner's invoices.
    let after = (
        app.invoice(&owner, &draft_id).await,
        app.invoice(&owner, &sent_id).await,
        app.timeline(&owner, &sent_id).await,
    );
    assert_eq!(after, before);

    // Signing out is for the caller's own session: anonymous callers have none.
    for path in ["/api/auth/logout", "/api/auth/logout-all"] {
        app.request(Method::POST, path, None, None)
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    app.post_empty("/api/auth/logout", &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    app.post_empty("/api/auth/logout-all", &admin.token)
        .await
        .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn administrators_list_every_account_and_every_invoice() {
    let app = TestApp::spawn().await;
    let ann = app.user().await;
    let bob = app.user().await;
    let admin = app.admin().await;
    let anns = id(&app.create_invoice(&ann, &draft()).await);
    let bobs = id(&app.sent_invoice(&bob, &draft()).await);

    let users = app
        .get("/api/admin/users", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let emails: Vec<&str> = users["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        [&admin.email, &bob.email, &ann.email],
        "newest first"
    );
    assert!(
        users["data"][0].get("password_hash").is_none(),
        "no password hashes leave the API"
    );
    assert_eq!(users["data"][0]["role"], "admin");

    let page = app
        .get("/api/admin/users?limit=2", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/admin/users?limit=2&cursor={cursor}"),
            &admin.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(rest["data"][0]["email"], ann.email.as_str());
    assert!(rest["next_cursor"].is_null());

    let all = app
        .get("/api/admin/invoices", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let listed: Vec<(&str, &str)> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|invoice| {
            (
                invoice["id"].as_str().unwrap(),
                invoice["owner_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (bobs.as_str(), bob.id.to_string().as_str()),
            (anns.as_str(), ann.id.to_string().as_str())
        ]
    );
    let sent = app
        .get("/api/admin/invoices?status=sent", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(sent["data"].as_array().unwrap().len(), 1);
    assert_eq!(sent["data"][0]["id"], bobs.as_str());
    let of_ann = app
        .get(
            &format!("/api/admin/invoices?owner_id={}", ann.id),
            &admin.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(of_ann["data"].as_array().unwrap().len(), 1);
    assert_eq!(of_ann["data"][0]["id"], anns.as_str());
    for bad in ["status=unknown", "owner_id=nope", "limit=0"] {
        app.get(&format!("/api/admin/invoices?{bad}"), &admin.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn create_admin_promotes_an_existing_account_and_refuses_a_weak_password() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let outcome = invoicing_api::admin::create_admin(&app.api_settings, &user.email, None)
        .await
        .unwrap();
    assert_eq!(outcome, invoicing_api::admin::Outcome::Promoted(user.id));
    let again = invoicing_api::admin::create_admin(&app.api_settings, &user.email, None)
        .await
        .unwrap();
    assert_eq!(again, invoicing_api::admin::Outcome::AlreadyAdmin(user.id));
    // The role is in the next access token.
    let promoted = app.sign_in(&user.email, "correct horse battery").await;
    app.get("/api/admin/users", &promoted.token)
        .await
        .expect(StatusCode::OK);

    for (email, password) in [
        ("new-admin@example.com", None),
        ("new-admin@example.com", Some("short".to_owned())),
        ("not an address", Some("correct horse battery".to_owned())),
    ] {
        assert!(
            invoicing_api::admin::create_admin(&app.api_settings, email, password)
                .await
                .is_err()
        );
    }
    let users = app
        .get("/api/admin/users", &promoted.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        users["data"].as_array().unwrap().len(),
        1,
        "nothing was created"
    );
}
