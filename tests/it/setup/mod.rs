//! Programme set-up by the programme manager: the programme, its
//! territories, sectors, themes, partners and the diagnostic questionnaire;
//! refused to everyone else.

use crate::both_databases;

mod programme;
mod questionnaires;
use crate::harness::{client, csrf_for, Browser as Visitor, TestApp, PW};
use tremplin::cli::seed::DEMO_PASSWORD;

const MANAGER: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";

/// A signed-in browser: the cookie header to send and the CSRF token.
struct Browser {
    cookie: String,
    token: String,
}

async fn sign_in(app: &TestApp, email: &str) -> Browser {
    let (csrf_cookie, token) = csrf_for(app, "/connexion").await;
    let res = client()
        .post(app.url("/connexion"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("email", email),
            ("password", DEMO_PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "login of {email}");
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tremplin_session="))
        .expect("session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // Signed in, the CSRF token is the one bound to the session.
    let token = tremplin::web::pipeline::session_csrf_token(
        session.trim_start_matches("tremplin_session="),
    );
    Browser {
        cookie: format!("{csrf_cookie}; {session}"),
        token,
    }
}

impl Browser {
    /// The same browser with the interface in English.
    fn english(&self) -> Browser {
        Browser {
            cookie: format!("{}; tremplin_lang=en", self.cookie),
            token: self.token.clone(),
        }
    }

    async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        client()
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, app: &TestApp, path: &str) -> String {
        let res = self.get(app, path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.text().await.unwrap()
    }

    async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", self.token.as_str())];
        form.extend_from_slice(fields);
        client()
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn programme_fields(name: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("action", "save"),
        ("name", name),
        ("operator", "Chambre de métiers de la Gironde"),
        ("logo_url", "https://www.example.org/logo.png"),
        ("timezone", "Europe/Paris"),
        ("default_locale", "fr"),
        ("start_date", "2026-01-05"),
        ("end_date", "2028-04-30"),
        ("target_aware", "1 600"),
        ("target_date", "2027-06-30"),
        ("target_diagnostics", "400"),
        ("target_coaching", "120"),
        ("budget", "337 000,50"),
        ("contact_email", "equipe@tremplin-demo.fr"),
        ("summary_fr", "Un programme pour les artisans de Gironde."),
        ("summary_en", "A programme for craftspeople in Gironde."),
    ]
}

const TERRITORY_CSV: &str = "code,parent_code,level,name_fr,name_en\n\
FR-C33522,FR-D33,commune,Talence,Talence\n\
FR-C99001,FR-D99,commune,Nulle-Part,Nowhere\n";

async fn import(app: &TestApp, who: &Browser, bytes: &[u8]) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name("territoires.csv")
        .mime_str("text/csv")
        .unwrap();
    client()
        .post(app.url(&format!(
            "/admin/territoires/import?csrf_token={}",
            who.token
        )))
        .header("cookie", &who.cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

const PAGES: [&str; 9] = [
    "/admin/programme",
    "/admin/territoires",
    "/admin/territoires/import",
    "/admin/secteurs",
    "/admin/thematiques",
    "/admin/thematiques/1",
    "/admin/partenaires",
    "/admin/partenaires/1",
    "/admin/questionnaire",
];

// ------------------------------------------------------------ questionnaire

const SHIPPED_BANK: &str = include_str!("../../../banks/dma-2026.1.toml");

/// The shipped bank under another version number.
fn bank_version(version: &str) -> String {
    let text = SHIPPED_BANK.replacen(
        "version = \"2026.1\"",
        &format!("version = \"{version}\""),
        1,
    );
    assert!(text.contains(&format!("version = \"{version}\"")));
    text
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect(needle);
    text[..at].matches('\n').count() + 1
}

/// Upload a bank file; returns status, Location and body.
async fn import_bank(
    app: &TestApp,
    who: &Visitor,
    name: &str,
    bytes: &[u8],
) -> (u16, String, String) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str("application/toml")
        .unwrap();
    let res = client()
        .post(app.url(&format!("/admin/questionnaire?csrf_token={}", who.csrf())))
        .header("cookie", who.cookie_header())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = location(&res);
    (status, location, res.text().await.unwrap())
}

/// Start an anonymous quick check; returns the version it records.
async fn quick_check_version(app: &TestApp) -> String {
    let mut visitor = Visitor::new(app).await;
    let (status, location, _) = visitor.submit("/diagnostic", &[("mode", "quick")]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/diagnostic/d/"), "{location}");
    text(
        app,
        "SELECT bank_version FROM diagnostics ORDER BY id DESC LIMIT 1",
    )
    .await
}
