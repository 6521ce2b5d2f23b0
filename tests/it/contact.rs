//! The contact form, its API twin, CSRF, body limits and the outbox.

use crate::both_databases;
use crate::harness::{client, csrf_for, TestApp};

both_databases!(
    contact_form_stores_the_message_and_mails_team_and_sender,
    contact_form_errors_keep_what_was_typed,
    forms_without_a_valid_csrf_token_are_refused,
    oversized_and_malformed_bodies_get_clear_answers,
    api_contact_validates_with_problem_json,
    api_contact_honours_idempotency_keys,
    mail_server_outage_loses_nothing,
);

fn form(token: &str, name: &str, email: &str, message: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf_token", token.to_string()),
        ("name", name.to_string()),
        ("email", email.to_string()),
        ("organisation", "Boulangerie Dupont".to_string()),
        ("topic", "workshops".to_string()),
        ("message", message.to_string()),
        ("consent", "on".to_string()),
    ]
}

async fn contact_form_stores_the_message_and_mails_team_and_sender(app: &TestApp) {
    let (cookie, token) = csrf_for(app, "/contact").await;
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&form(
            &token,
            "Marie Dupont",
            "marie@boulangerie-dupont.fr",
            "Quand a lieu le prochain atelier ?",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/contact/merci");
    let thanks = client()
        .get(app.url("/contact/merci"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(thanks.contains("Message envoyé"));

    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
    let mails = app.deliver_mail(2).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    let team = mails
        .iter()
        .find(|m| m.to == "equipe@programme.test")
        .expect("team mail");
    assert_eq!(team.subject, "[Contact] Ateliers");
    assert!(team
        .body_text
        .contains("Quand a lieu le prochain atelier ?"));
    assert!(team
        .reply_to
        .as_deref()
        .unwrap()
        .contains("marie@boulangerie-dupont.fr"));
    let ack = mails
        .iter()
        .find(|m| m.to == "marie@boulangerie-dupont.fr")
        .expect("ack mail");
    assert!(ack
        .subject
        .starts_with("Nous avons bien reçu votre message"));
    assert!(ack.body_text.starts_with("Bonjour Marie Dupont,"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        2
    );
}

async fn contact_form_errors_keep_what_was_typed(app: &TestApp) {
    let (cookie, token) = csrf_for(app, "/contact").await;
    let cookie = format!("{cookie}; tremplin_lang=en");
    let mut f = form(
        &token,
        "Jean <Menuisier> & fils",
        "jean@",
        "Un message assez long pour passer.",
    );
    f.retain(|(k, _)| *k != "consent");
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem with the form"));
    assert!(html.contains("Enter a valid email address"));
    assert!(html.contains("Tick this box to continue."));
    // Typed values come back, escaped.
    assert!(
        html.contains("value=\"Jean &#60;Menuisier&#62; &#38; fils\"")
            || html.contains("value=\"Jean &lt;Menuisier&gt; &amp; fils\""),
        "{html}"
    );
    assert!(html.contains("value=\"jean@\""));
    assert!(html.contains(">Un message assez long pour passer.</textarea>"));
    assert!(html.contains("<option value=\"workshops\" selected>"));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);

    // French messages with the plural rule.
    let (cookie, token) = csrf_for(app, "/contact").await;
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&form(&token, "J", "jean@menuiserie.fr", "court"))
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Saisissez au moins 2 caractères."));
    assert!(html.contains("Saisissez au moins 10 caractères."));
}

async fn forms_without_a_valid_csrf_token_are_refused(app: &TestApp) {
    let (cookie, token) = csrf_for(app, "/contact").await;
    let good = form(
        &token,
        "Marie Dupont",
        "marie@boulangerie-dupont.fr",
        "Bonjour, une question sur les ateliers.",
    );

    // No cookie at all.
    let res = client()
        .post(app.url("/contact"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Formulaire expiré"));

    // A token that is not the cookie's.
    let bad = form(
        &"0".repeat(64),
        "Marie Dupont",
        "marie@boulangerie-dupont.fr",
        "Bonjour, une question.",
    );
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Right token, but posted from another site.
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);

    // And the same request from our own origin goes through.
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .header("origin", app.base.clone())
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
}

async fn oversized_and_malformed_bodies_get_clear_answers(app: &TestApp) {
    let (cookie, token) = csrf_for(app, "/contact").await;
    let huge = "x".repeat(200 * 1024);
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .form(&form(&token, "Marie", "marie@boulangerie-dupont.fr", &huge))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("Envoi trop volumineux"));

    // Not a form.
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Format non pris en charge"));

    // Invalid UTF-8 in a field: answered, never a 500.
    let mut body = format!("csrf_token={token}&name=").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, b'%', b'F', b'F']);
    body.extend_from_slice(b"&email=a%40b.fr&topic=general&message=0123456789abc&consent=on");
    let res = client()
        .post(app.url("/contact"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_client_error() || res.status() == 303,
        "{}",
        res.status()
    );
    assert!(res.status() != 500);
}

async fn api_contact_validates_with_problem_json(app: &TestApp) {
    let res = client()
        .post(app.url("/api/v1/contact"))
        .header("accept-language", "en")
        .json(&serde_json::json!({"name": "Marie", "email": "nope", "topic": "general", "message": "short", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p["status"], 422);
    let errors = p["errors"].as_array().unwrap();
    let email = errors.iter().find(|e| e["field"] == "email").unwrap();
    assert_eq!(email["code"], "email-invalid");
    assert!(email["message"]
        .as_str()
        .unwrap()
        .starts_with("Enter a valid email address"));
    assert!(errors
        .iter()
        .any(|e| e["field"] == "message" && e["code"] == "too-short"));

    // Broken JSON, wrong type, unknown route: problem+json too.
    let res = client()
        .post(app.url("/api/v1/contact"))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = client()
        .post(app.url("/api/v1/contact"))
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = client()
        .get(app.url("/api/v1/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p["title"], "Page introuvable");

    // A valid request is stored.
    let res = client()
        .post(app.url("/api/v1/contact"))
        .json(&serde_json::json!({"name": "Marie Dupont", "email": "marie@dupont.fr", "topic": "coaching",
                                  "message": "Je voudrais un accompagnement.", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["id"].as_i64().unwrap() > 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
}

async fn api_contact_honours_idempotency_keys(app: &TestApp) {
    let body = serde_json::json!({"name": "Marie Dupont", "email": "marie@dupont.fr", "topic": "general",
                                  "message": "Une seule fois, s'il vous plaît.", "consent": true});
    let mut ids = vec![];
    for _ in 0..3 {
        let res = client()
            .post(app.url("/api/v1/contact"))
            .header("idempotency-key", "retry-42")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        ids.push(
            res.json::<serde_json::Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    assert!(ids.iter().all(|i| *i == ids[0]));
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);

    // Concurrent retries with one key still store once.
    let mut handles = vec![];
    for _ in 0..8 {
        let url = app.url("/api/v1/contact");
        let body = body.clone();
        handles.push(tokio::spawn(async move {
            client()
                .post(url)
                .header("idempotency-key", "burst-7")
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for h in handles {
        let s = h.await.unwrap();
        assert!(s == 201 || s == 409, "{s}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 2);

    // The same key with another body is refused.
    let other = serde_json::json!({"name": "Paul Martin", "email": "paul@martin.fr", "topic": "general",
                                   "message": "Un autre message complet.", "consent": true});
    let res = client()
        .post(app.url("/api/v1/contact"))
        .header("idempotency-key", "retry-42")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 2);
}

/// Runs on a database with no server attached, so no background worker
/// races the failing transport.
async fn mail_server_outage_loses_nothing(app: &TestApp) {
    let (url, _dir, pg) = crate::harness::fresh_database(app.backend).await.unwrap();
    let db = tremplin::db::Db::connect(&url, 2).await.unwrap();
    tremplin::db::migrations::migrate(&db).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    tremplin::outbox::enqueue(
        &mut tx,
        &tremplin::outbox::NewMail {
            kind: "test",
            to: "marie@boulangerie-dupont.fr".into(),
            reply_to: None,
            subject: "Votre inscription".into(),
            body_text: "Bonjour".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    let from = "Tremplin <no-reply@tremplin.test>";

    let down = tremplin::outbox::Mailer::from_config(&tremplin::config::MailTransport::Smtp(
        "smtp://127.0.0.1:1".into(),
    ))
    .unwrap();
    assert_eq!(
        tremplin::outbox::worker::run_once(&db, &down, from)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 1 AND last_error IS NOT NULL").await,
        1,
        "the failure is recorded and the message kept"
    );

    // The retry waits for its backoff: nothing goes out immediately...
    let store = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let up = tremplin::outbox::Mailer::Memory(store.clone());
    assert_eq!(
        tremplin::outbox::worker::run_once(&db, &up, from)
            .await
            .unwrap(),
        0
    );
    // ...and once due, the mail server is back and the message is delivered once.
    sqlx::query("UPDATE outbox SET next_attempt_at = 0")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        tremplin::outbox::worker::run_once(&db, &up, from)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tremplin::outbox::worker::run_once(&db, &up, from)
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.lock().unwrap().len(), 1);
    assert_eq!(store.lock().unwrap()[0].subject, "Votre inscription");
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2").await,
        1
    );
    db.close().await;
    if let Some(name) = pg {
        crate::harness::drop_pg_database(&name).await;
    }
}
