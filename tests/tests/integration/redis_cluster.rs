//! ElastiCache in cluster mode (`APP_REDIS__CLUSTER=true`), against a real three-primary Redis
//! Cluster (`TEST_REDIS_CLUSTER_URL`, started by `scripts/test`): sessions, rate limits and the
//! invoice cache work as on one node, every key in the one hash slot of the prefix's tag.

use crate::support::{Stack, TestApp, draft, id};
use invoicing_api::RedisSettings;
use reqwest::{Method, StatusCode};
use uuid::Uuid;

fn cluster_url() -> String {
    std::env::var("TEST_REDIS_CLUSTER_URL")
        .expect("TEST_REDIS_CLUSTER_URL: a Redis Cluster node (run scripts/test)")
}

/// Keys matching `pattern` on every primary of the cluster, with the slot each is in.
async fn keys_in_cluster(pattern: &str) -> Vec<(String, i64)> {
    let client = redis::Client::open(cluster_url()).unwrap();
    let mut any = client.get_multiplexed_async_connection().await.unwrap();
    let nodes: String = redis::cmd("CLUSTER")
        .arg("NODES")
        .query_async(&mut any)
        .await
        .unwrap();
    let mut found = Vec::new();
    for line in nodes.lines().filter(|line| line.contains("master")) {
        let address = line.split(' ').nth(1).unwrap().split('@').next().unwrap();
        let node = redis::Client::open(format!("redis://{address}")).unwrap();
        let mut connection = node.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(pattern)
            .query_async(&mut connection)
            .await
            .unwrap();
        for key in keys {
            let slot: i64 = redis::cmd("CLUSTER")
                .arg("KEYSLOT")
                .arg(&key)
                .query_async(&mut connection)
                .await
                .unwrap();
            found.push((key, slot));
        }
    }
    found
}

#[tokio::test]
async fn in_cluster_mode_sessions_rate_limits_and_the_cache_work_in_one_slot() {
    let tag = format!("test-{}", Uuid::new_v4().simple());
    let settings = RedisSettings {
        url: cluster_url(),
        key_prefix: format!("{{{tag}}}:"),
        timeout_ms: 1_000,
        cluster: true,
    };
    let app = TestApp::spawn_with(Stack {
        redis: Some(settings),
        ..Stack::default()
    })
    .await;

    // Sessions and the per-account rate limit (one script over the counter and the session).
    let user = app.user().await;
    let first = app.get("/api/users/me", &user.token).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = app.get("/api/users/me", &user.token).await;
    let remaining = |response: &crate::support::Response| -> u64 {
        response.header("ratelimit-remaining").parse().unwrap()
    };
    assert_eq!(remaining(&second), remaining(&first) - 1);

    // The invoice cache: a read fills it, the next is a hit, and the worker's invalidation
    // (the send) is seen by the next read.
    let draft_id = id(&app.create_invoice(&user, &draft()).await);
    let read = app.invoice(&user, &draft_id).await;
    assert_eq!(app.invoice(&user, &draft_id).await, read);
    let metrics = app.request(Method::GET, "/metrics", None, None).await;
    let text = metrics.body.as_str().unwrap_or_default().to_owned();
    assert!(
        text.lines()
            .any(|line| line.starts_with("invoice_cache_hits_total") && !line.ends_with(" 0")),
        "a cache hit is counted:\n{text}"
    );
    let sent = app.sent_invoice(&user, &draft()).await;
    let sent_id = id(&sent);
    assert_eq!(app.invoice(&user, &sent_id).await["status"], "sent");
    app.record_payment(&user, &sent_id, 1_000, "cash").await;
    assert_eq!(app.invoice(&user, &sent_id).await["amount_paid"], 1_000);

    // Every key of this deployment is in the cluster, all in the tag's slot.
    let keys = keys_in_cluster(&format!("{{{tag}}}:*")).await;
    assert!(
        keys.iter().any(|(key, _)| key.contains("session")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|(key, _)| key.contains("rate:")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|(key, _)| key.contains("invoice")),
        "{keys:?}"
    );
    let slots: std::collections::BTreeSet<i64> = keys.iter().map(|(_, slot)| *slot).collect();
    assert_eq!(slots.len(), 1, "{keys:?}");

    // Signing out everywhere (a script over the account's set of sessions) ends the session.
    app.post_empty("/api/auth/logout-all", &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/users/me", &user.token).await.status,
        StatusCode::UNAUTHORIZED
    );
}
