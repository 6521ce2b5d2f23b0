//! A NUL byte anywhere a request brings text in (form field, query string,
//! path segment, JSON string, CSV cell) is refused before the database, with
//! the field named: PostgreSQL cannot store it and SQLite would keep it as-is.

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    form_fields_with_a_nul_byte_are_refused_with_the_field_named,
    query_strings_and_paths_with_a_nul_byte_are_refused,
    api_json_strings_with_a_nul_byte_are_refused,
    csv_cells_with_a_nul_byte_refuse_the_import,
);

/// The field named by a refusal page (`data-refused-field`).
fn refused_field(html: &str) -> Option<&str> {
    html.split("data-refused-field=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
}

async fn form_fields_with_a_nul_byte_are_refused_with_the_field_named(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let (status, _, html) = b
        .submit(
            "/contact",
            &[
                ("name", "Marie\0Dupont"),
                ("email", "marie@boulangerie-dupont.fr"),
                ("topic", "general"),
                ("message", "Bonjour, une question sur les ateliers."),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(refused_field(&html), Some("name"), "{html}");
    assert!(html.contains("<html lang=\"fr\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);

    // In English for an English visitor; the sign-in form too.
    let res = client()
        .post(app.url("/connexion"))
        .header("cookie", b.cookie_header())
        .header("accept-language", "en")
        .form(&[
            ("email", "marie@boulangerie-dupont.fr\0"),
            ("password", PW),
            ("csrf_token", &b.csrf()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_eq!(refused_field(&html), Some("email"));
    assert!(html.contains("null character"), "{html}");

    // A form with repeated fields (a need's checkboxes) goes through the same check.
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let before = app.count("SELECT COUNT(*) FROM needs").await;
    let (status, _, html) = marie
        .submit(
            "/besoins/nouveau",
            &[("title", "Site\0web"), ("themes", "web")],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(refused_field(&html), Some("title"));
    assert_eq!(app.count("SELECT COUNT(*) FROM needs").await, before);
}

async fn query_strings_and_paths_with_a_nul_byte_are_refused(app: &TestApp) {
    let mut b = Browser::new(app).await;
    for (url, field) in [
        ("/annuaire?q=plom%00bier", "q"),
        ("/ateliers?theme=%00", "theme"),
        ("/diagnostic/d/ab%00cd/resultats", "token"),
        ("/connexion?next=/%00", "next"),
    ] {
        let (status, html) = b.page(url).await;
        assert_eq!(status, 400, "{url}: {html}");
        assert_eq!(refused_field(&html), Some(field), "{url}");
    }
    for (url, field) in [
        ("/api/v1/workshops?theme=x%00", "theme"),
        ("/api/v1/diagnostics/%00", "token"),
        ("/api/v1/businesses?q=%00", "q"),
    ] {
        let res = client().get(app.url(url)).send().await.unwrap();
        assert_eq!(res.status(), 400, "{url}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{url}"
        );
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], field, "{url}");
        assert_eq!(p["errors"][0]["code"], "nul-byte", "{url}");
    }
}

async fn api_json_strings_with_a_nul_byte_are_refused(app: &TestApp) {
    let res = client()
        .post(app.url("/api/v1/contact"))
        .header("content-type", "application/json")
        .body(
            r#"{"name":"Marie\u0000","email":"marie@boulangerie-dupont.fr","topic":"general",
                "message":"Bonjour, une question sur les ateliers.","consent":true}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "name");
    assert_eq!(p["errors"][0]["code"], "nul-byte");
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);

    let before = app.count("SELECT COUNT(*) FROM diagnostics").await;
    let res = client()
        .post(app.url("/api/v1/diagnostics"))
        .header("accept-language", "en")
        .json(&serde_json::json!({"mode": "quick", "territory_code": "FR-D33\u{0}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "territory_code");
    assert!(p["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("null character"));
    assert_eq!(app.count("SELECT COUNT(*) FROM diagnostics").await, before);
}

async fn csv_cells_with_a_nul_byte_refuse_the_import(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let before = app.count("SELECT COUNT(*) FROM businesses").await;
    let csv = b"Name;Country;Legal ID;Size band;Address\n\
        Plomberie Ruiz;FR;552100554;0;\n\
        Boulangerie Nul;FR;443061841;1-9;1 rue\0du Port\n"
        .to_vec();
    let (status, html) = adviser
        .upload("/entreprises/import", "file", "export.csv", csv)
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("Ligne 3") && html.contains("address"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses").await, before);
}
