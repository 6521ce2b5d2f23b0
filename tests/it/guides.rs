//! Practical guides: the starter set is published and filtered, Markdown is
//! rendered safely, the editor keeps a history and refuses stale or bad
//! input, reads and "was this useful?" are counted per theme, and files
//! import (bad ones reported) and export back the same.

use tremplin::guides::files;
use tremplin::guides::model::parse_file;
use tremplin::guides::store as guides;

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    the_starter_guides_are_published_filtered_and_counted,
    the_editor_sanitises_versions_and_refuses_bad_input,
    guide_files_import_with_bad_files_reported_and_export_back,
    one_search_box_finds_guides_workshops_providers_and_schemes
);

const ADMIN: &str = "responsable@tremplin-demo.fr";

async fn the_starter_guides_are_published_filtered_and_counted(app: &TestApp) {
    let html = client()
        .get(app.url("/fiches"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.matches("data-guide=\"").count() >= 12, "{html}");
    // Filtered by theme: only guides on backups.
    let html = client()
        .get(app.url("/fiches?theme=sauvegardes"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-guide=\"sauvegardes\""));
    assert!(html.contains("data-guide=\"cybersecurite-essentiel\""));
    assert!(!html.contains("data-guide=\"reseaux-sociaux\""));
    // Words, accents ignored.
    let html = client()
        .get(app.url("/fiches?q=reseaux%20sociaux"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-guide=\"reseaux-sociaux\""), "{html}");
    // A guide page: Markdown rendered, the read counted.
    let res = client()
        .get(app.url("/fiches/sauvegardes"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h2>La règle 3-2-1</h2>"), "{html}");
    assert!(!html.contains("<h3>"), "sections follow the title");
    assert!(html.contains("Cet article vous a-t-il été utile ?"));
    assert_eq!(
        app.count("SELECT reads FROM guides WHERE slug = 'sauvegardes'")
            .await,
        1
    );
    // "Was this useful?" counted, shown per theme to staff.
    let mut visitor = Browser::new(app).await;
    let (status, location, _) = visitor
        .submit("/fiches/sauvegardes/utile", &[("useful", "yes")])
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("merci=1"));
    let (status, _, _) = visitor
        .submit("/fiches/sauvegardes/utile", &[("useful", "maybe")])
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        app.count("SELECT useful_yes FROM guides WHERE slug = 'sauvegardes'")
            .await,
        1
    );
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/fiches").await;
    assert_eq!(status, 200);
    let stats = &html[html.find("id=\"theme-stats\"").unwrap()..];
    assert!(stats.contains("Sauvegarder ses données"), "{stats}");
    // The public may not reach the staff pages.
    let res = client().get(app.url("/admin/fiches")).send().await.unwrap();
    assert_ne!(res.status(), 200);
}

async fn the_editor_sanitises_versions_and_refuses_bad_input(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let body = "Texte **utile** <script>alert(1)</script>\n\n<iframe src=\"https://evil.test\"></iframe>\n\n[piège](javascript:alert(1)) [ok](https://www.cnil.fr) ![x](data:image/png;base64,AAAA)";
    let form = |themes: &'static str, status: &'static str, version: &'static str| {
        vec![
            ("title_fr", "Tester ses sauvegardes"),
            ("title_en", "Test your backups"),
            ("slug", ""),
            ("status", status),
            ("level", "beginner"),
            ("summary_fr", "Restaurer un fichier chaque trimestre."),
            ("summary_en", "Restore a file every quarter."),
            ("body_fr", body),
            ("body_en", "Restore one file **every quarter** to be sure."),
            ("themes", themes),
            ("sectors", ""),
            ("sizes", ""),
            ("territories", "FR-D33"),
            ("version", version),
        ]
    };
    // Unknown theme: refused, what was typed kept, the code named.
    let (status, _, html) = admin
        .submit(
            "/admin/fiches/nouvelle",
            &form("sauvegardes, astrologie", "draft", "0"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"unknown-codes\""), "{html}");
    assert!(html.contains("astrologie"));
    assert!(html.contains("value=\"Tester ses sauvegardes\""));
    // A draft is saved, not public.
    let (status, location, _) = admin
        .submit("/admin/fiches/nouvelle", &form("sauvegardes", "draft", "0"))
        .await;
    assert_eq!(status, 303, "{location}");
    let id: i64 = location
        .trim_start_matches("/admin/fiches/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let res = client()
        .get(app.url("/fiches/tester-ses-sauvegardes"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // Published as version 2.
    let (status, _, _) = admin
        .submit(
            &format!("/admin/fiches/{id}"),
            &form("sauvegardes", "published", "1"),
        )
        .await;
    assert_eq!(status, 303);
    let html = client()
        .get(app.url("/fiches/tester-ses-sauvegardes"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let article = &html[html.find("class=\"guide-body\"").unwrap()..];
    assert!(article.contains("<strong>utile</strong>"));
    assert!(!article.contains("<script"), "{article}");
    assert!(!article.contains("<iframe"), "{article}");
    assert!(!article.contains("javascript:"), "{article}");
    assert!(!article.contains("data:image"), "{article}");
    assert!(article.contains("<a href=\"https://www.cnil.fr\" rel=\"nofollow noopener\">ok</a>"));
    // A stale editor (version 1) is refused, nothing lost.
    let (status, _, html) = admin
        .submit(
            &format!("/admin/fiches/{id}"),
            &form("sauvegardes", "draft", "1"),
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("id=\"stale\""));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM guide_versions WHERE guide_id = {id}"
        ))
        .await,
        2
    );
    let (_, html) = admin.page(&format!("/admin/fiches/{id}")).await;
    assert!(html.contains("data-version=\"2\""));
    assert!(html.contains("Claire Responsable"));
    assert!(html.contains("status"));
    // Exported as a file the import reads back.
    let res = admin.get(&format!("/admin/fiches/{id}/export.md")).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let form = parse_file(&text).unwrap();
    assert_eq!(form.slug, "tester-ses-sauvegardes");
    assert_eq!(form.territories, "FR-D33");
}

async fn guide_files_import_with_bad_files_reported_and_export_back(app: &TestApp) {
    let good = "---\nslug: caisse-enregistreuse\nstatus: published\nlevel: beginner\nthemes: paiement-en-ligne-terminal\ntitle_fr: Choisir une caisse enregistreuse\ntitle_en: Choose a till system\nsummary_fr: Les critères d'une caisse certifiée.\nsummary_en: What a certified till needs.\n---\nUne caisse certifiée est obligatoire pour les commerçants.\n\n::: en\nA certified till is compulsory for shopkeepers.\n";
    let no_front = "Pas d'en-tête ici.";
    let bad_theme = good
        .replace("caisse-enregistreuse", "autre")
        .replace("paiement-en-ligne-terminal", "theme-inconnu");
    let report = files::import(
        &app.db,
        &[
            ("a.md".into(), good.into()),
            ("b.md".into(), no_front.into()),
            ("c.md".into(), bad_theme),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.created, 1);
    let rejected: Vec<&str> = report.rejected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(rejected, vec!["b.md", "c.md"]);
    assert!(matches!(report.rejected[1].1, files::Problem::Fields(ref v) if v.has("themes")));
    // The staff page reports a bad file by name.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin
        .upload(
            "/admin/fiches/import",
            "files",
            "broken.md",
            no_front.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-rejected=\"broken.md\""), "{html}");
    // Export then import again: nothing new, no new version.
    let dir = std::env::temp_dir().join(format!(
        "tremplin-guides-{}-{:?}",
        std::process::id(),
        app.backend
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let n = files::export(&app.db, &dir).await.unwrap();
    assert!(n >= 13);
    let versions = app.count("SELECT COUNT(*) FROM guide_versions").await;
    let again = files::import(&app.db, &files::read_folder(&dir).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(again.created, 0);
    assert!(again.rejected.is_empty(), "{:?}", again.rejected);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM guide_versions").await,
        versions
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(guides::by_slug(&app.db, "caisse-enregistreuse")
        .await
        .unwrap()
        .is_some());
}

async fn one_search_box_finds_guides_workshops_providers_and_schemes(app: &TestApp) {
    let get = |path: String| async move {
        let res = client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.text().await.unwrap()
    };
    // Accents, case and word forms ignored: "Réseaux SOCIAL" finds the guide,
    // the Mérignac workshop and the community manager's card.
    let html = get("/recherche?q=R%C3%A9seaux%20SOCIAL".into()).await;
    let section = |kind: &str| {
        let start = html.find(&format!("data-kind=\"{kind}\"")).unwrap();
        html[start..]
            .split("</section>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(
        section("guides").contains("href=\"/fiches/reseaux-sociaux\""),
        "{html}"
    );
    assert!(section("workshops").contains("href=\"/ateliers/"), "{html}");
    assert!(
        section("providers").contains("Studio Réseaux Sociaux Bordeaux"),
        "{html}"
    );
    let html = get("/recherche?q=cheque%20numerique".into()).await;
    assert!(
        html.contains("href=\"/aides/cheque-numerique-regional\""),
        "{html}"
    );
    // The open-data API lists the guides with their Markdown.
    let json: serde_json::Value = client()
        .get(app.url("/api/v1/guides?theme=sauvegardes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"sauvegardes"), "{json}");
    assert!(!slugs.contains(&"reseaux-sociaux"));
}
