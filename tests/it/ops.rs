//! Operations, the API root, several servers, and a failing database.

use crate::both_databases;
use crate::builders;
use crate::harness::{client, csrf_for, TestApp};

both_databases!(
    health_readiness_and_metrics,
    api_root_and_openapi_document,
    two_servers_share_everything_through_the_database,
    database_outage_while_serving_keeps_the_process_up,
    migrations_are_idempotent,
);

async fn health_readiness_and_metrics(app: &TestApp) {
    let res = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ready\n");
    client().get(app.url("/")).send().await.unwrap();
    client()
        .get(app.url("/does-not-exist"))
        .send()
        .await
        .unwrap();
    let res = client()
        .get(app.url("/metrics"))
        .bearer_auth(crate::harness::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains("tremplin_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains(
        "tremplin_http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"} 1"
    ));
    assert!(text.contains(
        "tremplin_http_request_duration_seconds_bucket{method=\"GET\",route=\"/\",le=\"+Inf\"} 1"
    ));
    assert!(text.contains("# TYPE tremplin_http_request_duration_seconds histogram"));
}

async fn api_root_and_openapi_document(app: &TestApp) {
    let root: serde_json::Value = client()
        .get(app.url("/api/v1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(root["name"], "Tremplin");
    assert!(root["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "openapi"));
    let res = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/contact"]["post"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

async fn two_servers_share_everything_through_the_database(app: &TestApp) {
    let other = TestApp::spawn_on(&app.database_url, &app.data_dir).await;
    // A form fetched from one server is accepted by the other.
    let (cookie, token) = csrf_for(app, "/contact").await;
    let res = client()
        .post(other.url("/contact"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("name", "Lucie Martin"),
            ("email", "lucie@fleurs-martin.fr"),
            ("topic", "general"),
            ("message", "Bonjour, je suis fleuriste à Thio."),
            ("consent", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
    // Both outbox workers run; each mail goes out exactly once.
    let mut sent = vec![];
    for _ in 0..200 {
        sent = [
            app.mails.lock().unwrap().clone(),
            other.mails.lock().unwrap().clone(),
        ]
        .concat();
        if sent.len() >= 2
            && app
                .count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
                .await
                == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(sent.len(), 2, "{sent:?}");
    other.finish().await;
}

async fn database_outage_while_serving_keeps_the_process_up(app: &TestApp) {
    // Warm up, then cut the database off.
    assert_eq!(
        client().get(app.url("/")).send().await.unwrap().status(),
        200
    );
    match &app.pg_name {
        Some(name) => {
            let admin = tremplin::db::Db::connect(&crate::harness::pg_admin_url(), 1)
                .await
                .unwrap();
            sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
                .execute(&admin.pool)
                .await
                .unwrap();
            sqlx::query(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .execute(&admin.pool)
            .await
            .unwrap();
            admin.pool.close().await;
        }
        None => app.db.close().await,
    }

    assert_eq!(
        client()
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client()
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );

    // A visitor sending the form keeps what they typed and is told why.
    let (cookie, token) = (
        "tremplin_csrf=".to_string() + &"a".repeat(64),
        "a".repeat(64),
    );
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("name", "Lucie Martin"),
            ("email", "lucie@fleurs-martin.fr"),
            ("topic", "general"),
            ("message", "Mon message ne doit pas se perdre."),
            ("consent", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let html = res.text().await.unwrap();
    assert!(html.contains("momentanément indisponible"), "{html}");
    assert!(html.contains(">Mon message ne doit pas se perdre.</textarea>"));
    assert!(html.contains("value=\"Lucie Martin\""));

    // An API client gets a problem+json 503.
    let res = client()
        .post(app.url("/api/v1/contact"))
        .json(&serde_json::json!({"name": "Lucie Martin", "email": "lucie@fleurs-martin.fr", "topic": "general",
                                  "message": "Mon message ne doit pas se perdre.", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    if let Some(name) = &app.pg_name {
        // The database comes back: the same process serves again.
        let admin = tremplin::db::Db::connect(&crate::harness::pg_admin_url(), 1)
            .await
            .unwrap();
        sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
            .execute(&admin.pool)
            .await
            .unwrap();
        admin.pool.close().await;
        assert_eq!(
            client()
                .get(app.url("/readyz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let res = client()
            .post(app.url("/contact"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", "Lucie Martin"),
                ("email", "lucie@fleurs-martin.fr"),
                ("topic", "general"),
                ("message", "Mon message ne doit pas se perdre."),
                ("consent", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
    }
}

async fn migrations_are_idempotent(app: &TestApp) {
    assert_eq!(tremplin::db::migrations::migrate(&app.db).await.unwrap(), 0);
    let (applied, latest) = tremplin::db::migrations::status(&app.db).await.unwrap();
    assert_eq!(applied.last().copied(), Some(latest));
    // The demo seed can run again without duplicating anything.
    tremplin::cli::seed::demo(&app.db).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM programmes").await, 1);
    // Foreign keys are enforced on every connection.
    let err = builders::raw::role_for_missing_user(app).await;
    assert!(err.is_err(), "a role for a missing user must be refused");
}
