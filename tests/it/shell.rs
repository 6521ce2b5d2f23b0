//! The web shell: languages, error pages, headers, assets.

use crate::both_databases;
use crate::harness::{client, TestApp};

both_databases!(
    home_is_french_by_default_and_english_on_request,
    language_switch_remembers_the_choice,
    unknown_pages_get_a_localised_404,
    security_headers_are_set,
    static_assets_are_compressed_and_cached,
);

async fn home_is_french_by_default_and_english_on_request(app: &TestApp) {
    let fr = client().get(app.url("/")).send().await.unwrap();
    assert_eq!(fr.status(), 200);
    let html = fr.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Ce que le programme vous propose"));
    assert!(html.contains("Tremplin numérique Sud-Ouest"));
    assert!(
        html.contains("Objectif : 1\u{202F}600 entreprises sensibilisées"),
        "{html}"
    );

    let en = client()
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9,fr;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("What the programme offers you"));
    assert!(en.contains("Goal: 1,600 businesses made aware"));
}

async fn language_switch_remembers_the_choice(app: &TestApp) {
    let res = client()
        .get(app.url("/lang/en?next=/contact"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/contact");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(cookie, "tremplin_lang=en");

    // The picked language wins over the browser's.
    let html = client()
        .get(app.url("/contact"))
        .header("cookie", &cookie)
        .header("accept-language", "fr-FR")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Contact the programme team"));

    // No open redirect, and unknown languages are a 404.
    let res = client()
        .get(app.url("/lang/fr?next=//evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
    let res = client().get(app.url("/lang/de")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

async fn unknown_pages_get_a_localised_404(app: &TestApp) {
    let res = client().get(app.url("/nulle-part")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Page introuvable"));
    assert!(html.contains("Retour à l"));

    let html = client()
        .get(app.url("/nowhere"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Page not found"));

    // A method the route does not accept is a localised page too.
    let res = client().delete(app.url("/")).send().await.unwrap();
    assert!(
        res.status() == 405 || res.status() == 403,
        "{}",
        res.status()
    );
    assert!(res.text().await.unwrap().contains("<html lang=\"fr\">"));
}

async fn security_headers_are_set(app: &TestApp) {
    let res = client().get(app.url("/")).send().await.unwrap();
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("x-request-id"));
    let set_cookie = h["set-cookie"].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));

    // A request id given by the proxy is kept.
    let res = client()
        .get(app.url("/"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

async fn static_assets_are_compressed_and_cached(app: &TestApp) {
    let html = client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let css = html
        .split("href=\"/static/app.css")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("css link");
    let res = client()
        .get(app.url(&format!("/static/app.css{css}")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let res = client()
        .get(app.url("/static/app.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);

    let plain = client()
        .get(app.url("/static/app.css"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().contains(".button"));

    let res = client()
        .get(app.url("/static/nothing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
