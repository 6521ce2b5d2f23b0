//! Funding schemes: each eligibility rule met / not met / unknown against a
//! real business, the amount formula at its boundaries, the editor's
//! validation, the catalogue import with bad rows, applications up to the
//! dossier, and the action plan's links with and without a nearby workshop.

use tremplin::funding::model::{evaluate, Outcome, Rule};
use tremplin::funding::store as funding;

use crate::both_databases;
use crate::builders;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    each_rule_is_met_not_met_or_unknown,
    a_business_sees_its_eligibility_and_simulates_the_amount,
    the_editor_and_the_import_refuse_bad_schemes_clearly,
    applications_go_from_prepared_to_paid_with_a_dossier,
    plan_steps_lead_to_workshops_guides_schemes_or_say_what_to_do,
    a_session_scheduled_on_another_server_reaches_the_plans_here,
    rule_texts_name_territories_and_applications_join_their_file,
    the_applications_api_lists_reads_creates_and_moves_on
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const MARIE: &str = "marie@boulangerie-dupont.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";

async fn marie_business(app: &TestApp) -> i64 {
    app.count(
        "SELECT b.id FROM businesses b JOIN business_members m ON m.business_id = b.id \
         JOIN users u ON u.id = m.user_id WHERE u.email = 'marie@boulangerie-dupont.fr'",
    )
    .await
}

fn outcome(rule: Rule, facts: &tremplin::funding::model::Facts) -> Outcome {
    evaluate(&rule, facts).outcome
}

async fn each_rule_is_met_not_met_or_unknown(app: &TestApp) {
    let b = marie_business(app).await;
    let tz = tremplin::kernel::dates::zone("Europe/Paris");
    let today = "2026-12-01";
    let facts = funding::facts(&app.db, &app.state.directory.snapshot, b, today, &tz)
        .await
        .unwrap()
        .unwrap();
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // Bordeaux is in Gironde, in Nouvelle-Aquitaine.
    assert_eq!(
        outcome(Rule::Territory(v(&["FR-R75"])), &facts),
        Outcome::Met
    );
    assert_eq!(
        outcome(Rule::Territory(v(&["FR-D24"])), &facts),
        Outcome::NotMet
    );
    assert_eq!(outcome(Rule::Sectors(v(&["10"])), &facts), Outcome::Met);
    assert_eq!(outcome(Rule::Sectors(v(&["47"])), &facts), Outcome::NotMet);
    assert_eq!(outcome(Rule::Headcount(v(&["1-9"])), &facts), Outcome::Met);
    assert_eq!(
        outcome(Rule::Headcount(v(&["10-49"])), &facts),
        Outcome::NotMet
    );
    let craft = evaluate(&Rule::CraftRegister, &facts);
    assert_eq!(craft.outcome, Outcome::Unknown);
    assert_eq!(craft.missing_key, Some("funding-missing-craft"));
    assert_eq!(outcome(Rule::MinAgeMonths(12), &facts), Outcome::Unknown);
    let diag = evaluate(&Rule::DiagnosticWithin(12), &facts);
    assert_eq!(diag.outcome, Outcome::NotMet);
    assert_eq!(diag.missing_key, Some("funding-missing-diagnostic"));
    assert_eq!(
        outcome(Rule::WorkshopTheme("sauvegardes".into()), &facts),
        Outcome::NotMet
    );

    // What the business says of itself, a diagnostic and a workshop attended.
    funding::save_facts(&app.db, b, "2025-12-02", Some(true), None)
        .await
        .unwrap();
    builders::diagnostic(b)
        .at(1_780_000_000_000) // 2026-05-28
        .create(app)
        .await;
    let session = builders::session("sauvegardes").create(app).await;
    builders::attendee(session, "m@x.test")
        .name("Marie")
        .business(b)
        .create(app)
        .await;
    let facts = funding::facts(&app.db, &app.state.directory.snapshot, b, today, &tz)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome(Rule::CraftRegister, &facts), Outcome::Met);
    assert_eq!(outcome(Rule::MinAgeMonths(11), &facts), Outcome::Met);
    assert_eq!(outcome(Rule::MinAgeMonths(12), &facts), Outcome::NotMet);
    assert_eq!(outcome(Rule::MaxAgeMonths(12), &facts), Outcome::Met);
    assert_eq!(outcome(Rule::DiagnosticWithin(12), &facts), Outcome::Met);
    assert_eq!(outcome(Rule::DiagnosticWithin(6), &facts), Outcome::NotMet);
    assert_eq!(
        outcome(Rule::WorkshopTheme("sauvegardes".into()), &facts),
        Outcome::Met
    );
    funding::save_facts(&app.db, b, "", Some(false), None)
        .await
        .unwrap();
    let facts = funding::facts(&app.db, &app.state.directory.snapshot, b, today, &tz)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome(Rule::CraftRegister, &facts), Outcome::NotMet);
    assert_eq!(outcome(Rule::MinAgeMonths(12), &facts), Outcome::Unknown);
}

async fn a_business_sees_its_eligibility_and_simulates_the_amount(app: &TestApp) {
    // Anyone sees the open schemes; one closes within 30 days.
    let html = client()
        .get(app.url("/aides"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for slug in [
        "cheque-numerique-regional",
        "aide-artisans-gironde",
        "pret-materiel",
        "trophees-apprentis",
    ] {
        assert!(html.contains(&format!("data-scheme=\"{slug}\"")), "{slug}");
    }
    assert!(html.contains("data-closes-soon=\"1\""));
    let html = client()
        .get(app.url("/aides?type=in_kind"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-scheme=\"pret-materiel\""));
    assert!(!html.contains("data-scheme=\"cheque-numerique-regional\""));

    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (status, html) = marie
        .page("/aides/cheque-numerique-regional?cout=6000")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"overall-eligibility\" data-outcome=\"met\""),
        "{html}"
    );
    assert!(html.contains("data-aid-cents=\"480000\""), "{html}");
    assert!(html.contains("4\u{202f}800\u{a0}€"), "{html}");
    // Boundaries of min(80 % × cost, 15,000 €).
    let (_, html) = marie
        .page("/aides/cheque-numerique-regional?cout=18750")
        .await;
    assert!(html.contains("data-aid-cents=\"1500000\""));
    assert!(!html.contains("plafond du dispositif"));
    let (_, html) = marie
        .page("/aides/cheque-numerique-regional?cout=18751")
        .await;
    assert!(html.contains("data-aid-cents=\"1500000\""));
    assert!(html.contains("plafond du dispositif"));
    let (_, html) = marie
        .page("/aides/cheque-numerique-regional?cout=600")
        .await;
    assert!(
        html.contains("data-aid-cents=\"0\""),
        "below the 500 € floor"
    );
    let (_, html) = marie
        .page("/aides/cheque-numerique-regional?cout=abc")
        .await;
    assert!(html.contains("id=\"cout-error\""));
    // The departmental aid: craft register unknown, no diagnostic yet.
    let (_, html) = marie.page("/aides/aide-artisans-gironde").await;
    assert!(html.contains("data-outcome=\"unknown\""));
    assert!(html.contains("data-outcome=\"not_met\""));
    assert!(html.contains("id=\"facts-form\""));
    let (status, location, _) = marie
        .submit(
            "/aides/aide-artisans-gironde/infos",
            &[("founded_on", "2019-03-01"), ("craft_register", "yes")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("infos=1"));
    let (_, html) = marie.page("/aides/aide-artisans-gironde").await;
    assert!(!html.contains("check-unknown"), "{html}");
    // The API: open schemes for anyone.
    let json: serde_json::Value = client()
        .get(app.url("/api/v1/funding-schemes?type=grant"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let regional = json
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "cheque-numerique-regional")
        .expect("regional grant in the API");
    assert_eq!(regional["rate_pct"], 80);
    assert_eq!(regional["cap_cents"], 1_500_000);
}

async fn the_editor_and_the_import_refuse_bad_schemes_clearly(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let mut form = vec![
        ("title_fr", "Aide test"),
        ("title_en", "Test aid"),
        ("status", "published"),
        ("aid_types", "grant"),
        ("opens_on", "2027-02-01"),
        ("closes_on", "2027-01-01"),
        ("perimeter", "FR-R75"),
        ("rate_pct", "120"),
        ("cap", "1000"),
        ("floor", "5000"),
        (
            "rules",
            "sectors: 10, 99999\nterritory: FR-ZZ\nheadcount: 1-9",
        ),
        ("version", "0"),
    ];
    let (status, _, html) = admin.submit("/admin/aides/nouvelle", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("La date limite est avant la date d"));
    assert!(html.contains("Le taux doit être compris entre 0 et 100 %."));
    assert!(html.contains("Le plafond est inférieur au plancher."));
    assert!(html.contains("id=\"rule-errors\""));
    assert!(html.contains("99999"), "unknown sector named");
    assert!(html.contains("FR-ZZ"), "unknown territory named");
    assert!(html.contains("value=\"Aide test\""));
    form.retain(|(k, _)| !["closes_on", "rate_pct", "floor", "rules"].contains(k));
    form.push(("rate_pct", "50"));
    form.push(("rules", "sectors: 10\nterritory: FR-D33"));
    let (status, location, _) = admin.submit("/admin/aides/nouvelle", &form).await;
    assert_eq!(status, 303, "{location}");
    let html = client()
        .get(app.url("/aides/aide-test"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-scheme=\"aide-test\""));

    // A catalogue export with broken rows: good rows kept, bad ones by line.
    let csv = "name;aid_types;start_date;submission_deadline;financers;perimeter;subvention_rate_upper_bound;plafond;rules\n\
        Aide au site internet;grant;2027-01-01;2027-06-30;Région;FR-R75;60;8000;headcount: 0, 1-9\n\
        Aide cassée;grant;2027-06-01;2027-01-01;Région;FR-R75;150;;\n\
        Prêt numérique;loan;;;Bpifrance;FR;;;sectors: 10|territory: FR-D33\n\
        ;grant;;;;FR;;;\n";
    let (status, html) = admin
        .upload(
            "/admin/aides/import",
            "file",
            "catalogue.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-rejected-line=\"3\""), "{html}");
    assert!(html.contains("data-rejected-line=\"5\""), "{html}");
    assert!(!html.contains("data-rejected-line=\"2\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_schemes WHERE source = 'import'")
            .await,
        2
    );
    let json = r#"[{"name": "Aide JSON", "aid_types": ["grant"], "perimeter": "FR"}, {"name": "x", "aid_types": ["gift"]}]"#;
    let (status, html) = admin
        .upload(
            "/admin/aides/import",
            "file",
            "catalogue.json",
            json.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-rejected-line=\"2\""), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_schemes WHERE source = 'import'")
            .await,
        3
    );
}

async fn applications_go_from_prepared_to_paid_with_a_dossier(app: &TestApp) {
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (status, location, _) = marie
        .submit(
            "/aides/cheque-numerique-regional/candidature",
            &[
                ("project", "Site vitrine et paiement en ligne"),
                ("cost", "6000"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/mes-aides"));
    let id = app.count("SELECT id FROM funding_applications").await;
    assert_eq!(
        app.count("SELECT simulated_cents FROM funding_applications")
            .await,
        480_000
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_applications WHERE case_id IS NULL")
            .await,
        1
    );
    let (_, html) = marie.page("/mes-aides").await;
    assert!(html.contains(&format!("id=\"app-{id}\" data-status=\"prepared\"")));
    // A step that does not follow is refused; then submitted, obtained, paid.
    let (status, _, html) = marie
        .submit(
            &format!("/candidatures/{id}"),
            &[("to", "paid"), ("on", "2027-01-10"), ("version", "1")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"app-error\""));
    let (status, _, _) = marie
        .submit(
            &format!("/candidatures/{id}"),
            &[("to", "submitted"), ("on", "2027-01-10"), ("version", "1")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = marie
        .submit(
            &format!("/candidatures/{id}"),
            &[("to", "obtained"), ("on", "2027-02-10"), ("version", "2")],
        )
        .await;
    assert_eq!(status, 422, "an obtained aid needs its amount");
    let (status, _, _) = marie
        .submit(
            &format!("/candidatures/{id}"),
            &[
                ("to", "obtained"),
                ("on", "2027-02-10"),
                ("amount", "4800"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = marie
        .submit(
            &format!("/candidatures/{id}"),
            &[
                ("to", "paid"),
                ("on", "2027-03-10"),
                ("amount", "4800"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, 422, "stale version");
    assert!(html.contains("id=\"app-error\""));
    marie
        .submit(
            &format!("/candidatures/{id}"),
            &[
                ("to", "paid"),
                ("on", "2027-03-10"),
                ("amount", "4800"),
                ("version", "3"),
            ],
        )
        .await;
    assert_eq!(
        app.count("SELECT paid_cents FROM funding_applications")
            .await,
        480_000
    );
    // The dossier: identity, project and the simulated amount.
    let res = marie.get(&format!("/candidatures/{id}/dossier.pdf")).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // Another business's member may not see it.
    let other = client()
        .get(app.url(&format!("/candidatures/{id}/dossier.pdf")))
        .send()
        .await
        .unwrap();
    assert_ne!(other.status(), 200);
}

/// The part of a results page under the plan step of `theme`.
fn step_of<'a>(html: &'a str, theme: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-theme=\"{theme}\""))?;
    let rest = &html[start..];
    let end = rest.find("</li>\n").unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Marie, signed in, after a quick diagnostic: her browser and its link.
async fn marie_after_a_quick_diagnostic(app: &TestApp) -> (Browser, String) {
    let bank = tremplin::diagnostic::store::default_bank().unwrap();
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (_, location, _) = marie.submit("/diagnostic", &[("mode", "quick")]).await;
    let base = location.trim_end_matches("/1").to_string();
    crate::diagnostic::answer_all(&mut marie, &base, &bank, false, 0).await;
    marie.submit(&format!("{base}/terminer"), &[]).await;
    (marie, base)
}

/// Themes with no scheduled session.
async fn themes_without_workshops(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT slug FROM themes WHERE id NOT IN (SELECT theme_id FROM workshop_sessions WHERE status = 'scheduled')",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn plan_steps_lead_to_workshops_guides_schemes_or_say_what_to_do(app: &TestApp) {
    let (mut marie, base) = marie_after_a_quick_diagnostic(app).await;
    let (status, html) = marie.page(&format!("{base}/resultats")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("à venir"), "no placeholder left");
    // A step whose theme has a session in Gironde shows it, with the guides
    // and the regional grant she is eligible for.
    let sessions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.slug, s.id FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id \
         JOIN territories c ON c.code = s.commune_code \
         WHERE c.parent_code = 'FR-D33' AND s.status = 'scheduled' AND s.starts_at > $1",
    )
    .bind(tremplin::db::now_ms())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let (theme, step) = sessions
        .iter()
        .find_map(|(t, _)| step_of(&html, t).map(|s| (t.clone(), s)))
        .expect("a plan step with a workshop in Gironde");
    assert!(
        sessions
            .iter()
            .any(|(t, id)| *t == theme && step.contains(&format!("href=\"/ateliers/{id}\""))),
        "{step}"
    );
    assert!(step.contains("data-kind=\"guides\""), "{step}");
    assert!(
        step.contains("href=\"/aides/cheque-numerique-regional\""),
        "{step}"
    );
    assert!(step.contains("data-outcome=\"met\""), "{step}");
    // A step whose theme has no workshop says what to do instead.
    let without = themes_without_workshops(app).await;
    let step = without
        .iter()
        .find_map(|t| step_of(&html, t))
        .expect("a step without any workshop");
    assert!(step.contains("data-instead=\"workshops\""), "{step}");
    assert!(!step.contains("data-kind=\"workshops\""));
    // Sessions of that theme: the one in Gironde comes before an online one
    // that starts sooner; one in another region, sooner still, is too far.
    let theme = without
        .iter()
        .find(|t| step_of(&html, t).is_some())
        .unwrap()
        .clone();
    let now = tremplin::db::now_ms();
    let commune_of = |department: &'static str| {
        sqlx::query_scalar::<_, String>(
            "SELECT code FROM territories WHERE level = 'commune' AND parent_code = $1 ORDER BY code LIMIT 1",
        )
        .bind(department)
        .fetch_one(&app.db.pool)
    };
    let gironde = commune_of("FR-D33").await.unwrap();
    // A commune in another region.
    let paris: String = sqlx::query_scalar(
        "SELECT c.code FROM territories c JOIN territories d ON d.code = c.parent_code \
         WHERE c.level = 'commune' AND d.parent_code <> 'FR-R75' ORDER BY c.code LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let near = builders::session(&theme)
        .starts_at(now + 20 * builders::DAY)
        .commune(&gironde)
        .create(app)
        .await;
    let online = builders::session(&theme)
        .starts_at(now + 5 * builders::DAY)
        .online("https://visio.example/atelier")
        .create(app)
        .await;
    let far = builders::session(&theme)
        .starts_at(now + 2 * builders::DAY)
        .commune(&paris)
        .create(app)
        .await;
    // (Results pages are kept 30 s; this server forgets hers at once.)
    app.state
        .diagnostic
        .forget(base.rsplit('/').next().unwrap());
    let (_, html) = marie.page(&format!("{base}/resultats")).await;
    let step = step_of(&html, &theme).unwrap();
    let at = |id: i64| step.find(&format!("href=\"/ateliers/{id}\""));
    assert!(at(near).is_some() && at(online).is_some(), "{step}");
    assert!(at(near) < at(online), "{step}");
    assert!(at(far).is_none(), "{step}");
    // The PDF carries the same links.
    let res = marie.get(&format!("{base}/rapport.pdf")).await;
    assert_eq!(res.status(), 200);
}

/// The plan's workshops come from the sessions to come kept in memory by
/// each server: one scheduled (then cancelled) on another server shows
/// (then goes) here once this server has compared its copy, with no change
/// made here to forget it.
async fn a_session_scheduled_on_another_server_reaches_the_plans_here(app: &TestApp) {
    let (mut marie, base) = marie_after_a_quick_diagnostic(app).await;
    let token = base.rsplit('/').next().unwrap().to_string();
    let (_, html) = marie.page(&format!("{base}/resultats")).await;
    // A theme of her plan without any workshop to come.
    let without = themes_without_workshops(app).await;
    let theme = without
        .iter()
        .find(|t| step_of(&html, t).is_some())
        .expect("a step without any workshop")
        .clone();
    let other = TestApp::spawn_on(&app.database_url, &app.data_dir).await;
    let online = builders::session(&theme)
        .starts_at(tremplin::db::now_ms() + 3 * builders::DAY)
        .online("https://visio.example/autre-serveur")
        .create(&other)
        .await;
    let link = format!("href=\"/ateliers/{online}\"");
    // Results pages are kept 30 s: forget hers on every look, as a new link would be.
    let mut look = async |shown: bool| {
        for _ in 0..120 {
            app.state.diagnostic.forget(&token);
            let (_, html) = marie.page(&format!("{base}/resultats")).await;
            if step_of(&html, &theme).unwrap().contains(&link) == shown {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        false
    };
    assert!(
        look(true).await,
        "the other server's session never reached this plan"
    );
    sqlx::query(
        "UPDATE workshop_sessions SET status = 'cancelled', sequence = sequence + 1 WHERE id = $1",
    )
    .bind(online)
    .execute(&other.db.pool)
    .await
    .unwrap();
    assert!(
        look(false).await,
        "the cancelled session stayed in this plan"
    );
}

async fn rule_texts_name_territories_and_applications_join_their_file(app: &TestApp) {
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (_, html) = marie.page("/aides/aide-artisans-gironde").await;
    let checks = html.split("class=\"checks\"").nth(1).unwrap();
    let checks = checks.split("</ul>").next().unwrap();
    assert!(checks.contains("Gironde"), "{checks}");
    assert!(!checks.contains("FR-D33"), "{checks}");
    let (_, html) = marie.page("/aides/cheque-numerique-regional").await;
    assert!(html.contains("Nouvelle-Aquitaine"));
    assert!(!html.contains("FR-R75"));

    // Opened from her follow-up file, the scheme offers to attach the application.
    let b = marie_business(app).await;
    let case = app
        .count(&format!(
            "SELECT MIN(id) FROM cases WHERE business_id = {b}"
        ))
        .await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (_, html) = adviser
        .page(&format!(
            "/aides/cheque-numerique-regional?entreprise={b}&suivi={case}"
        ))
        .await;
    assert!(
        html.contains(&format!("<option value=\"{case}\" selected>")),
        "{html}"
    );
    let (status, _, _) = adviser
        .submit(
            "/aides/cheque-numerique-regional/candidature",
            &[
                ("entreprise", &b.to_string()),
                ("suivi", &case.to_string()),
                ("project", "Site"),
                ("cost", "6000"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count("SELECT case_id FROM funding_applications").await,
        case
    );
    let (_, html) = adviser.page(&format!("/mes-aides?entreprise={b}")).await;
    assert!(html.contains(&format!("data-case=\"{case}\"")));
    // A file of another business is not attached.
    let other: i64 = app
        .count(&format!(
            "SELECT COALESCE(MAX(id), 0) + 1000 FROM cases WHERE business_id <> {b}"
        ))
        .await;
    adviser
        .submit(
            "/aides/cheque-numerique-regional/candidature",
            &[
                ("entreprise", &b.to_string()),
                ("suivi", &other.to_string()),
                ("project", "Autre"),
                ("cost", "1000"),
            ],
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_applications WHERE case_id IS NULL")
            .await,
        1
    );
}

/// A personal API token of `email` with `role`.
async fn token(app: &TestApp, email: &str, role: &str) -> String {
    let mut b = Browser::signed_in(app, email, PW).await;
    let (status, _, html) = b
        .submit("/compte/api", &[("name", "CRM"), ("role", role)])
        .await;
    assert_eq!(status, 200);
    let token = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    format!("Bearer {token}")
}

async fn the_applications_api_lists_reads_creates_and_moves_on(app: &TestApp) {
    let b = marie_business(app).await;
    let staff = token(app, ADVISER, "adviser").await;
    let api = |method: reqwest::Method, path: &str, auth: &str| {
        client()
            .request(method, app.url(path))
            .header("authorization", auth)
    };
    // Prepare: the aid is simulated from the cost.
    let res = api(reqwest::Method::POST, "/api/v1/applications", &staff)
        .json(&serde_json::json!({
            "business_id": b, "scheme": "cheque-numerique-regional",
            "project": "Site vitrine", "cost_cents": 600_000
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["simulated_cents"], 480_000);
    assert_eq!(created["status"], "prepared");
    let id = created["id"].as_i64().unwrap();
    // Bad input: an unknown scheme, a negative cost.
    let res = api(reqwest::Method::POST, "/api/v1/applications", &staff)
        .json(&serde_json::json!({"business_id": b, "scheme": "nope", "cost_cents": -1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["scheme", "cost_cents"]);
    // List and read, for staff and for the business's own token.
    let own = token(app, MARIE, "business").await;
    for auth in [&staff, &own] {
        let list: serde_json::Value = api(reqwest::Method::GET, "/api/v1/applications", auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(list.as_array().unwrap().iter().any(|a| a["id"] == id));
        let res = api(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{id}"),
            auth,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(res.status(), 200);
    }
    // Move on: a step that does not follow, a missing amount, a stale version.
    let patch = |body: serde_json::Value| {
        api(
            reqwest::Method::PATCH,
            &format!("/api/v1/applications/{id}"),
            &staff,
        )
        .json(&body)
    };
    let res = patch(serde_json::json!({"status": "paid", "on": "2027-01-10", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = patch(serde_json::json!({"status": "submitted", "on": "2027-01-10", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = patch(serde_json::json!({"status": "obtained", "on": "2027-02-10", "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "an obtained aid needs its amount");
    let res = patch(serde_json::json!({"status": "obtained", "on": "2027-02-10", "amount_cents": 480_000, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let res = patch(serde_json::json!({"status": "obtained", "on": "2027-02-10", "amount_cents": 480_000, "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let done: serde_json::Value = res.json().await.unwrap();
    assert_eq!(done["obtained_cents"], 480_000);
    assert_eq!(done["decided_on"], "2027-02-10");
    // Without a token, nothing.
    let res = client()
        .get(app.url("/api/v1/applications"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}
