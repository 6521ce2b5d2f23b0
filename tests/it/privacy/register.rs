//! Privacy: the pages, the register, exports of a person's data, consents
//! and the audit log.

use super::*;

both_databases!(
    privacy_and_accessibility_pages_are_real_and_linked,
    the_register_is_shown_in_full_to_managers_with_retention_limits,
    an_export_holds_the_persons_data_and_nothing_of_another,
    exports_are_audited_named_and_the_log_cannot_be_edited,
    funders_never_get_personal_data,
    every_personal_column_is_covered_by_the_export,
    consents_are_a_ledger_withdrawn_in_one_click,
    the_database_keeps_the_audit_log_append_only_and_audits_reads_and_roles,
    a_role_granted_through_an_invitation_names_the_manager_in_the_log,
    a_role_removed_by_a_manager_names_them_and_the_last_manager_stays,
);

async fn privacy_and_accessibility_pages_are_real_and_linked(app: &TestApp) {
    let mut v = Browser::new(app).await;
    let (_, home) = v.page("/").await;
    assert!(home.contains("href=\"/confidentialite\""));
    assert!(home.contains("href=\"/accessibilite\""));
    let (status, html) = v.page("/confidentialite").await;
    assert_eq!(status, 200);
    for kind in [
        "accounts",
        "registrations",
        "diagnostics",
        "needs",
        "directory",
    ] {
        assert!(html.contains(&format!("data-kind=\"{kind}\"")), "{kind}");
    }
    assert!(html.contains("CNIL"));
    let (status, html) = v.page("/accessibilite").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"conformity\" data-status=\"partial\""));
    assert!(html.contains("Défenseur des droits"));
    // In English too.
    v.get("/lang/en").await;
    let (_, html) = v.page("/accessibilite").await;
    assert!(html.contains("Accessibility statement"), "{html}");
    let (_, html) = v.page("/confidentialite").await;
    assert!(html.contains("Legal basis"));
}

async fn the_register_is_shown_in_full_to_managers_with_retention_limits(app: &TestApp) {
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, html) = m.page("/admin/donnees-personnelles").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"months_registrations\""));
    // Each minimum is shown with its reason.
    assert!(
        html.contains("id=\"minimum_businesses\" data-minimum=\"120\""),
        "{html}"
    );
    // The register as a PDF, read back: every kind, the chosen retention
    // and the legal reason of the ten-year minimum.
    let res = m.get("/admin/donnees-personnelles/registre.pdf").await;
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap()).expect("pdftotext (poppler-utils)");
    for kind in ["Comptes", "Dossiers d'accompagnement", "Témoignages"] {
        assert!(text.contains(kind), "{kind} missing from {text}");
    }
    assert!(text.contains("L123-22"), "{text}");
    assert!(text.contains("Durée minimale : 120 mois"), "{text}");
    m.get("/lang/en").await;
    let res = m.get("/admin/donnees-personnelles/registre.pdf").await;
    let text = pdf_text(&res.bytes().await.unwrap()).expect("pdftotext (poppler-utils)");
    assert!(text.contains("Shortest retention: 120 months"), "{text}");
    m.get("/lang/fr").await;
    // Shorter than the legal minimum: refused, the field named, the value kept.
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles",
            &[("months_businesses", "12"), ("months_registrations", "24")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#months_businesses\""));
    assert!(html.contains("value=\"12\""));
    // The refusal says why: the legal text behind the ten years.
    assert!(html.contains("L123-22"), "{html}");
    let (status, location, _) = m
        .submit(
            "/admin/donnees-personnelles",
            &[("months_businesses", "120"), ("months_registrations", "24")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("enregistre"));
    let (_, html) = Browser::new(app).await.page("/confidentialite").await;
    assert!(html.contains("24 mois"));
    // Advisers do not set retention.
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(a.page("/admin/donnees-personnelles").await.0, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'retention_changed'")
            .await,
        1
    );
}

async fn an_export_holds_the_persons_data_and_nothing_of_another(app: &TestApp) {
    // Marie takes a diagnostic; Karim too.
    let bank = tremplin::diagnostic::store::current_bank(&app.db)
        .await
        .unwrap();
    let uid = |email: &str| {
        let sql = format!("SELECT id FROM users WHERE email = '{email}'");
        async move { app.count(&sql).await }
    };
    let marie_id = uid(MARIE).await;
    let (diag, _) = tremplin::diagnostic::store::create(
        &app.db,
        &bank,
        &tremplin::diagnostic::store::NewDiagnostic {
            user_id: Some(marie_id),
            sector_code: Some("47".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (status, html) = marie.page("/compte/donnees").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/compte/donnees.json\""));
    let res = marie.get("/compte/donnees.json").await;
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = res.json().await.unwrap();
    let text = json.to_string();
    let table = |kind: &str, table: &str| -> Vec<serde_json::Value> {
        json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind)
            .and_then(|s| {
                s["tables"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["table"] == table)
            })
            .map(|t| t["rows"].as_array().unwrap().clone())
            .unwrap_or_default()
    };
    let regs = table("registrations", "workshop_registrations");
    assert!(!regs.is_empty());
    assert!(regs.iter().all(|r| r["email"] == MARIE), "{regs:?}");
    let diags = table("diagnostics", "diagnostics");
    assert!(diags.iter().any(|d| d["id"] == diag), "{diags:?}");
    assert_eq!(table("accounts", "users")[0]["email"], MARIE);
    // (Karim Conseiller, her adviser, is named in her file: Karim Benali is not hers.)
    for other in ["karim@", "Benali", "sophie@", "paul@", "responsable@"] {
        if let Some(i) = text.find(other) {
            let from = text.floor_char_boundary(i.saturating_sub(400));
            let to = text.floor_char_boundary((i + 100).min(text.len()));
            panic!("{other} in Marie's export: …{}…", &text[from..to]);
        }
    }
    // The readable PDF holds the same.
    let res = marie.get("/compte/donnees.pdf").await;
    assert_eq!(res.status(), 200);
    let pdf = res.bytes().await.unwrap().to_vec();
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Marie Dupont"), "{text}");
        assert!(!text.contains("Benali"));
    }
    // Staff produce it for a request received by post; advisers may, owners may not.
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let res = a
        .get("/admin/donnees-personnelles/demande.json?email=karim%40garage-benali.fr")
        .await;
    assert_eq!(res.status(), 200);
    let karim: serde_json::Value = res.json().await.unwrap();
    assert!(karim.to_string().contains("Karim Benali"));
    assert!(!karim.to_string().contains(MARIE));
    assert_eq!(
        marie
            .get("/admin/donnees-personnelles/demande.json?email=karim%40garage-benali.fr")
            .await
            .status(),
        403
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'access_request'")
            .await,
        3
    );
}

async fn exports_are_audited_named_and_the_log_cannot_be_edited(app: &TestApp) {
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let res = m.get("/admin/ateliers/inscriptions.csv").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let last = csv.trim_end().lines().last().unwrap();
    assert!(last.contains(&format!("Export: {MANAGER}")), "{last}");
    let res = m.get("/admin/ateliers/inscriptions.xlsx").await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let core = xlsx_part(&bytes, "docProps/core.xml");
    assert!(core.contains(MANAGER), "{core}");
    let res = m.get("/entreprises/export.csv").await;
    assert!(res.headers()["x-tremplin-exported-by"]
        .to_str()
        .unwrap()
        .contains(MANAGER));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
            .await,
        3
    );
    // The manager finds them, filtered.
    let (status, html) = m.page("/admin/journal?action=export").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("data-action=\"export\"").count(), 3);
    assert!(!html.contains("data-action=\"access_request\""));
    let (_, html) = m.page("/admin/journal?q=entreprises.csv").await;
    assert_eq!(html.matches("data-audit-id=").count(), 1);
    // Never editable: no route writes to the log.
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let res = crate::harness::client()
            .request(method, app.url("/admin/journal"))
            .header("cookie", m.cookie_header())
            .header("x-csrf-token", m.csrf())
            .header("origin", &app.base)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405);
    }
    for p in tremplin::app::routes().policies() {
        assert!(
            !p.path.contains("journal") || p.path == "/admin/journal",
            "{}",
            p.path
        );
    }
    // And the store has no statement that changes it.
    let src = include_str!("../../../src/privacy/store.rs");
    assert!(!src.contains("UPDATE audit_log") && !src.contains("DELETE FROM audit_log"));
}

async fn funders_never_get_personal_data(app: &TestApp) {
    let mut f = Browser::signed_in(app, "financeur@tremplin-demo.fr", PW).await;
    for path in [
        "/admin/ateliers/inscriptions.csv",
        "/admin/ateliers/inscriptions.xlsx",
        "/entreprises/export.csv",
        "/admin/donnees-personnelles/demande.json?email=marie%40boulangerie-dupont.fr",
        "/admin/donnees-personnelles/demande",
        "/admin/journal",
        "/admin/donnees-personnelles",
    ] {
        assert_eq!(f.page(path).await.0, 403, "{path}");
    }
    let (status, html) = f.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let main = &html[html.find("<main").unwrap()..];
    for personal in ["@boulangerie-dupont.fr", "Marie Dupont", "Karim Benali"] {
        assert!(!main.contains(personal), "{personal} shown to a funder");
    }
    // What funders export holds no address.
    let (status, csv) = f.page("/admin/ateliers/export.csv").await;
    assert_eq!(status, 200);
    assert!(!csv.contains('@'));
}

/// Columns that hold personal data by their name; every table that has one
/// must be read by the export, or be listed here with the reason it is not.
async fn every_personal_column_is_covered_by_the_export(app: &TestApp) {
    let sql = match app.backend {
        Backend::Sqlite => "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
        Backend::Postgres => "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()",
    };
    let cols: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(&app.db.pool).await.unwrap();
    assert!(cols.len() > 100, "the schema was not read: {}", cols.len());
    let personal = [
        "email",
        "name",
        "phone",
        "message",
        "comment",
        "note",
        "address",
        "to_addr",
        "user_agent",
        "body",
    ];
    // Not a person's data: programme set-up, reference data, or already
    // covered through the row they hang on.
    let not_personal = [
        "programmes",
        "partners",
        "territories",
        "sectors",
        "themes",
        "workshop_sessions",
        "question_banks",
        "schema_migrations",
        "derived_versions",
        "audit_log",
        "privacy_erasures",
        "privacy_retention",
        "privacy_runs",
        "quote_reviews",
        "business_history",
        "idempotency_keys",
        "auth_tokens",
        "sqlite_sequence",
        // Job names, the editorial guides and the synonym list hold no person.
        "job_runs",
        "guides",
        "directory_synonyms",
        // The key that signs withdrawal links; what retention anonymised.
        "privacy_secret",
        "privacy_purged",
        // Sponsors are organisations; followed agendas are other
        // programmes' feeds (their events carry no registrant).
        "sponsors",
        "federated_feeds",
    ];
    let read = tremplin::privacy::sources::tables_read();
    let mut missing = vec![];
    for (table, col) in cols {
        let c = col.to_lowercase();
        let is_personal = personal
            .iter()
            .any(|p| c == *p || c.ends_with(&format!("_{p}")) || c.starts_with(&format!("{p}_")));
        if is_personal && !read.contains(&table.as_str()) && !not_personal.contains(&table.as_str())
        {
            missing.push(format!("{table}.{col}"));
        }
    }
    assert!(
        missing.is_empty(),
        "personal columns not in the export: {missing:?}"
    );
}

async fn consents_are_a_ledger_withdrawn_in_one_click(app: &TestApp) {
    // Her account's notice and her registrations are in the ledger.
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (status, html) = marie.page("/compte/consentements").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-purpose=\"signup\" data-state=\"granted\""),
        "{html}"
    );
    assert!(html.contains("data-purpose=\"registration\" data-state=\"granted\""));
    assert!(html.contains("data-purpose=\"newsletter\" data-state=\"none\""));
    // She subscribes, then withdraws in one click.
    let (status, location, _) = marie
        .submit(
            "/compte/consentements",
            &[("purpose", "newsletter"), ("answer", "give")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("fait"));
    let (_, html) = marie.page("/compte/consentements").await;
    assert!(html.contains("data-purpose=\"newsletter\" data-state=\"granted\""));
    assert!(html.contains("id=\"withdraw-newsletter\""));
    // A registration is not withdrawn in one click (erasure is the way).
    assert!(!html.contains("id=\"withdraw-registration\""));
    let (status, _, _) = marie
        .submit(
            "/compte/consentements",
            &[("purpose", "registration"), ("answer", "withdraw")],
        )
        .await;
    assert_eq!(status, 400);

    // A testimony with its photo, consented by her: two more rows.
    let business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    builders::testimony(business, MARIE)
        .title("Nos commandes en ligne")
        .with_photo()
        .create(app)
        .await;
    // The signed link of her mails: no sign-in, one click per consent.
    let secret = tremplin::privacy::consent::secret(&app.db).await.unwrap();
    let path = tremplin::privacy::consent::link_path(&secret, MARIE);
    let mut anon = Browser::new(app).await;
    let (status, html) = anon.page(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-purpose=\"photo\" data-state=\"granted\""),
        "{html}"
    );
    let q = path.split_once('?').unwrap().1;
    let e = q.split('&').next().unwrap().trim_start_matches("e=");
    let sig = q.split('&').nth(1).unwrap().trim_start_matches("s=");
    let (status, location, _) = anon
        .submit(
            "/consentement",
            &[
                ("purpose", "photo"),
                ("answer", "withdraw"),
                ("e", e),
                ("s", sig),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("fait=1"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM testimonies WHERE photo_consent = 1")
            .await,
        0
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM consent_ledger WHERE email = '{MARIE}' AND purpose = 'photo' AND granted = 0 AND channel = 'mail'"))
            .await,
        1
    );
    // A changed link names nobody.
    let forged = path.replace(e, &hex_of("karim@garage-benali.fr"));
    assert_eq!(anon.page(&forged).await.0, 403);
    // A new version of the account notice is asked again.
    sqlx::query("UPDATE consent_ledger SET text_version = '2020-01' WHERE email = $1 AND purpose = 'signup'")
        .bind(MARIE)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Her account page asks her to read it again, and links to her consents.
    let (_, html) = marie.page("/compte").await;
    assert!(html.contains("id=\"consents-to-review\""), "{html}");
    assert!(html.contains("href=\"/compte/consentements\""));
    let (_, html) = marie.page("/compte/consentements").await;
    assert!(html.contains("data-purpose=\"signup\" data-state=\"granted\" data-outdated"));
    marie
        .submit(
            "/compte/consentements",
            &[("purpose", "signup"), ("answer", "give")],
        )
        .await;
    let (_, html) = marie.page("/compte/consentements").await;
    assert!(!html.contains("data-outdated"));
    let (_, html) = marie.page("/compte").await;
    assert!(!html.contains("id=\"consents-to-review\""));
    // Managers read the ledger; advisers and funders do not.
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, html) = m.page("/admin/consentements?purpose=photo").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("data-purpose=\"photo\"").count(), 2, "{html}");
    assert!(html.contains("data-granted=\"0\""));
    let (_, html) = m.page("/admin/consentements?q=boulangerie").await;
    assert!(html.contains(MARIE));
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(a.page("/admin/consentements").await.0, 403);
    // The withdrawal is in the audit log, and her export holds the ledger.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'consent_withdrawn'")
            .await,
        1
    );
    let json: serde_json::Value = marie
        .get("/compte/donnees.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(export_table(&json, "accounts", "consent_ledger").len() >= 5);
    // Every mail carries the link.
    let footer = tremplin::privacy::mail_footer(&app.db, "https://t.example", MARIE)
        .await
        .unwrap();
    assert!(
        footer.contains(&format!("https://t.example{path}")),
        "{footer}"
    );
}

async fn the_database_keeps_the_audit_log_append_only_and_audits_reads_and_roles(app: &TestApp) {
    // An adviser opens a follow-up file: the read is in the audit log.
    let case = app
        .count("SELECT MIN(id) FROM cases WHERE business_id = (SELECT id FROM businesses WHERE name = 'Boulangerie Dupont')")
        .await;
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(a.page(&format!("/dossiers/{case}")).await.0, 200);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'case_read' AND actor = 'conseiller@tremplin-demo.fr' AND subject = 'case #{case}'"))
            .await,
        1
    );
    // A role given and taken away, whatever the path: both audited.
    let uid = app
        .count(&format!("SELECT id FROM users WHERE email = '{MARIE}'"))
        .await;
    let mut tx = app.db.begin_write().await.unwrap();
    tremplin::auth::store::grant_role(&mut tx, uid, tremplin::auth::Role::Funder, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = 'funder'")
        .bind(uid)
        .execute(&app.db.pool)
        .await
        .unwrap();
    for action in ["role_granted", "role_revoked"] {
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND subject = 'user #{uid}' AND detail = 'funder'"))
                .await,
            1,
            "{action}"
        );
    }
    // The manager finds them.
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (_, html) = m.page("/admin/journal?action=case_read").await;
    assert!(html.contains("data-action=\"case_read\""));
    // The database itself refuses to change or delete a line.
    let n = app.count("SELECT COUNT(*) FROM audit_log").await;
    assert!(sqlx::query("UPDATE audit_log SET detail = 'x'")
        .execute(&app.db.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(&app.db.pool)
        .await
        .is_err());
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, n);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE detail = 'x'")
            .await,
        0
    );
    // Exports of follow-up files name who made them.
    let res = m.get("/dossiers/export/dossiers.csv").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv
        .trim_end()
        .lines()
        .last()
        .unwrap()
        .contains(&format!("Export: {MANAGER}")));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND detail = 'dossiers.csv'"
        )
        .await,
        1
    );
}

async fn a_role_granted_through_an_invitation_names_the_manager_in_the_log(app: &TestApp) {
    const NINA: &str = "nina@tremplin-demo.fr";
    // The manager invites Nina as a funder; she accepts the link.
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, _, _) = m
        .submit("/admin/equipe", &[("email", NINA), ("role_funder", "on")])
        .await;
    assert_eq!(status, 200);
    let mail = app.last_mail_to(NINA).await;
    let link = link_in(&mail.body_text, "http");
    let path = link[link.find("/invitation/").unwrap()..].to_string();
    let mut nina = Browser::new(app).await;
    let (status, location, _) = nina
        .submit(
            &path,
            &[
                ("name", "Nina Financeuse"),
                ("password", "bienvenue dans l'équipe"),
                ("password_confirm", "bienvenue dans l'équipe"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/compte?bienvenue=1"));
    let uid = app
        .count(&format!("SELECT id FROM users WHERE email = '{NINA}'"))
        .await;
    // The log names the manager as the one who granted it.
    let (status, html) = m.page("/admin/journal?action=role_granted").await;
    assert_eq!(status, 200);
    let row = html
        .split("<tr data-audit-id=")
        .find(|r| r.contains(&format!("<td>user #{uid}</td><td>funder</td>")))
        .unwrap_or_else(|| panic!("no role line for user #{uid}: {html}"));
    assert!(row.contains(&format!("data-actor=\"{MANAGER}\"")), "{row}");
    // Searching the log by the manager's address finds the grant.
    let (_, html) = m
        .page(&format!("/admin/journal?action=role_granted&q={MANAGER}"))
        .await;
    assert!(html.contains(&format!("<td>user #{uid}</td>")), "{html}");
    let manager_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{MANAGER}'"))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'role_granted' AND subject = 'user #{uid}' AND actor_id = {manager_id}"
        ))
        .await,
        1
    );
    // Still append-only: the line cannot be rewritten to hide who did it.
    assert!(
        sqlx::query("UPDATE audit_log SET actor = '' WHERE action = 'role_granted'")
            .execute(&app.db.pool)
            .await
            .is_err()
    );
}

async fn a_role_removed_by_a_manager_names_them_and_the_last_manager_stays(app: &TestApp) {
    const FUNDER: &str = "financeur@tremplin-demo.fr";
    let funder_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{FUNDER}'"))
        .await;
    let manager_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{MANAGER}'"))
        .await;
    // The funder reads the dashboard before.
    let mut f = Browser::signed_in(app, FUNDER, PW).await;
    assert_eq!(f.page("/tableau-de-bord").await.0, 200);
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (_, html) = m.page("/admin/equipe").await;
    assert!(html.contains("action=\"/admin/equipe/retirer\""), "{html}");
    assert!(html.contains(&format!("name=\"user_id\" value=\"{funder_id}\"")));
    let uid = funder_id.to_string();
    let form = [("user_id", uid.as_str()), ("role", "funder")];
    let (status, _, html) = m.submit("/admin/equipe/retirer", &form).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("a été retiré"), "{html}");
    // The funder has lost the dashboard at once.
    assert_eq!(f.page("/tableau-de-bord").await.0, 403);
    // The log names the manager, and is found by searching their address.
    let (_, html) = m
        .page(&format!("/admin/journal?action=role_revoked&q={MANAGER}"))
        .await;
    let row = html
        .split("<tr data-audit-id=")
        .find(|r| r.contains(&format!("<td>user #{funder_id}</td><td>funder</td>")))
        .unwrap_or_else(|| panic!("no revocation line: {html}"));
    assert!(row.contains(&format!("data-actor=\"{MANAGER}\"")), "{row}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'role_revoked' AND subject = 'user #{funder_id}' AND actor_id = {manager_id}"
        ))
        .await,
        1
    );
    // Twice (a second manager on a stale page): answered, nothing else moves.
    let (status, _, html) = m.submit("/admin/equipe/retirer", &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("data-refusal=\"1\""), "{html}");
    assert!(html.contains("déjà été retiré"), "{html}");
    // The only manager cannot remove their own role; it is kept.
    let admins = app
        .count("SELECT COUNT(*) FROM user_roles WHERE role = 'admin'")
        .await;
    if admins == 1 {
        let me = manager_id.to_string();
        let (status, _, html) = m
            .submit(
                "/admin/equipe/retirer",
                &[("user_id", me.as_str()), ("role", "admin")],
            )
            .await;
        assert_eq!(status, 409);
        assert!(html.contains("seul responsable"), "{html}");
        assert_eq!(m.page("/admin/equipe").await.0, 200);
    }
    // An unknown role is refused clearly.
    let (status, _, _) = m
        .submit(
            "/admin/equipe/retirer",
            &[("user_id", uid.as_str()), ("role", "owner")],
        )
        .await;
    assert_eq!(status, 422);
    // In English.
    m.get("/lang/en").await;
    let (_, html) = m.page("/admin/equipe").await;
    assert!(html.contains(">Remove</button>"), "{html}");
    let (status, _, html) = m.submit("/admin/equipe/retirer", &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("it was already removed"), "{html}");
}
