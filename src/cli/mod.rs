//! Subcommands other than `serve`: seed, backup, user, check.

pub mod bulk;
pub mod seed;

use std::path::Path;

use crate::config::{redact_url, Config};
use crate::db::{migrations, now_ms, Backend, Db};

/// Roles a person can hold.
pub const ROLES: [&str; 6] = [
    "admin", "adviser", "speaker", "provider", "business", "funder",
];

/// `tremplin backup FILE`: an online, consistent copy of the SQLite database.
pub async fn backup(db: &Db, target: &Path) -> anyhow::Result<()> {
    match db.backend {
        Backend::Postgres => anyhow::bail!(
            "backup is for the embedded SQLite database; on PostgreSQL use pg_dump, e.g. \
             `pg_dump --format=custom --file=tremplin.dump \"$TREMPLIN_DATABASE_URL\"`"
        ),
        Backend::Sqlite => {
            if target.exists() {
                anyhow::bail!(
                    "{} already exists; choose a new file name",
                    target.display()
                );
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let path = target
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
            // VACUUM INTO reads one consistent snapshot while writers continue.
            sqlx::query("VACUUM INTO $1")
                .bind(path)
                .execute(&db.pool)
                .await?;
            Ok(())
        }
    }
}

/// Create a user (or add roles to an existing one); returns (id, created).
pub async fn create_user(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    roles: &[String],
) -> anyhow::Result<(i64, bool)> {
    let email = email.trim().to_lowercase();
    if !crate::web::forms::is_valid_email(&email) {
        anyhow::bail!("--email: {email:?} is not a valid e-mail address");
    }
    if password.chars().count() < 12 {
        anyhow::bail!("the password must have at least 12 characters");
    }
    for r in roles {
        if !ROLES.contains(&r.as_str()) {
            anyhow::bail!("--role: {r:?} is not one of {}", ROLES.join(", "));
        }
    }
    // Existing accounts keep their password: no need to hash (idempotent seeds stay cheap).
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&db.pool)
        .await?;
    let hash = match known {
        Some(_) => String::new(),
        None => crate::auth::hash_password(password.to_string()).await?,
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    let (id, created) = match existing {
        Some(id) => (id, false),
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, display_name, password_hash, email_verified_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
            )
            .bind(&email)
            .bind(name.trim())
            .bind(&hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (id, true)
        }
    };
    for r in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(r)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok((id, created))
}

/// `tremplin check`: print the configuration and test the database.
pub async fn check(config: &Config) -> anyhow::Result<()> {
    println!("database      {}", redact_url(&config.database_url));
    println!("bind          {}", config.bind);
    println!("base URL      {}", config.base_url);
    println!("data dir      {}", config.data_dir.display());
    println!("locale        {}", config.default_locale.as_str());
    println!("mail          {:?}", redact_mail(&config.mail_transport));
    println!("mail from     {}", config.mail_from);
    let db = Db::connect(&config.database_url, 2)
        .await
        .map_err(|e| anyhow::anyhow!("database: NOT reachable: {e}"))?;
    db.ping()
        .await
        .map_err(|e| anyhow::anyhow!("database: NOT answering: {e}"))?;
    let (applied, latest) = migrations::status(&db).await?;
    let current = applied.last().copied().unwrap_or(0);
    println!(
        "database      reachable ({}), schema version {current} of {latest}",
        db.backend.name()
    );
    if current < latest {
        println!("              run `tremplin migrate` (or start `serve`) to upgrade the schema");
    }
    println!("configuration OK");
    Ok(())
}

fn redact_mail(t: &crate::config::MailTransport) -> String {
    match t {
        crate::config::MailTransport::Smtp(u) => format!("smtp {}", redact_url(u)),
        crate::config::MailTransport::File(d) => format!("file {}", d.display()),
        crate::config::MailTransport::Log => "log".into(),
    }
}
