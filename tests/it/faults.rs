//! Faults found under test (issue 12): each one reproduced, then fixed.

use crate::both_databases;
use crate::builders;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    idempotency_key_of_a_dead_request_expires,
    half_sent_requests_are_cut_off,
    metrics_need_the_configured_token,
    expired_rows_are_purged_once_a_day,
    sqlite_file_removed_while_serving_is_not_ready,
    sessions_in_the_past_are_refused_with_the_form_kept,
    invalid_utf8_in_a_form_is_refused_with_the_field_named,
    csrf_token_is_bound_to_the_session_and_origin_scheme_checked,
    sign_up_does_not_tell_who_holds_a_siren,
    a_claim_on_a_kept_card_goes_to_moderation,
    an_import_above_the_limit_says_so_and_large_files_pass,
    forms_keep_what_was_typed_when_the_database_drops,
    assets_and_health_load_for_a_signed_in_person_while_the_database_is_down,
);

/// Another server on the app's database with its own settings; returns its
/// base address and a sender that stops it.
async fn server_with(
    app: &TestApp,
    tweak: impl FnOnce(&mut tremplin::config::ConfigArgs),
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let mut args = tremplin::config::ConfigArgs {
        database_url: Some(app.database_url.clone()),
        bind: Some("127.0.0.1:0".into()),
        data_dir: Some(app.data_dir.clone()),
        mail_transport: Some("log".into()),
        ..Default::default()
    };
    tweak(&mut args);
    let config = tremplin::config::Config::load(&args).unwrap();
    let state = tremplin::app::AppState::new(
        app.db.clone(),
        config,
        tremplin::outbox::Mailer::Memory(Default::default()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        tremplin::app::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (addr, tx)
}

/// Send `head` on a new connection and read until the server closes it;
/// returns what it answered. A generous safety net stops a hung test, it
/// does not measure speed.
async fn answer_then_close(addr: std::net::SocketAddr, head: &[u8]) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(head).await.unwrap();
    let mut got = vec![];
    let read = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&got).into_owned())
}

async fn half_sent_requests_are_cut_off(app: &TestApp) {
    let (addr, stop) = server_with(app, |a| {
        a.header_timeout = Some("0.3".into());
        a.body_timeout = Some("0.3".into());
    })
    .await;
    // Headers never finished: the server closes the connection.
    let got = answer_then_close(addr, b"GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/h").await;
    assert!(got.is_some(), "a half-sent head must not stay open");
    // A body announced but never sent: 408, then closed.
    let got = answer_then_close(
        addr,
        b"POST /contact HTTP/1.1\r\nHost: localhost\r\nCookie: tremplin_csrf=0000000000000000000000000000000000000000000000000000000000000000\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nname=Mar",
    )
    .await
    .expect("a half-sent body must not stay open");
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    // An idle kept-alive connection is closed as well.
    let got = answer_then_close(addr, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("an idle connection must not stay open");
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    let _ = stop.send(());

    // At most two connections without a whole request: the third is refused
    // while they hang (long timeouts here, so nothing expires meanwhile).
    let (addr, stop) = server_with(app, |a| {
        a.header_timeout = Some("120".into());
        a.max_pending_connections = Some("2".into());
    })
    .await;
    use tokio::io::AsyncWriteExt;
    let mut slow = vec![];
    for _ in 0..2 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: loc").await.unwrap();
        slow.push(s);
    }
    let got = answer_then_close(addr, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("refused at once");
    assert!(got.is_empty() || got.starts_with("HTTP/1.1 503"), "{got}");
    // Once the slow ones are gone, requests are served again.
    drop(slow);
    let mut served = false;
    for _ in 0..200 {
        let res = client().get(format!("http://{addr}/healthz")).send().await;
        if matches!(res, Ok(r) if r.status() == 200) {
            served = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(served);
    let _ = stop.send(());
}

async fn metrics_need_the_configured_token(app: &TestApp) {
    // The test servers are configured with a token.
    let res = client().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = client()
        .get(app.url("/metrics"))
        .bearer_auth("not-the-right-token-at-all")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = client()
        .get(app.url("/metrics"))
        .bearer_auth(crate::harness::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("tremplin_http_requests_total"));
    // Without a configured token, there is no /metrics at all.
    let (addr, stop) = server_with(app, |_| {}).await;
    let res = client()
        .get(format!("http://{addr}/metrics"))
        .bearer_auth(crate::harness::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let _ = stop.send(());
}

async fn expired_rows_are_purged_once_a_day(app: &TestApp) {
    const DAY: i64 = 24 * 3_600_000;
    let now = tremplin::db::now_ms();
    // The server's own background job may already have run today's purge:
    // purge as if two days had passed.
    let t = now + 2 * DAY;
    let user: i64 = app.count("SELECT MIN(id) FROM users").await;
    // Rows written days apart: no feature dates them, see `builders::raw`.
    for (id, expires) in [("expired-session", t - 1000), ("live-session", t + DAY)] {
        builders::raw::session(app, id, user, expires).await;
    }
    for (id, expires) in [("old-link", t - 31 * DAY), ("live-link", t + DAY)] {
        builders::raw::reset_link(app, id, expires).await;
    }
    for (bucket, at) in [("old-attempt", t - 2 * DAY), ("recent-attempt", t - 1000)] {
        builders::raw::login_attempt(app, bucket, at).await;
    }
    for (subject, status, sent) in [
        ("old-sent", "sent", t - 31 * DAY),
        ("recent-sent", "sent", t - DAY),
        ("old-failed", "failed", t - 31 * DAY),
    ] {
        builders::raw::outbox_message(app, subject, status, sent).await;
    }
    tremplin::api::idempotency::insert_reservation(&app.db, "contact", "old-key", "h", t - 2 * DAY)
        .await
        .unwrap();
    tremplin::api::idempotency::insert_reservation(&app.db, "contact", "live-key", "h", t - 1000)
        .await
        .unwrap();

    // Two servers' jobs at the same moment: one purges, the other sees it done.
    let (a, b) = tokio::join!(
        tremplin::jobs::purge(&app.db, t),
        tremplin::jobs::purge(&app.db, t)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.is_some() != b.is_some(), "{a:?} {b:?}");
    let p = a.or(b).unwrap();
    assert!(p.sessions >= 1 && p.links >= 1 && p.login_attempts >= 1);
    assert!(p.idempotency_keys >= 1 && p.sent_mail >= 1, "{p:?}");
    let left = |sql: &'static str| app.count(sql);
    assert_eq!(
        left("SELECT COUNT(*) FROM sessions WHERE id_hash IN ('expired-session', 'live-session')")
            .await,
        1
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM sessions WHERE id_hash = 'live-session'").await,
        1
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = 'live-link'").await,
        1
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = 'old-link'").await,
        0
    );
    assert_eq!(
        left(
            "SELECT COUNT(*) FROM login_attempts WHERE bucket IN ('old-attempt', 'recent-attempt')"
        )
        .await,
        1
    );
    assert_eq!(left("SELECT COUNT(*) FROM outbox WHERE kind = 'purge-test' AND subject IN ('recent-sent', 'old-failed')").await, 2);
    assert_eq!(
        left("SELECT COUNT(*) FROM outbox WHERE kind = 'purge-test'").await,
        2
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'live-key'").await,
        1
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'old-key'").await,
        0
    );
    // The same day again: nothing to do.
    assert!(tremplin::jobs::purge(&app.db, t + 1000)
        .await
        .unwrap()
        .is_none());
}

async fn sqlite_file_removed_while_serving_is_not_ready(app: &TestApp) {
    if app.backend != tremplin::db::Backend::Sqlite {
        return;
    }
    let file = app.data_dir.join("tremplin.db");
    let aside = app.data_dir.join("aside.db");
    let ready = || async { client().get(app.url("/readyz")).send().await.unwrap() };
    assert_eq!(ready().await.status(), 200);
    std::fs::rename(&file, &aside).unwrap();
    let res = ready().await;
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("database file"));
    // Pages may fail, but no empty database appears in its place.
    for path in ["/", "/annuaire", "/ateliers", "/connexion"] {
        client().get(app.url(path)).send().await.unwrap();
    }
    assert!(!file.exists(), "a new empty database file was created");
    // Put back, it is ready again; replaced by a copy, it is not.
    std::fs::rename(&aside, &file).unwrap();
    assert_eq!(ready().await.status(), 200);
    std::fs::copy(&file, &aside).unwrap();
    std::fs::rename(&aside, &file).unwrap();
    assert_eq!(ready().await.status(), 503);
}

fn contact_body(message: &str) -> serde_json::Value {
    serde_json::json!({"name": "Marie Dupont", "email": "marie@dupont.fr", "topic": "general",
                       "message": message, "consent": true})
}

async fn post_contact(app: &TestApp, key: &str, body: &serde_json::Value) -> reqwest::Response {
    client()
        .post(app.url("/api/v1/contact"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn idempotency_key_of_a_dead_request_expires(app: &TestApp) {
    use tremplin::api::idempotency;
    let now = tremplin::db::now_ms();
    let body = contact_body("Mon serveur est tombé pendant l'envoi.");
    let hash = "hash-of-a-request-that-died";
    // A reservation left by a server killed mid-request, two minutes ago.
    idempotency::insert_reservation(&app.db, "contact", "crashed-1", hash, now - 120_000)
        .await
        .unwrap();
    let res = post_contact(app, "crashed-1", &body).await;
    assert_eq!(
        res.status(),
        201,
        "a stale reservation must not block forever"
    );
    let first: serde_json::Value = res.json().await.unwrap();
    // The retry now replays the stored answer.
    let res = post_contact(app, "crashed-1", &body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again: serde_json::Value = res.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);

    // A reservation still within its lease is a request in progress.
    let same = idempotency::fingerprint(&[
        "Marie Dupont",
        "marie@dupont.fr",
        "Mon serveur est tombé pendant l'envoi.",
        "general",
    ]);
    idempotency::insert_reservation(
        &app.db,
        "contact",
        "running-2",
        &same,
        tremplin::db::now_ms() - 5_000,
    )
    .await
    .unwrap();
    let res = post_contact(app, "running-2", &body).await;
    assert_eq!(res.status(), 409);

    // A completed key older than a day is forgotten: the key can be reused.
    idempotency::insert_reservation(&app.db, "contact", "old-3", hash, now - 25 * 3_600_000)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE idempotency_keys SET status = 201, body = '{\"id\":999}' WHERE key = 'old-3'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let res = post_contact(app, "old-3", &body).await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().get("idempotent-replayed").is_none());
    let fresh: serde_json::Value = res.json().await.unwrap();
    assert_ne!(fresh["id"], 999);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 2);

    // The purge forgets expired keys and keeps live ones.
    let purged = idempotency::purge(&app.db, tremplin::db::now_ms() + 25 * 3_600_000)
        .await
        .unwrap();
    assert!(purged >= 2, "{purged}");
    assert_eq!(app.count("SELECT COUNT(*) FROM idempotency_keys").await, 0);
}

fn session_fields(theme: i64, speaker: i64, date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("theme_id", theme.to_string()),
        ("format", "custom".into()),
        ("title_fr", "Atelier daté".into()),
        ("title_en", String::new()),
        (
            "description_fr",
            "Deux heures pour passer à l'action.".into(),
        ),
        ("description_en", String::new()),
        ("date", date.into()),
        ("start", "10:00".into()),
        ("end", "12:00".into()),
        ("venue", "CCI Bordeaux Gironde".into()),
        ("address", "17 place de la Bourse".into()),
        ("commune_code", "FR-C33063".into()),
        ("online_url", String::new()),
        ("capacity", "12".into()),
        ("partner_id", String::new()),
        ("planned_coaching", "2".into()),
        ("speakers", speaker.to_string()),
    ]
}

async fn sessions_in_the_past_are_refused_with_the_form_kept(app: &TestApp) {
    let tr = tremplin::i18n::Tr(tremplin::i18n::Locale::Fr);
    let mut admin = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let theme = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await;
    let speaker = app
        .count("SELECT id FROM users WHERE email = 'intervenante@tremplin-demo.fr'")
        .await;
    let before = app.count("SELECT COUNT(*) FROM workshop_sessions").await;
    let yesterday = jiff::Zoned::now()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
        .yesterday()
        .unwrap()
        .to_string();
    for date in ["2020-01-01", yesterday.as_str(), "0001-01-01", "9999-12-31"] {
        let f = session_fields(theme, speaker, date);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) = admin.submit("/admin/ateliers/nouveau", &f).await;
        assert_eq!(status, 422, "{date}: {html}");
        assert!(html.contains("id=\"date-error\""), "{date}: {html}");
        assert!(html.contains(&format!("value=\"{date}\"")), "{date}");
        assert!(html.contains("Atelier daté"));
    }
    let f = session_fields(theme, speaker, "2020-01-01");
    let (status, _, html) = admin
        .submit(
            "/admin/ateliers/nouveau",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(&tr.t("ws-date-past")), "{html}");
    // A series with one line in the past is refused as a whole, lines kept.
    let mut f = session_fields(theme, speaker, "");
    let soon = jiff::Zoned::now()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
        .checked_add(jiff::Span::new().days(30))
        .unwrap();
    f.push((
        "lines",
        format!("2020-01-01 10:00; Bordeaux\n{soon} 10:00; Bordeaux"),
    ));
    let (status, _, html) = admin
        .submit(
            "/admin/ateliers/serie",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(&tr.t("ws-date-past")), "{html}");
    assert!(html.contains("2020-01-01 10:00; Bordeaux"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_sessions").await,
        before
    );
}

async fn invalid_utf8_in_a_form_is_refused_with_the_field_named(app: &TestApp) {
    let (cookie, token) = crate::harness::csrf_for(app, "/contact").await;
    let send = |tail: Vec<u8>| {
        let mut body = format!("csrf_token={token}&name=Marie+Dupont&email=marie%40dupont.fr&topic=general&consent=on&").into_bytes();
        body.extend(tail);
        client()
            .post(app.url("/contact"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // Latin-1 "é", percent-encoded then raw: neither is UTF-8.
    for tail in [
        b"message=Un+caf%E9+pour+la+boulangerie".to_vec(),
        b"message=Un caf\xe9 pour la boulangerie".to_vec(),
    ] {
        let res = send(tail).await.unwrap();
        assert_eq!(res.status(), 400);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("« message »") || html.contains("message"),
            "{html}"
        );
        assert!(!html.contains('\u{FFFD}'));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);
    // The same form in valid UTF-8 goes through.
    let res = send(b"message=Un+caf%C3%A9+pour+la+boulangerie".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 1);
}

async fn csrf_token_is_bound_to_the_session_and_origin_scheme_checked(app: &TestApp) {
    let marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let session = marie.cookies["tremplin_session"].clone();
    let chosen = "a".repeat(64);
    let post = |cookie: String, token: String, origin: Option<String>| {
        let mut req = client()
            .post(app.url("/contact"))
            .header("cookie", cookie)
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", "Marie Dupont"),
                ("email", "marie@boulangerie-dupont.fr"),
                ("topic", "general"),
                ("message", "Un message envoyé par quelqu'un d'autre."),
                ("consent", "on"),
            ]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.send()
    };
    // A cookie/field pair chosen by someone else does not pass with a session.
    let res = post(
        format!("tremplin_session={session}; tremplin_csrf={chosen}"),
        chosen.clone(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    // The token of the session does.
    let res = post(
        format!("tremplin_session={session}; tremplin_csrf={chosen}"),
        marie.csrf(),
        Some(app.base.clone()),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    // Same host and port but another scheme is another origin.
    let other_scheme = app.base.replace("http://", "https://");
    let res = post(
        format!("tremplin_session={session}"),
        marie.csrf(),
        Some(other_scheme),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    // Without a session, the double-submit pair still works.
    let res = post(format!("tremplin_csrf={chosen}"), chosen, None)
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 2);
}

async fn sign_up_does_not_tell_who_holds_a_siren(app: &TestApp) {
    let siren: String =
        sqlx::query_scalar("SELECT id_value FROM businesses WHERE name = 'Boulangerie Dupont'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let mut owner = crate::accounts::new_business_owner(app, "lucas@nouveau.fr", "fr").await;
    let (status, _, html) = owner
        .submit(
            "/mon-entreprise",
            &[
                ("name", "Ma boulangerie"),
                ("country", "FR"),
                ("legal_id", siren.as_str()),
                ("sector_code", "10"),
                ("size_band", "1-9"),
                ("commune_code", "FR-C33243"),
                ("address", "3 rue des Artisans"),
                ("website", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("data-duplicate=\"unnamed\""), "{html}");
    assert!(!html.contains("Boulangerie Dupont"), "{html}");
    assert!(html.contains("href=\"/contact\""));
    // What was typed stays.
    assert!(html.contains("value=\"Ma boulangerie\""));
}

async fn a_claim_on_a_kept_card_goes_to_moderation(app: &TestApp) {
    let kept = app
        .count(
            "SELECT MIN(m.provider_id) FROM provider_members m JOIN users u ON u.id = m.user_id \
             JOIN providers p ON p.id = m.provider_id WHERE u.email = 'prestataire@tremplin-demo.fr' AND p.status = 'published'",
        )
        .await;
    let mut hugo =
        crate::directory::new_provider(app, "hugo@reseaux-medoc.fr", "Hugo Lefèvre").await;
    let (status, html) = hugo.page(&format!("/annuaire/{kept}")).await;
    assert_eq!(status, 200);
    // Before asking: the card is said to be kept, and the claim to go to the team.
    assert!(html.contains("data-claim=\"kept\""), "{html}");
    let (status, location, _) = hugo
        .submit(
            &format!("/annuaire/{kept}/revendiquer"),
            &[("message", "C'est mon entreprise.")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/annuaire/{kept}?revendication=tenue"));
    let (_, html) = hugo.page(&location).await;
    assert!(html.contains("data-claim=\"moderation\""), "{html}");
    // Not handed over: the claim waits for a decision, flagged for the team.
    assert_eq!(
        hugo.page(&format!("/prestataire/fiche/{kept}")).await.0,
        404
    );
    let mut admin = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let (_, html) = admin.page("/admin/annuaire").await;
    assert!(html.contains("data-claim-kept=\"1\""), "{html}");
}

async fn an_import_above_the_limit_says_so_and_large_files_pass(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    // Over 64 KiB (the limit of ordinary forms): 1,500 rows are imported.
    let mut csv = b"name;country;legal_id;sector_code;size_band\n".to_vec();
    for i in 0..1500 {
        let siren = tremplin::cli::seed::siren_from(&format!("{:08}", 71_000_000 + i * 7));
        csv.extend_from_slice(
            format!("Entreprise importée numéro {i:05} de la grande liste;FR;{siren};47;1-9\n")
                .as_bytes(),
        );
    }
    assert!(csv.len() > 64 * 1024);
    let before = app.count("SELECT COUNT(*) FROM businesses").await;
    let (status, html) = adviser
        .upload("/entreprises/import", "file", "grand.csv", csv)
        .await;
    assert_eq!(status, 200, "{html}");
    let added = app.count("SELECT COUNT(*) FROM businesses").await - before;
    let refused = html.matches("<tr>").count();
    assert!(
        added >= 1400,
        "{added} imported: {}",
        &html[html.len().saturating_sub(3000)..]
    );
    assert!(added as usize + refused >= 1500);

    // Above the import limit: too large, with the limit, not "empty".
    let tr = tremplin::i18n::Tr(tremplin::i18n::Locale::Fr);
    let huge = vec![b'x'; tremplin::csvio::IMPORT_LIMIT + 1024];
    let (status, html) = adviser
        .upload("/entreprises/import", "file", "enorme.csv", huge)
        .await;
    assert_eq!(status, 413, "{html}");
    assert!(!html.contains(&tr.t("csv-empty")));
    assert!(html.contains("16 Mo"), "{html}");
}

async fn cut_database(app: &TestApp) {
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
}

async fn restore_database(app: &TestApp) {
    if let Some(name) = &app.pg_name {
        let admin = tremplin::db::Db::connect(&crate::harness::pg_admin_url(), 1)
            .await
            .unwrap();
        sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
            .execute(&admin.pool)
            .await
            .unwrap();
        admin.pool.close().await;
    }
}

async fn forms_keep_what_was_typed_when_the_database_drops(app: &TestApp) {
    let mut admin = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let mut visitor = Browser::new(app).await;
    let theme = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await;
    let speaker = app
        .count("SELECT id FROM users WHERE email = 'intervenante@tremplin-demo.fr'")
        .await;
    let session = app
        .count("SELECT MIN(id) FROM workshop_sessions WHERE status = 'scheduled'")
        .await;
    cut_database(app).await;

    let check = |status: u16, html: &str, typed: &[&str]| {
        assert_eq!(status, 503, "{html}");
        assert!(html.contains("data-kept-form"), "{html}");
        for t in typed {
            assert!(html.contains(t), "{t} missing: {html}");
        }
        assert!(!html.contains("une phrase de passe solide"));
    };
    // Sign-up, login, a workshop registration, an admin form.
    let (status, _, html) = visitor
        .submit(
            "/inscription",
            &[
                ("account_type", "business"),
                ("name", "Inès Garnier"),
                ("email", "ines@garnier-couture.fr"),
                ("password", "une phrase de passe solide"),
                ("password_confirm", "une phrase de passe solide"),
                ("consent", "on"),
            ],
        )
        .await;
    check(status, &html, &["Inès Garnier", "ines@garnier-couture.fr"]);
    let (status, _, html) = visitor
        .submit(
            "/connexion",
            &[
                ("email", "ines@garnier-couture.fr"),
                ("password", "une phrase de passe solide"),
            ],
        )
        .await;
    check(
        status,
        &html,
        &["ines@garnier-couture.fr", "type=\"password\""],
    );
    let (status, _, html) = visitor
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &[
                ("name", "Inès Garnier"),
                ("email", "ines@garnier-couture.fr"),
                ("business_name", "Garnier Couture"),
                ("consent", "on"),
            ],
        )
        .await;
    check(
        status,
        &html,
        &["Garnier Couture", "ines@garnier-couture.fr"],
    );
    let f = session_fields(theme, speaker, "2099-01-01");
    let (status, _, html) = admin
        .submit(
            "/admin/ateliers/nouveau",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    check(status, &html, &["Atelier daté", "17 place de la Bourse"]);
    // The page posts back to where the form was sent.
    assert!(html.contains("action=\"/admin/ateliers/nouveau\""));
    restore_database(app).await;
}

/// A signed-in person's stylesheet, script and the health check do not
/// read their session: while the database is unreachable they still load
/// (the pages themselves say the service is briefly unavailable).
async fn assets_and_health_load_for_a_signed_in_person_while_the_database_is_down(app: &TestApp) {
    let mut person = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (status, _) = person.page("/compte").await;
    assert_eq!(status, 200);
    cut_database(app).await;
    for path in ["/static/app.css", "/static/app.js", "/healthz"] {
        let res = person.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
    }
    let css = person.get("/static/app.css").await.text().await.unwrap();
    assert!(css.contains('{'), "the stylesheet itself");
    let (status, _) = person.page("/compte").await;
    assert_eq!(status, 503, "a page that needs the person says so");
    restore_database(app).await;
}
