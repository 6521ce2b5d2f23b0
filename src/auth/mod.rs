//! Accounts: roles, password hashing, database sessions, single-use links
//! and login rate limiting.

pub mod handlers;
pub mod tokens;

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::web::pipeline::random_token;

/// What a person may do. One person can hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Programme manager.
    Admin,
    Adviser,
    Speaker,
    Provider,
    /// Business owner.
    Business,
    /// Funder or partner, read-only.
    Funder,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Adviser,
        Role::Speaker,
        Role::Provider,
        Role::Business,
        Role::Funder,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Adviser => "adviser",
            Role::Speaker => "speaker",
            Role::Provider => "provider",
            Role::Business => "business",
            Role::Funder => "funder",
        }
    }

    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Roles a programme manager can invite staff into.
    pub const STAFF: [Role; 4] = [Role::Admin, Role::Adviser, Role::Speaker, Role::Funder];
}

/// The signed-in person, loaded from the session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub roles: Vec<Role>,
    /// Hash of the session id, to end this session only.
    pub session_hash: String,
}

impl SessionUser {
    /// True when the person holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// True when the person holds any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// Programme staff: managers and advisers.
    pub fn is_staff(&self) -> bool {
        self.has_any(&[Role::Admin, Role::Adviser])
    }
}

/// Cookie holding the session id.
pub const SESSION_COOKIE: &str = "tremplin_session";
/// Sessions last 30 days, extended while used.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3_600_000;
/// Single-use links expire after this long.
pub const VERIFY_TTL_MS: i64 = 48 * 3_600_000;
/// Password reset links are short-lived.
pub const RESET_TTL_MS: i64 = 3_600_000;
/// Invitations stay valid a week.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3_600_000;

/// SHA-256 of a secret, hex-encoded: what the database keeps.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Argon2id uses about 19 MiB per hash: at most two run at once, so a burst
/// of logins can neither exhaust memory nor starve the other requests.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Hash a password with Argon2id, off the async executor.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _permit = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    })
    .await?
}

/// A valid hash of a random password, verified against when the account
/// does not exist so that both cases take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2O2t6uS6X6s0m0i9uGm5o6N1fY5C7n3E7mC9nGQ3lqY";

/// Check a password against a stored hash (or a dummy one), off the executor.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let stored = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        match PasswordHash::new(&stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// Start a session for `user_id`; returns the cookie value.
pub async fn create_session(
    db: &Db,
    user_id: i64,
    user_agent: Option<&str>,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(hash_secret(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + SESSION_TTL_MS)
    .bind(user_agent.map(|u| u.chars().take(200).collect::<String>()))
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Load the person behind a session cookie, if the session is alive.
pub async fn load_session(db: &Db, token: &str) -> Result<Option<SessionUser>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = hash_secret(token);
    let now = now_ms();
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.locale, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(&hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.get("id");
    let last_seen: i64 = row.get("last_seen_at");
    if now - last_seen > 3_600_000 {
        // Sliding expiry, written at most hourly.
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(now)
            .bind(now + SESSION_TTL_MS)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    let roles = user_roles(db, id).await?;
    Ok(Some(SessionUser {
        id,
        email: row.get("email"),
        name: row.get("display_name"),
        locale: row.get("locale"),
        roles,
        session_hash: hash,
    }))
}

/// Roles held by a user.
pub async fn user_roles(db: &Db, user_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.iter().filter_map(|r| Role::from_code(r)).collect())
}

/// End one session.
pub async fn end_session(db: &Db, session_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(session_hash)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// End every session of a user ("log out everywhere").
pub async fn end_all_sessions(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await
        .map(|r| r.rows_affected())
}

/// Why a single-use link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    Unknown,
    Expired,
    Used,
}

/// A link's payload once accepted.
#[derive(Debug, Clone)]
pub struct LinkGrant {
    pub user_id: Option<i64>,
    pub email: String,
    pub roles: Vec<Role>,
}

/// Create a single-use link token inside a transaction; returns the secret.
pub async fn issue_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    purpose: &str,
    user_id: Option<i64>,
    email: &str,
    roles: &[Role],
    created_by: Option<i64>,
    ttl_ms: i64,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    let roles: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, purpose, user_id, email, roles, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(hash_secret(&token))
    .bind(purpose)
    .bind(user_id)
    .bind(email)
    .bind(roles.join(","))
    .bind(created_by)
    .bind(now)
    .bind(now + ttl_ms)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Look at a link without using it (to show the right form).
pub async fn peek_link(
    db: &Db,
    purpose: &str,
    token: &str,
) -> Result<Result<LinkGrant, LinkError>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id, email, roles, expires_at, used_at FROM auth_tokens WHERE token_hash = $1 AND purpose = $2")
        .bind(hash_secret(token))
        .bind(purpose)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        None => Err(LinkError::Unknown),
        Some(r) => {
            if r.try_get::<Option<i64>, _>("used_at")
                .ok()
                .flatten()
                .is_some()
            {
                Err(LinkError::Used)
            } else if r.get::<i64, _>("expires_at") <= now_ms() {
                Err(LinkError::Expired)
            } else {
                Ok(grant_from(&r))
            }
        }
    })
}

fn grant_from(r: &sqlx::any::AnyRow) -> LinkGrant {
    let roles: String = r.get("roles");
    LinkGrant {
        user_id: r.try_get::<Option<i64>, _>("user_id").ok().flatten(),
        email: r.get("email"),
        roles: roles.split(',').filter_map(Role::from_code).collect(),
    }
}

/// Use a link exactly once, inside the caller's transaction: two clicks at
/// the same time cannot both succeed.
pub async fn consume_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    purpose: &str,
    token: &str,
) -> Result<Result<LinkGrant, LinkError>, sqlx::Error> {
    let now = now_ms();
    let row = sqlx::query(
        "UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, email, roles",
    )
    .bind(now)
    .bind(hash_secret(token))
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = row {
        return Ok(Ok(grant_from(&r)));
    }
    let why = sqlx::query(
        "SELECT expires_at, used_at FROM auth_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(hash_secret(token))
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Err(match why {
        None => LinkError::Unknown,
        Some(r)
            if r.try_get::<Option<i64>, _>("used_at")
                .ok()
                .flatten()
                .is_some() =>
        {
            LinkError::Used
        }
        Some(_) => LinkError::Expired,
    }))
}

/// Login attempts allowed per account in the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Attempts allowed per client address in the window.
pub const MAX_ATTEMPTS_PER_ADDRESS: i64 = 30;
/// Rate-limit window.
pub const RATE_WINDOW_MS: i64 = 15 * 60_000;

/// Number of recorded attempts in a bucket within the window.
pub async fn attempts(db: &Db, bucket: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE bucket = $1 AND at > $2")
        .bind(bucket)
        .bind(now_ms() - RATE_WINDOW_MS)
        .fetch_one(&db.pool)
        .await
}

/// Record an attempt in a bucket (and forget attempts older than a day).
pub async fn record_attempt(db: &Db, bucket: &str) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query("INSERT INTO login_attempts (bucket, at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(now)
        .execute(&db.pool)
        .await?;
    if rand::random::<u8>() < 8 {
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(now - 24 * 3_600_000)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// Forget the failures of a bucket (after a successful login).
pub async fn clear_attempts(db: &Db, bucket: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE bucket = $1")
        .bind(bucket)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Shared pointer to the signed-in person, placed in request extensions.
pub type CurrentUser = Option<Arc<SessionUser>>;
