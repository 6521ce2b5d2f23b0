//! Set-up: importing a new questionnaire version, and what is refused.

use super::*;

both_databases!(
    a_new_questionnaire_version_is_imported_and_used_by_new_diagnostics,
    a_questionnaire_with_a_prerequisite_cycle_is_refused_with_its_line,
    a_questionnaire_with_a_syntax_error_is_refused_with_its_line,
    an_existing_questionnaire_version_is_refused,
    only_programme_managers_may_import_a_questionnaire,
);

async fn a_new_questionnaire_version_is_imported_and_used_by_new_diagnostics(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    // Before: the shipped version, with its counts per dimension.
    assert_eq!(quick_check_version(app).await, "2026.1");
    let (status, html) = admin.page("/admin/questionnaire").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<h1>Questionnaire du diagnostic</h1>"),
        "{html}"
    );
    assert!(html.contains("<dd>Diagnostic de maturité numérique</dd>"));
    assert!(html.contains("<dd><code>dma</code></dd>"));
    assert!(html.contains("<dd><code>2026.1</code> (fournie avec Tremplin)</dd>"));
    assert!(html.contains("<th scope=\"row\">Stratégie numérique</th><td>2</td>"));
    assert!(html.contains("<th scope=\"row\">Total</th><td>12</td>"));
    assert!(html.contains("Chaque diagnostic garde la version du questionnaire"));
    assert!(html.contains("banks/dma-2026.1.toml"));
    assert!(html.contains("<td>1 diagnostic</td>"));
    assert!(html.contains("action=\"/admin/questionnaire?csrf_token="));
    assert!(html.contains("href=\"/admin/questionnaire\" class=\"button\" aria-current=\"page\""));

    let (status, location, _) = import_bank(
        app,
        &admin,
        "dma-2027.1.toml",
        bank_version("2027.1").as_bytes(),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/admin/questionnaire?importe=2027.1");
    let (status, html) = admin.page(&location).await;
    assert_eq!(status, 200);
    assert!(html
        .contains("Version 2027.1 importée : elle sera utilisée pour les nouveaux diagnostics."));
    assert!(
        html.contains("<dd><code>2027.1</code> (importée)</dd>"),
        "{html}"
    );
    assert!(html.contains("Claire Responsable"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM question_banks WHERE version = '2027.1' AND active = 1")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT imported_by FROM question_banks WHERE version = '2027.1'")
            .await,
        app.count("SELECT id FROM users WHERE email = 'responsable@tremplin-demo.fr'")
            .await
    );
    // A made-up flag announces nothing.
    let (_, html) = admin.page("/admin/questionnaire?importe=9999").await;
    assert!(!html.contains("importée : elle sera"));

    // New diagnostics use the new version; the old one keeps its own.
    assert_eq!(quick_check_version(app).await, "2027.1");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE bank_version = '2026.1'")
            .await,
        1
    );
    let (_, html) = admin.page("/admin/questionnaire").await;
    assert_eq!(html.matches("<td>1 diagnostic</td>").count(), 2, "{html}");

    // In English.
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, html) = admin.page("/admin/questionnaire").await;
    assert!(html.contains("<dd>Digital maturity diagnostic</dd>"));
    assert!(html.contains("<dd><code>2027.1</code> (imported)</dd>"));
    assert!(html.contains("<th scope=\"row\">Digital business strategy</th>"));
    assert!(html.contains("Each diagnostic keeps the version of the questionnaire"));
}

async fn a_questionnaire_with_a_prerequisite_cycle_is_refused_with_its_line(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    // The first step requires itself.
    let cyclic =
        bank_version("2027.2").replacen("requires = []", "requires = [\"digital-plan\"]", 1);
    let line = line_of(&cyclic, "code = \"digital-plan\"");
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "cycle.toml",
            cyclic.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "Le fichier cycle.toml n&#39;a pas été importé : ligne {line} — the prerequisites of step digital-plan form a cycle"
        )),
        "{html}"
    );
    assert!(html.contains("Rien n&#39;a été modifié"));
    assert!(html.contains("<dd><code>2026.1</code> (fournie avec Tremplin)</dd>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);

    // Two steps that require each other, in English.
    let mutual =
        bank_version("2027.2").replacen("requires = []", "requires = [\"choose-provider\"]", 1);
    let line = line_of(&mutual, "code = \"digital-plan\"");
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "mutual.toml",
            mutual.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "The file mutual.toml was not imported: line {line} — the prerequisites of step digital-plan form a cycle"
        )),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
    assert_eq!(quick_check_version(app).await, "2026.1");
}

async fn a_questionnaire_with_a_syntax_error_is_refused_with_its_line(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    let broken = bank_version("2027.3").replacen("kind = \"checklist\"", "kind = checklist", 1);
    let line = line_of(&broken, "kind = checklist");
    assert!(line > 10);
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "syntaxe.toml",
            broken.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "Le fichier syntaxe.toml n&#39;a pas été importé : ligne {line} — "
        )),
        "{html}"
    );
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("aria-invalid=\"true\""));

    // Not UTF-8, not a .toml file, no file at all: explained too.
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "latin1.toml",
            b"title_fr = \"Diagnostic \xe9t\xe9\"\n".to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le fichier latin1.toml n&#39;a pas été importé : il n&#39;est pas enregistré en UTF-8."), "{html}");
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "questions.csv",
            bank_version("2027.3").into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("se termine par .toml"), "{html}");
    let (status, html) = admin
        .upload("/admin/questionnaire", "file", "vide.toml", vec![])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le fichier vide.toml n&#39;a pas été importé : il est vide."));
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
}

async fn an_existing_questionnaire_version_is_refused(app: &TestApp) {
    let admin = Visitor::signed_in(app, MANAGER, PW).await;
    let (status, _, _) =
        import_bank(app, &admin, "dma.toml", bank_version("2027.1").as_bytes()).await;
    assert_eq!(status, 303);
    let imported_at = app
        .count("SELECT imported_at FROM question_banks WHERE version = '2027.1'")
        .await;

    // The same version again, changed or not, is refused.
    let changed = bank_version("2027.1").replacen(
        "title_fr = \"Diagnostic de maturité numérique\"",
        "title_fr = \"Diagnostic révisé\"",
        1,
    );
    let (status, _, html) = import_bank(app, &admin, "dma.toml", changed.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("La version 2027.1 existe déjà. Changez le numéro de version"),
        "{html}"
    );
    assert!(html.contains("<dd>Diagnostic de maturité numérique</dd>"));
    // So is the shipped version.
    let (status, _, html) =
        import_bank(app, &admin, "dma-2026.1.toml", SHIPPED_BANK.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(html.contains("La version 2026.1 existe déjà."), "{html}");

    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 1);
    assert_eq!(
        app.count("SELECT imported_at FROM question_banks WHERE version = '2027.1'")
            .await,
        imported_at
    );
    assert_eq!(
        text(app, "SELECT source FROM question_banks").await,
        bank_version("2027.1")
    );
    assert_eq!(quick_check_version(app).await, "2027.1");
}

async fn only_programme_managers_may_import_a_questionnaire(app: &TestApp) {
    let mut adviser = Visitor::signed_in(app, ADVISER, PW).await;
    let (status, _) = adviser.page("/admin/questionnaire").await;
    assert_eq!(status, 403);
    let (status, _) = adviser
        .upload(
            "/admin/questionnaire",
            "file",
            "dma.toml",
            bank_version("2027.1").into_bytes(),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);

    // Without the CSRF token, even the manager is refused.
    let admin = Visitor::signed_in(app, MANAGER, PW).await;
    let part =
        reqwest::multipart::Part::bytes(bank_version("2027.1").into_bytes()).file_name("dma.toml");
    let res = client()
        .post(app.url("/admin/questionnaire"))
        .header("cookie", admin.cookie_header())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
}
