//! Test harness: the real app on a random port with a fresh database per
//! test, on SQLite (a temporary file) and on PostgreSQL (a new database).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use tremplin::app::{self, AppState};
use tremplin::config::{Config, ConfigArgs};
use tremplin::db::{migrations, Backend, Db};
use tremplin::outbox::{Mailer, SentMail};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// What one of poppler's tools prints about a PDF (`pdftotext`, `pdfinfo`);
/// `None` when poppler-utils is not installed, which fails under CI
/// (scripts/test.sh installs it). The font is embedded and subset, so text
/// is not in the bytes as written.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("tremplin-it-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let file = dir.join(format!("{}.pdf", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&file, pdf).unwrap();
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).arg(&file);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output();
    let _ = std::fs::remove_file(&file);
    match out {
        Ok(out) => {
            assert!(out.status.success(), "{tool}: {out:?}");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(e) => {
            assert!(!in_ci(), "{tool} (poppler-utils) is required under CI: {e}");
            None
        }
    }
}

/// The text of a PDF as `pdftotext` reads it.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// The document's title as `pdfinfo` reads it.
pub fn pdf_title(pdf: &[u8]) -> Option<String> {
    Some(
        poppler("pdfinfo", &["-enc", "UTF-8"], pdf)?
            .lines()
            .find_map(|l| l.strip_prefix("Title:").map(|t| t.trim().to_string()))
            .unwrap_or_default(),
    )
}

/// The document's language (the catalogue's `/Lang`, written uncompressed).
pub fn pdf_lang(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    text.split("/Lang(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_default()
        .to_string()
}

/// Admin URL of the test PostgreSQL server.
pub fn pg_admin_url() -> String {
    std::env::var("TREMPLIN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// A fresh, empty database of the given backend: (URL, temp dir, pg name).
pub async fn fresh_database(backend: Backend) -> Option<(String, tempdir::Dir, Option<String>)> {
    let dir = tempdir::Dir::new();
    match backend {
        Backend::Sqlite => Some((
            format!("sqlite://{}/tremplin.db", dir.path.display()),
            dir,
            None,
        )),
        Backend::Postgres => {
            let admin = pg_admin_url();
            let admin_db = match Db::connect(&admin, 1).await {
                Ok(db) => db,
                Err(e) => {
                    if in_ci() {
                        panic!("PostgreSQL is required in CI but unreachable at {admin}: {e}");
                    }
                    eprintln!("skipping PostgreSQL test: cannot connect to {admin}: {e}");
                    return None;
                }
            };
            let name = format!(
                "tremplin_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                rand_suffix()
            );
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin_db.pool)
                .await
                .expect("create test database");
            admin_db.pool.close().await;
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin.clone());
            Some((format!("{base}/{name}"), dir, Some(name)))
        }
    }
}

fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos:x}")
}

/// Drop a PostgreSQL test database.
pub async fn drop_pg_database(name: &str) {
    if let Ok(admin) = Db::connect(&pg_admin_url(), 1).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin.pool)
            .await;
        admin.pool.close().await;
    }
}

/// A running application.
pub struct TestApp {
    pub base: String,
    pub backend: Backend,
    pub db: Db,
    pub state: AppState,
    pub mails: Arc<Mutex<Vec<SentMail>>>,
    pub database_url: String,
    pub data_dir: std::path::PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    pub pg_name: Option<String>,
    _dir: Option<tempdir::Dir>,
}

impl TestApp {
    /// Start the app on a fresh migrated database with the demo data.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let (url, dir, pg_name) = fresh_database(backend).await?;
        let mut app = TestApp::spawn_on(&url, &dir.path).await;
        app.pg_name = pg_name;
        app._dir = Some(dir);
        Some(app)
    }

    /// Start another server on an existing database.
    pub async fn spawn_on(url: &str, data_dir: &std::path::Path) -> TestApp {
        tremplin::i18n::init().unwrap();
        let args = ConfigArgs {
            database_url: Some(url.to_string()),
            bind: Some("127.0.0.1:0".into()),
            data_dir: Some(data_dir.to_path_buf()),
            mail_transport: Some("log".into()),
            contact_email: Some("equipe@programme.test".into()),
            db_max_connections: Some("5".into()),
            metrics_token: Some(METRICS_TOKEN.into()),
            ..Default::default()
        };
        let config = Config::load(&args).expect("test config");
        let db = Db::connect(url, config.db_max_connections)
            .await
            .expect("connect");
        migrations::migrate(&db).await.expect("migrate");
        tremplin::cli::seed::demo(&db).await.expect("seed");
        let mails = Arc::new(Mutex::new(vec![]));
        let state = AppState::new(db.clone(), config, Mailer::Memory(mails.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let server = tokio::spawn(async move {
            app::serve(listener, st, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            backend: db.backend,
            db,
            state,
            mails,
            database_url: url.to_string(),
            data_dir: data_dir.to_path_buf(),
            shutdown: Some(tx),
            server: Some(server),
            pg_name: None,
            _dir: None,
        }
    }

    /// Full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stop the server and drop the test database.
    pub async fn finish(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(s) = self.server.take() {
            let _ = s.await;
        }
        self.db.close().await;
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(&name).await;
        }
    }

    /// Deliver every due outbox message now and return all mails sent so far.
    pub async fn deliver_mail(&self, expected: usize) -> Vec<SentMail> {
        for _ in 0..200 {
            tremplin::outbox::worker::run_once(
                &self.db,
                &self.state.mailer,
                &self.state.config.mail_from,
            )
            .await
            .unwrap();
            // The background worker may have pushed a mail but not yet
            // marked its row: wait for both.
            let n = self.mails.lock().unwrap().len();
            if n >= expected
                && self
                    .count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
                    .await
                    == 0
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.mails.lock().unwrap().clone()
    }

    /// The latest mail sent to `to` (waits for the outbox worker).
    pub async fn last_mail_to(&self, to: &str) -> SentMail {
        self.wait_mail_to(to, |_| true).await
    }

    /// The latest mail sent to `to` that `pred` accepts, delivering what is
    /// due and waiting (an earlier mail to the same address may come first).
    pub async fn wait_mail_to(&self, to: &str, pred: impl Fn(&SentMail) -> bool) -> SentMail {
        for _ in 0..200 {
            tremplin::outbox::worker::run_once(
                &self.db,
                &self.state.mailer,
                &self.state.config.mail_from,
            )
            .await
            .unwrap();
            let found = self
                .mails
                .lock()
                .unwrap()
                .iter()
                .rev()
                .find(|m| m.to == to && pred(m))
                .cloned();
            if let Some(m) = found {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no such mail to {to}: {:?}", self.mails.lock().unwrap());
    }

    /// How many mails were sent to `to` so far (after delivering due ones).
    pub async fn mails_to(&self, to: &str) -> usize {
        for _ in 0..200 {
            tremplin::outbox::worker::run_once(
                &self.db,
                &self.state.mailer,
                &self.state.config.mail_from,
            )
            .await
            .unwrap();
            if self
                .count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
                .await
                == 0
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.to == to)
            .count()
    }

    /// One number from the database.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

/// An HTTP client that does not follow redirects and keeps no cookies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The CSRF cookie and token from a form page: (cookie header value, token).
pub async fn csrf_for(app: &TestApp, path: &str) -> (String, String) {
    let res = client().get(app.url(path)).send().await.unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tremplin_csrf="))
        .expect("csrf cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .expect("csrf field")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    (cookie, token)
}

/// Minimal temporary directory (removed on drop).
pub mod tempdir {
    /// A directory under the system temp dir.
    pub struct Dir {
        pub path: std::path::PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!(
                "tremplin-test-{}-{}",
                std::process::id(),
                super::COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Run one async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::harness::TestApp::spawn(tremplin::db::Backend::Sqlite).await.unwrap();
                    super::$name(&app).await;
                    app.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(app) = $crate::harness::TestApp::spawn(tremplin::db::Backend::Postgres).await else {
                        return;
                    };
                    super::$name(&app).await;
                    app.finish().await;
                }
            }
        )*
    };
}

/// A visitor with a cookie jar: keeps the CSRF and session cookies and adds
/// the CSRF token to every form it posts.
pub struct Browser {
    base: String,
    pub cookies: std::collections::BTreeMap<String, String>,
}

impl Browser {
    /// A new visitor, already holding a CSRF cookie.
    pub async fn new(app: &TestApp) -> Browser {
        let mut b = Browser {
            base: app.base.clone(),
            cookies: Default::default(),
        };
        b.get("/contact").await;
        b
    }

    /// A visitor signed in with the given account.
    pub async fn signed_in(app: &TestApp, email: &str, password: &str) -> Browser {
        let mut b = Browser::new(app).await;
        let res = b.login(email, password).await;
        assert_eq!(res.status(), 303, "login of {email} failed");
        b
    }

    /// The `Cookie` header value.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The CSRF token: bound to the session when signed in, else the
    /// double-submit cookie's value.
    pub fn csrf(&self) -> String {
        if let Some(s) = self.cookies.get("tremplin_session") {
            return tremplin::web::pipeline::session_csrf_token(s);
        }
        self.cookies
            .get("tremplin_csrf")
            .cloned()
            .unwrap_or_default()
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all("set-cookie") {
            let s = v.to_str().unwrap_or("");
            let first = s.split(';').next().unwrap_or("");
            if let Some((k, val)) = first.split_once('=') {
                if s.contains("Max-Age=0") || val.is_empty() {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
    }

    /// GET a path.
    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let res = client()
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&res);
        res
    }

    /// GET a path and return status and body.
    pub async fn page(&mut self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// POST a form (the CSRF token is added).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut fields: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        fields.push(("csrf_token".into(), self.csrf()));
        let res = client()
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(&fields)
            .send()
            .await
            .unwrap();
        self.keep(&res);
        res
    }

    /// POST a form and return status, Location and body.
    pub async fn submit(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
        let res = self.post(path, form).await;
        answer(res).await
    }

    /// POST a file as multipart (CSRF token in the query string).
    pub async fn upload(
        &mut self,
        path: &str,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (u16, String) {
        let (status, _, body) = self
            .submit_with_file(path, &[], (field, name, "text/csv"), bytes)
            .await;
        (status, body)
    }

    /// POST a form as multipart with one file `(field, file name, type)`
    /// after its text fields, as a browser sends an upload form (CSRF token
    /// in the query string): status, Location and body.
    pub async fn submit_with_file(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        file: (&str, &str, &str),
        bytes: Vec<u8>,
    ) -> (u16, String, String) {
        let (field, name, mime) = file;
        let mut parts = reqwest::multipart::Form::new();
        for (k, v) in form {
            parts = parts.text(k.to_string(), v.to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .unwrap();
        let parts = parts.part(field.to_string(), part);
        let sep = if path.contains('?') { '&' } else { '?' };
        let res = client()
            .post(format!(
                "{}{path}{sep}csrf_token={}",
                self.base,
                self.csrf()
            ))
            .header("cookie", self.cookie_header())
            .multipart(parts)
            .send()
            .await
            .unwrap();
        self.keep(&res);
        answer(res).await
    }

    /// Sign in.
    pub async fn login(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.post("/connexion", &[("email", email), ("password", password)])
            .await
    }
}

/// The `Content-Type` of an answer (empty if none).
pub fn content_type(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Status, content type and bytes of `path` for a visitor holding
/// `cookie` (empty: anonymous).
pub async fn fetch_bytes(app: &TestApp, path: &str, cookie: &str) -> (u16, String, Vec<u8>) {
    let res = client()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let (status, mime) = (res.status().as_u16(), content_type(&res));
    (status, mime, res.bytes().await.unwrap().to_vec())
}

/// Status, content type and JSON body (`null` if none) of `path` asked in
/// `lang` (`Accept-Language`).
pub async fn fetch_json(app: &TestApp, path: &str, lang: &str) -> (u16, String, serde_json::Value) {
    let res = client()
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let (status, mime) = (res.status().as_u16(), content_type(&res));
    (
        status,
        mime,
        res.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Status, Location and body of an answer.
async fn answer(res: reqwest::Response) -> (u16, String, String) {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// The first link to `path_prefix` found in a mail body.
pub fn link_in(body: &str, path_prefix: &str) -> String {
    let start = body
        .find(path_prefix)
        .unwrap_or_else(|| panic!("no {path_prefix} link in:\n{body}"));
    body[start..].split_whitespace().next().unwrap().to_string()
}

/// Bearer token the test servers require on `/metrics`.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// Password of the demo accounts.
pub const PW: &str = tremplin::cli::seed::DEMO_PASSWORD;
