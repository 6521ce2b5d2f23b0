//! The diagnostic: taking it, scores, plan, benchmark, exports, series.

use std::collections::BTreeMap;

use tremplin::diagnostic::bank::{Bank, Kind, Question};
use tremplin::diagnostic::cache::Caches;
use tremplin::diagnostic::model::{Guidance, Level, Mode, Status};
use tremplin::diagnostic::scoring::{self, Answer, Response};
use tremplin::diagnostic::store::{self, default_bank, NewDiagnostic};
use tremplin::i18n::Locale;

use crate::both_databases;
use crate::harness::{pdf_text, Browser, TestApp, PW};

both_databases!(
    an_anonymous_quick_check_gives_scores_level_and_an_ordered_plan,
    bad_answers_are_explained_and_kept,
    a_quick_check_extends_to_the_full_assessment_without_re_answering,
    the_benchmark_widens_until_the_group_is_large_enough,
    exports_and_private_links,
    an_owners_diagnostics_form_a_series_with_progress,
    an_adviser_runs_an_assisted_diagnostic_with_notes,
    the_api_takes_a_diagnostic_end_to_end,
    the_store_reads_back_what_it_writes,
);

/// The best answer to a question.
fn best_answer(q: &Question) -> Response {
    let answer = match q.kind {
        Kind::Checklist => Answer::Checklist {
            ticked: q.items.iter().map(|i| i.code.clone()).collect(),
        },
        Kind::Scale => Answer::Scale {
            ratings: q.items.iter().map(|i| (i.code.clone(), 5)).collect(),
            na: Default::default(),
        },
        Kind::Triple => Answer::Triple { value: 2 },
    };
    Response {
        answer,
        importance: BTreeMap::new(),
    }
}

async fn the_store_reads_back_what_it_writes(app: &TestApp) {
    let db = &app.db;
    let bank = default_bank().unwrap();
    let new = NewDiagnostic {
        mode: Mode::Full,
        guidance: Guidance::Assisted,
        sector_code: Some("47".into()),
        size_band: Some("1-9".into()),
        ..Default::default()
    };
    let (id, token) = store::create(db, &bank, &new).await.unwrap();
    let d = store::by_token(db, &token).await.unwrap().unwrap();
    assert_eq!(d.id, id);
    assert_eq!(
        (d.mode, d.status, d.guidance),
        (Mode::Full, Status::Draft, Guidance::Assisted)
    );
    assert_eq!(d.sector_code.as_deref(), Some("47"));
    assert!(store::by_token(db, &"0".repeat(64))
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store::draft_owner(db, id).await.unwrap(),
        None,
        "nobody owns it"
    );

    for q in bank.questions_for(true) {
        store::save_response(db, id, &q.code, &best_answer(q))
            .await
            .unwrap();
    }
    let responses = store::responses(db, id).await.unwrap();
    assert_eq!(responses.len(), bank.questions_for(true).len());

    store::save_notes(db, id, &[("data", "Fiches papier".into())])
        .await
        .unwrap();
    store::save_notes(
        db,
        id,
        &[("data", "Fichier clients".into()), ("green", "".into())],
    )
    .await
    .unwrap();
    let notes = store::notes(db, id).await.unwrap();
    assert_eq!(notes["data"], "Fichier clients");
    assert_eq!(notes.len(), 2);

    let scores = scoring::score(&bank, true, &responses);
    store::submit(db, id, &scores).await.unwrap();
    let d = store::by_token(db, &token).await.unwrap().unwrap();
    assert!(d.is_submitted());
    assert_eq!(d.level, Some(Level::Advanced));
    assert_eq!(d.scores.and_then(|s| s.overall), Some(100.0));
    let rows = store::submitted_for_export(db).await.unwrap();
    let row = rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!((row.mode.as_str(), row.assisted), ("full", 1));

    // One diagnostic is no group to compare with.
    let d = store::by_token(db, &token).await.unwrap().unwrap();
    assert!(store::benchmark(db, &Caches::default(), &d)
        .await
        .unwrap()
        .is_none());

    // Reference data the profile page reads.
    assert!(store::sector_division(db, "47").await.unwrap().is_some());
    assert!(store::sector_division(db, "zz").await.unwrap().is_none());
    assert!(store::territory(db, "FR-D33").await.unwrap().is_some());
    let departments = store::departments(db, Locale::Fr).await.unwrap();
    assert!(departments.iter().any(|(code, _)| code == "FR-D33"));
    assert!(!store::theme_titles(db, Locale::En)
        .await
        .unwrap()
        .is_empty());
}

async fn the_api_takes_a_diagnostic_end_to_end(app: &TestApp) {
    use crate::harness::client;
    let res = client()
        .post(app.url("/api/v1/diagnostics"))
        .json(&serde_json::json!({"mode": "quick", "sector_code": "47", "size_band": "1-9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let started: serde_json::Value = res.json().await.unwrap();
    let token = started["token"].as_str().unwrap().to_string();
    let questions = started["questions"].as_array().unwrap().clone();
    assert_eq!(questions.len(), 12);
    let put = |code: &str, body: serde_json::Value| {
        client()
            .put(app.url(&format!("/api/v1/diagnostics/{token}/answers/{code}")))
            .header("accept-language", "en")
            .json(&body)
            .send()
    };
    // Submitting too early names what is missing.
    let res = client()
        .post(app.url(&format!("/api/v1/diagnostics/{token}/submit")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: serde_json::Value = res.json().await.unwrap();
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains(questions[0]["code"].as_str().unwrap()));
    for q in &questions {
        let code = q["code"].as_str().unwrap();
        let items: Vec<String> = q["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect();
        let body = match q["kind"].as_str().unwrap() {
            "checklist" => {
                serde_json::json!({"answer": {"type": "checklist", "ticked": [items[0]]}, "importance": {items[0].clone(): 3}})
            }
            "scale" => {
                // One row missing first: refused.
                let partial: serde_json::Map<String, serde_json::Value> = items
                    .iter()
                    .skip(1)
                    .map(|i| (i.clone(), serde_json::json!(2)))
                    .collect();
                let res = put(
                    code,
                    serde_json::json!({"answer": {"type": "scale", "ratings": partial}}),
                )
                .await
                .unwrap();
                assert_eq!(res.status(), 422);
                let p: serde_json::Value = res.json().await.unwrap();
                assert!(p["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("Give every line a rating"));
                let all: serde_json::Map<String, serde_json::Value> = items
                    .iter()
                    .map(|i| (i.clone(), serde_json::json!(2)))
                    .collect();
                serde_json::json!({"answer": {"type": "scale", "ratings": all}})
            }
            _ => {
                // The wrong kind of answer is refused.
                let res = put(
                    code,
                    serde_json::json!({"answer": {"type": "checklist", "ticked": []}}),
                )
                .await
                .unwrap();
                assert_eq!(res.status(), 422);
                serde_json::json!({"answer": {"type": "triple", "value": 1}})
            }
        };
        let res = put(code, body).await.unwrap();
        assert_eq!(res.status(), 204, "{code}");
    }
    let res = put(
        "not-a-question",
        serde_json::json!({"answer": {"type": "triple", "value": 1}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let res = client()
        .post(app.url(&format!("/api/v1/diagnostics/{token}/submit")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["status"], "submitted");
    assert!(doc["overall"].as_f64().unwrap() > 0.0);
    assert_eq!(doc["dimensions"].as_array().unwrap().len(), 6);
    // The plan lists prerequisites first.
    let plan = doc["plan"].as_array().unwrap();
    for (i, step) in plan.iter().enumerate() {
        for r in step["requires"].as_array().unwrap() {
            if let Some(j) = plan.iter().position(|s| &s["code"] == r) {
                assert!(j < i);
            }
        }
    }
    // Answers can no longer change; the web results show the same score.
    let res = put(
        questions[0]["code"].as_str().unwrap(),
        serde_json::json!({"answer": {"type": "checklist", "ticked": []}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 409);
    let got: serde_json::Value = client()
        .get(app.url(&format!("/api/v1/diagnostics/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["overall"], doc["overall"]);
    let res = client()
        .get(app.url("/api/v1/diagnostics/0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let spec: serde_json::Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/diagnostics/{token}/answers/{question}"]["put"].is_object());
}

/// Start a diagnostic; returns its base path `/diagnostic/d/{token}`.
async fn start(b: &mut Browser, mode: &str) -> String {
    let (status, location, _) = b.submit("/diagnostic", &[("mode", mode)]).await;
    assert_eq!(status, 303);
    location
        .trim_end_matches("/profil")
        .trim_end_matches("/1")
        .to_string()
}

/// Answer every question of the mode: level 0 (nothing), or 2 (everything).
pub(crate) async fn answer_all(b: &mut Browser, base: &str, bank: &Bank, full: bool, level: u8) {
    let questions = bank.questions_for(full);
    for (i, q) in questions.iter().enumerate() {
        let mut form: Vec<(String, String)> = vec![("go".into(), "next".into())];
        match q.kind {
            Kind::Checklist => {
                if level == 2 {
                    for it in &q.items {
                        form.push(("tick".into(), it.code.clone()));
                    }
                }
            }
            Kind::Scale => {
                for it in &q.items {
                    form.push((
                        format!("rate:{}", it.code),
                        if level == 2 { "5" } else { "0" }.into(),
                    ));
                }
            }
            Kind::Triple => form.push(("triple".into(), level.to_string())),
        }
        let refs: Vec<(&str, &str)> = form.iter().map(|(a, c)| (a.as_str(), c.as_str())).collect();
        let (status, location, body) = b.submit(&format!("{base}/{}", i + 1), &refs).await;
        assert_eq!(status, 303, "question {} ({}): {body}", i + 1, q.code);
        if i + 1 < questions.len() {
            assert_eq!(location, format!("{base}/{}", i + 2));
        } else {
            assert_eq!(location, format!("{base}/recapitulatif"));
        }
    }
}

async fn an_anonymous_quick_check_gives_scores_level_and_an_ordered_plan(app: &TestApp) {
    let bank = default_bank().unwrap();
    let mut b = Browser::new(app).await;
    let (_, html) = b.page("/diagnostic").await;
    assert!(html.contains("12 questions"));
    let base = start(&mut b, "quick").await;
    let (status, _, _) = b
        .submit(
            &format!("{base}/profil"),
            &[
                ("sector_code", "47"),
                ("size_band", "1-9"),
                ("territory_code", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, html) = b.page(&format!("{base}/1")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Question 1 / 12"));
    answer_all(&mut b, &base, &bank, false, 0).await;
    let (status, location, _) = b.submit(&format!("{base}/terminer"), &[]).await;
    assert_eq!(
        (status, location.clone()),
        (303, format!("{base}/resultats"))
    );
    let (status, html) = b.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"overall-score\">0<"), "{html}");
    assert!(html.contains("Niveau : débutant"));
    assert!(html.contains("<svg class=\"radar\""));
    assert!(html.contains("Pas encore assez de diagnostics"));
    // Every planned step appears after its planned prerequisites.
    let plan_html = html.split("id=\"plan\"").nth(1).unwrap();
    let pos = |title: &str| plan_html.find(&format!("<h3>{}</h3>", title.replace('\'', "&#39;")));
    let mut checked = 0;
    for step in &bank.steps {
        let Some(at) = pos(&step.title_fr) else {
            continue;
        };
        for r in &step.requires {
            let req = bank.steps.iter().find(|s| &s.code == r).unwrap();
            if let Some(before) = pos(&req.title_fr) {
                assert!(
                    before < at,
                    "{} is listed before its prerequisite {}",
                    step.code,
                    r
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "the plan exercised at least one prerequisite");
    let pdf = b
        .get(&format!("{base}/rapport.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Votre plan d'action"), "{text}");
    }
    if let Ok(dir) = std::env::var("TREMPLIN_TEST_ARTIFACTS") {
        std::fs::write(format!("{dir}/diagnostic-plan-{:?}.pdf", app.backend), &pdf).unwrap();
    }
    // Revisiting a question after submission goes to the results.
    let res = b.get(&format!("{base}/1")).await;
    assert_eq!(res.status(), 303);
    let stored: String = sqlx::query_scalar("SELECT bank_version FROM diagnostics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, bank.version);
}

async fn bad_answers_are_explained_and_kept(app: &TestApp) {
    let bank = default_bank().unwrap();
    let mut b = Browser::new(app).await;
    b.cookies.insert("tremplin_lang".into(), "en".into());
    let base = start(&mut b, "full").await;
    let questions = bank.questions_for(true);
    let (n, scale) = questions
        .iter()
        .enumerate()
        .find(|(_, q)| q.kind == Kind::Scale)
        .unwrap();
    let first = &scale.items[0].code;
    let (status, _, html) = b
        .submit(
            &format!("{base}/{}", n + 1),
            &[(&format!("rate:{first}"), "4"), ("go", "next")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Give every line a rating from 0 to 5"));
    assert!(
        html.contains(&format!(
            "id=\"rate-{first}-4\" name=\"rate:{first}\" value=\"4\" checked"
        )),
        "{html}"
    );
    let (n, triple) = questions
        .iter()
        .enumerate()
        .find(|(_, q)| q.kind == Kind::Triple)
        .unwrap();
    let (status, _, html) = b
        .submit(&format!("{base}/{}", n + 1), &[("go", "next")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Choose an answer"));
    if triple.allow_na {
        let (status, _, _) = b
            .submit(
                &format!("{base}/{}", n + 1),
                &[("na", "on"), ("go", "next")],
            )
            .await;
        assert_eq!(status, 303);
    }
    // Nothing answered yet: submitting is refused with the count.
    let (status, _, html) = b.submit(&format!("{base}/terminer"), &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("questions have no answer yet"));
    // Two tabs answering the same draft: each answer is kept, none is lost.
    let mut other_tab = Browser::new(app).await;
    let (q1, q2) = (questions[0], questions[1]);
    let form_for = |q: &tremplin::diagnostic::bank::Question| -> Vec<(String, String)> {
        match q.kind {
            Kind::Checklist => vec![("tick".into(), q.items[0].code.clone())],
            Kind::Scale => q
                .items
                .iter()
                .map(|i| (format!("rate:{}", i.code), "3".into()))
                .collect(),
            Kind::Triple => vec![("triple".into(), "2".into())],
        }
    };
    let (f1, f2) = (form_for(q1), form_for(q2));
    let r1: Vec<(&str, &str)> = f1.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r2: Vec<(&str, &str)> = f2.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (p1, p2) = (format!("{base}/1"), format!("{base}/2"));
    let (a, c) = tokio::join!(b.submit(&p1, &r1), other_tab.submit(&p2, &r2));
    assert_eq!((a.0, c.0), (303, 303));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostic_answers").await,
        2 + i64::from(triple.allow_na)
    );

    // An answer naming another question's item is refused; nothing is saved.
    let (n, checklist) = questions
        .iter()
        .enumerate()
        .skip(2)
        .find(|(_, q)| q.kind == Kind::Checklist)
        .unwrap();
    let (status, _, html) = b
        .submit(
            &format!("{base}/{}", n + 1),
            &[("tick", "not-an-item"), ("go", "next")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("does not match the question shown"));
    let saved = app
        .count(&format!(
            "SELECT COUNT(*) FROM diagnostic_answers WHERE question_code = '{}'",
            checklist.code
        ))
        .await;
    assert_eq!(saved, 0);
    // Unknown links and question numbers get a clear page.
    assert_eq!(b.page(&format!("{base}/999")).await.0, 404);
    let (status, html) = b.page(&format!("/diagnostic/d/{}/1", "a".repeat(64))).await;
    assert_eq!(status, 404);
    assert!(html.contains("Diagnostic link not found"));
    assert_eq!(b.page("/diagnostic/d/nope/resultats").await.0, 404);
}

async fn a_quick_check_extends_to_the_full_assessment_without_re_answering(app: &TestApp) {
    let bank = default_bank().unwrap();
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    answer_all(&mut b, &base, &bank, false, 2).await;
    b.submit(&format!("{base}/terminer"), &[]).await;
    let (_, html) = b.page(&format!("{base}/resultats")).await;
    assert!(html.contains("id=\"overall-score\">100<"));
    assert!(html.contains("Aucune étape prioritaire"));
    assert!(html.contains("Compléter le diagnostic"));
    let (status, location, _) = b.submit(&format!("{base}/approfondir"), &[]).await;
    assert_eq!(status, 303);
    let full = bank.questions_for(true);
    let first_new = full.iter().position(|q| !q.quick).unwrap() + 1;
    assert_eq!(location, format!("{base}/{first_new}"));
    let (_, html) = b.page(&format!("{base}/recapitulatif")).await;
    let missing = full.len() - 12;
    assert!(
        html.contains(&format!("{missing} questions sans réponse.")),
        "{html}"
    );
    // The quick answers are still there: answer only the new ones.
    for (i, q) in full.iter().enumerate().filter(|(_, q)| !q.quick) {
        let form: Vec<(String, String)> = match q.kind {
            Kind::Checklist => vec![],
            Kind::Scale => q
                .items
                .iter()
                .map(|it| (format!("rate:{}", it.code), "0".to_string()))
                .collect(),
            Kind::Triple => vec![("triple".into(), "0".into())],
        };
        let refs: Vec<(&str, &str)> = form.iter().map(|(a, c)| (a.as_str(), c.as_str())).collect();
        assert_eq!(b.submit(&format!("{base}/{}", i + 1), &refs).await.0, 303);
    }
    assert_eq!(b.submit(&format!("{base}/terminer"), &[]).await.0, 303);
    let mode: String = sqlx::query_scalar("SELECT mode FROM diagnostics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(mode, "full");
    let (_, html) = b.page(&format!("{base}/resultats")).await;
    assert!(
        !html.contains("id=\"overall-score\">100<"),
        "new zero answers lower the score"
    );
    assert!(!html.contains("Compléter le diagnostic"));
}

async fn the_benchmark_widens_until_the_group_is_large_enough(app: &TestApp) {
    let bank = default_bank().unwrap();
    // Five retail businesses elsewhere, of another size.
    for i in 0..5 {
        let mut b = Browser::new(app).await;
        let base = start(&mut b, "quick").await;
        let territory = if i % 2 == 0 { "FR-D24" } else { "FR-D40" };
        b.submit(
            &format!("{base}/profil"),
            &[
                ("sector_code", "47"),
                ("size_band", "0"),
                ("territory_code", territory),
            ],
        )
        .await;
        answer_all(&mut b, &base, &bank, false, 2).await;
        b.submit(&format!("{base}/terminer"), &[]).await;
    }
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    b.submit(
        &format!("{base}/profil"),
        &[
            ("sector_code", "47"),
            ("size_band", "1-9"),
            ("territory_code", "FR-D33"),
        ],
    )
    .await;
    answer_all(&mut b, &base, &bank, false, 0).await;
    b.submit(&format!("{base}/terminer"), &[]).await;
    let (_, html) = b.page(&format!("{base}/resultats")).await;
    assert!(
        html.contains("Comparaison avec les entreprises du même secteur :"),
        "{html}"
    );
    assert!(html.contains("5 diagnostics"));
    assert!(html.contains("score global médian 100"));
    assert!(html.contains("stroke-dasharray"));
    let b2 = Browser::new(app).await;
    let _ = b2;
    // Someone in another sector is compared with everyone.
    let mut c = Browser::new(app).await;
    let base = start(&mut c, "quick").await;
    c.submit(&format!("{base}/profil"), &[("sector_code", "43")])
        .await;
    answer_all(&mut c, &base, &bank, false, 0).await;
    c.submit(&format!("{base}/terminer"), &[]).await;
    let (_, html) = c.page(&format!("{base}/resultats")).await;
    assert!(
        html.contains("l&#39;ensemble des entreprises du programme")
            || html.contains("l'ensemble des entreprises du programme"),
        "{html}"
    );
    assert!(html.contains("6 diagnostics"));
}

async fn exports_and_private_links(app: &TestApp) {
    let bank = default_bank().unwrap();
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    answer_all(&mut b, &base, &bank, false, 2).await;
    b.submit(&format!("{base}/terminer"), &[]).await;

    let res = b.get(&format!("{base}/export.csv")).await;
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.contains("score;overall;Score global;100.0"));
    assert!(csv.contains(&format!("meta;bank_version;;{}", bank.version)));
    let json: serde_json::Value = b
        .get(&format!("{base}/export.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["overall"], 100.0);
    assert_eq!(json["level"], "advanced");
    assert_eq!(json["dimensions"].as_array().unwrap().len(), 6);
    let res = b.get(&format!("{base}/rapport.pdf")).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Score global : 100 / 100"), "{text}");
    }
    if let Ok(dir) = std::env::var("TREMPLIN_TEST_ARTIFACTS") {
        std::fs::write(format!("{dir}/diagnostic-{:?}.pdf", app.backend), &pdf).unwrap();
    }

    let (status, _, html) = b
        .submit(&format!("{base}/lien"), &[("email", "pas-une-adresse")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Saisissez une adresse e-mail valide"));
    let (status, _, html) = b
        .submit(
            &format!("{base}/lien"),
            &[("email", "Marie@Boulangerie-Dupont.fr")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Le lien a été envoyé à marie@boulangerie-dupont.fr."));
    let mail = app.last_mail_to("marie@boulangerie-dupont.fr").await;
    assert!(mail.body_text.contains(&format!("{base}/recapitulatif")));

    // The programme's export is for its manager only.
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(adviser.page("/admin/diagnostics.csv").await.0, 403);
    let mut manager = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let (status, csv) = manager.page("/admin/diagnostics.csv").await;
    assert_eq!(status, 200);
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(";strategy;readiness;human;data;automation;green"));
    assert_eq!(csv.lines().count(), 2);
}

async fn an_owners_diagnostics_form_a_series_with_progress(app: &TestApp) {
    let bank = default_bank().unwrap();
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    // T0: her business profile is known, so no profile step.
    let (status, location, _) = marie.submit("/diagnostic", &[("mode", "quick")]).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("/1"), "{location}");
    let base = location.trim_end_matches("/1").to_string();
    answer_all(&mut marie, &base, &bank, false, 0).await;
    marie.submit(&format!("{base}/terminer"), &[]).await;
    let linked = app
        .count(
            "SELECT COUNT(*) FROM diagnostics WHERE business_id IS NOT NULL AND sector_code = '10'",
        )
        .await;
    assert_eq!(linked, 1);
    // T1, better.
    let (_, location, _) = marie.submit("/diagnostic", &[("mode", "quick")]).await;
    let base = location.trim_end_matches("/1").to_string();
    answer_all(&mut marie, &base, &bank, false, 2).await;
    marie.submit(&format!("{base}/terminer"), &[]).await;
    let (_, html) = marie.page(&format!("{base}/resultats")).await;
    assert!(html.contains("Votre progression"));
    assert!(html.contains("<td>+100</td>"));
    let (status, html) = marie.page("/diagnostic/progression").await;
    assert_eq!(status, 200);
    assert!(html.contains("T0 ·") && html.contains("T1 ·"));
    // A draft can be resumed from the start page.
    let (_, location, _) = marie.submit("/diagnostic", &[("mode", "full")]).await;
    let draft_base = location.trim_end_matches("/1").to_string();
    marie
        .submit(&format!("{draft_base}/1"), &[("go", "next")])
        .await;
    let (_, html) = marie.page("/diagnostic").await;
    assert!(html.contains("Vos diagnostics en cours"));
    let id = app
        .count("SELECT id FROM diagnostics WHERE status = 'draft'")
        .await;
    let (status, location, _) = marie
        .submit(&format!("/diagnostic/reprendre/{id}"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("/recapitulatif"));
    // Someone else cannot take over her draft.
    let mut other = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(
        other
            .submit(&format!("/diagnostic/reprendre/{id}"), &[])
            .await
            .0,
        404
    );
}

async fn an_adviser_runs_an_assisted_diagnostic_with_notes(app: &TestApp) {
    let bank = default_bank().unwrap();
    let business = app
        .count("SELECT id FROM businesses WHERE name = 'Garage du Médoc'")
        .await;
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    assert_eq!(
        marie
            .submit(&format!("/diagnostic/accompagne/{business}"), &[])
            .await
            .0,
        403
    );
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (status, location, _) = adviser
        .submit(&format!("/diagnostic/accompagne/{business}"), &[])
        .await;
    assert_eq!(status, 303);
    let base = location.trim_end_matches("/1").to_string();
    let (_, html) = adviser.page(&location).await;
    assert!(html.contains("Diagnostic accompagné par un conseiller"));
    answer_all(&mut adviser, &base, &bank, true, 0).await;
    let (status, _, html) = adviser
        .submit(
            &format!("{base}/notes"),
            &[
                ("note:data", "Le fichier clients est sur des fiches papier."),
                ("note:bogus", "x"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Les notes sont enregistrées."));
    assert_eq!(
        marie
            .submit(&format!("{base}/notes"), &[("note:data", "x")])
            .await
            .0,
        403
    );
    adviser.submit(&format!("{base}/terminer"), &[]).await;
    let (_, html) = adviser.page(&format!("{base}/resultats")).await;
    assert!(html.contains("Le fichier clients est sur des fiches papier."));
    let assisted = app
        .count("SELECT COUNT(*) FROM diagnostics WHERE assisted = 1 AND adviser_id IS NOT NULL")
        .await;
    assert_eq!(assisted, 1);
}
