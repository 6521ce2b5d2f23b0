//! The `tremplin` command itself.

use std::process::{Command, Stdio};

use crate::harness::{fresh_database, tempdir};
use tremplin::db::Backend;

fn tremplin(url: &str, data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tremplin"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TREMPLIN_DATABASE_URL", url)
        .env("TREMPLIN_DATA_DIR", data)
        .env("TREMPLIN_LOG", "warn");
    c
}

fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn commands_work(backend: Backend) {
    let Some((url, dir, pg)) = fresh_database(backend).await else {
        return;
    };
    let (ok, out, err) = run(tremplin(&url, &dir.path).arg("migrate"));
    assert!(ok, "{err}");
    assert!(out.contains(&format!(
        "{} migration(s) applied",
        tremplin::db::migrations::MIGRATIONS.len()
    )));
    let (ok, out, _) = run(tremplin(&url, &dir.path).arg("migrate"));
    assert!(ok && out.contains("0 migration(s) applied"));

    for _ in 0..2 {
        let (ok, _, err) = run(tremplin(&url, &dir.path).args(["seed", "--demo"]));
        assert!(ok, "{err}");
    }
    let db = tremplin::db::Db::connect(&url, 1).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1, "seed --demo is idempotent");
    // The demo holds enough diagnostics for the results' comparison, once.
    let diagnostics: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(diagnostics, tremplin::diagnostic::demo::DEMO_DIAGNOSTICS);

    let (ok, out, err) = run(tremplin(&url, &dir.path).args([
        "user",
        "create",
        "--email",
        "Admin@Programme.test",
        "--role",
        "admin",
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("password: "));
    let role: String = sqlx::query_scalar(
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'admin@programme.test'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(role, "admin");
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'admin@programme.test'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"));

    let mut child = tremplin(&url, &dir.path)
        .args([
            "user",
            "create",
            "--email",
            "conseil@programme.test",
            "--role",
            "adviser",
            "--role",
            "speaker",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"un mot de passe assez long\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let roles: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE u.email IN ('admin@programme.test', 'conseil@programme.test')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(roles, 3);
    let (ok, _, err) =
        run(tremplin(&url, &dir.path)
            .args(["user", "create", "--email", "x@y.fr", "--role", "king"]));
    assert!(!ok && err.contains("--role"), "{err}");

    let (ok, out, err) = run(tremplin(&url, &dir.path).arg("check"));
    assert!(ok, "{err}");
    assert!(out.contains("configuration OK"));
    assert!(out.contains(&format!("reachable ({})", backend.name())));

    let target = dir.path.join("backups/copy.db");
    let (ok, out, err) = run(tremplin(&url, &dir.path).args(["backup", target.to_str().unwrap()]));
    match backend {
        Backend::Sqlite => {
            assert!(ok, "{err}");
            assert!(out.contains("backup written"));
            let copy = tremplin::db::Db::connect(&format!("sqlite://{}", target.display()), 1)
                .await
                .unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                .fetch_one(&copy.pool)
                .await
                .unwrap();
            let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert!(n > 2);
            assert_eq!(n, expected, "the copy holds the data");
            copy.close().await;
            let (ok, _, err) =
                run(tremplin(&url, &dir.path).args(["backup", target.to_str().unwrap()]));
            assert!(!ok && err.contains("already exists"));
        }
        Backend::Postgres => {
            assert!(!ok);
            assert!(err.contains("pg_dump"), "{err}");
        }
    }
    db.close().await;
    if let Some(name) = pg {
        crate::harness::drop_pg_database(&name).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_work_on_sqlite() {
    commands_work(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_work_on_postgres() {
    commands_work(Backend::Postgres).await;
}

#[test]
fn wrong_settings_stop_the_start_with_a_clear_message() {
    let dir = tempdir::Dir::new();
    let (ok, _, err) = run(tremplin("sqlite://x.db", &dir.path)
        .env("TREMPLIN_BIND", "nowhere")
        .arg("serve"));
    assert!(!ok);
    assert!(
        err.contains("TREMPLIN_BIND") && err.contains("127.0.0.1:8080"),
        "{err}"
    );
    let (ok, _, err) = run(tremplin("mysql://localhost/x", &dir.path).arg("serve"));
    assert!(!ok && err.contains("TREMPLIN_DATABASE_URL"), "{err}");
    let (ok, _, err) =
        run(tremplin("sqlite://x.db", &dir.path).args(["serve", "--base-url", "not a url"]));
    assert!(!ok && err.contains("TREMPLIN_BASE_URL"), "{err}");
}

#[test]
fn an_unreachable_database_at_start_is_named() {
    let dir = tempdir::Dir::new();
    let (ok, _, err) = run(
        tremplin("postgres://nobody@127.0.0.1:1/none", &dir.path).args(["serve", "--db-wait", "1"]),
    );
    assert!(!ok);
    assert!(
        err.contains("cannot reach the database given by TREMPLIN_DATABASE_URL"),
        "{err}"
    );
}

#[test]
fn help_documents_every_setting() {
    let (ok, out, _) = run(Command::new(env!("CARGO_BIN_EXE_tremplin")).args(["serve", "--help"]));
    assert!(ok);
    for flag in [
        "--database-url",
        "--bind",
        "--data-dir",
        "--base-url",
        "--smtp-url",
        "--default-locale",
        "--demo",
    ] {
        assert!(out.contains(flag), "missing {flag} in:\n{out}");
    }
    for env in [
        "TREMPLIN_DATABASE_URL",
        "TREMPLIN_BIND",
        "TREMPLIN_DATA_DIR",
        "TREMPLIN_BASE_URL",
    ] {
        assert!(out.contains(env), "missing {env}");
    }
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = tempdir::Dir::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("sqlite://{}/t.db", dir.path.display());
    let mut child = tremplin(&url, &dir.path)
        .env("TREMPLIN_LOG", "info")
        .env("TREMPLIN_BIND", format!("127.0.0.1:{port}"))
        .args(["serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it answers.
    let mut up = false;
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(up, "server did not start");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait().unwrap();
    assert!(out.success(), "exit status {out:?}");
    let mut log = String::new();
    use std::io::Read;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("shutdown requested"), "{log}");
}
