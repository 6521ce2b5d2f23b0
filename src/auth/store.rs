//! Every SQL statement of accounts: users and their roles, sessions,
//! single-use links (verification, reset, invitation), login attempts and
//! personal API tokens.

use sqlx::{Any, Transaction};

use super::model::{
    LinkError, LinkGrant, LinkPurpose, Role, SessionUser, RATE_WINDOW_MS, SESSION_TTL_MS,
};
use super::secrets::hash_secret;
use crate::db::{now_ms, Db};
use crate::web::pipeline::random_token;

/// A write transaction.
pub type Tx = Transaction<'static, Any>;

// ---------------------------------------------------------------- users

/// What logging in needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub display_name: String,
}

/// The account holding `email`, for logging in.
pub async fn login_row(db: &Db, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash, email_verified_at, disabled_at, display_name FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&db.pool)
    .await
}

/// An open account holding `email`: its id and name (password reset).
pub async fn active_user(db: &Db, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1 AND disabled_at IS NULL")
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

/// The id of the account holding `email`, inside a transaction.
pub async fn user_id_by_email(tx: &mut Tx, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut **tx)
        .await
}

/// A new account to create.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub locale: &'a str,
    /// Set when the address is already proven (an accepted invitation).
    pub verified_at: Option<i64>,
}

/// Create an account; returns its id.
pub async fn create_user(tx: &mut Tx, u: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, locale, email_verified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(u.email)
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.locale)
    .bind(u.verified_at)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

/// Grant a role (granting it twice is harmless). `by` is who decided it
/// (the manager who invited, the person signing up); the audit log names
/// them (`privacy::triggers` reads `granted_by`).
pub async fn grant_role(
    tx: &mut Tx,
    user_id: i64,
    role: Role,
    by: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(role.code())
    .bind(now_ms())
    .bind(by)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Why a role could not be taken away.
#[derive(Debug, PartialEq, Eq)]
pub enum RevokeRefused {
    /// The person does not hold that role (already taken away).
    NotHeld,
    /// The programme would be left without a manager.
    LastManager,
}

/// Take `role` away from `user_id`. The row is stamped with the actor just
/// before it is deleted, so the deletion's audit line (written by the
/// database, `privacy::triggers`) names who did it. The last manager keeps
/// the role: a programme is never left without one.
pub async fn revoke_role(
    backend: crate::db::Backend,
    tx: &mut Tx,
    user_id: i64,
    role: Role,
    by: i64,
) -> Result<Result<(), RevokeRefused>, sqlx::Error> {
    if role == Role::Admin {
        // The count and the delete run in one write transaction: SQLite
        // writes one at a time, PostgreSQL locks the managers' rows, so two
        // managers removing each other cannot leave none.
        let admins: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT user_id FROM user_roles WHERE role = 'admin' ORDER BY user_id{}",
            crate::db::dialect::for_update(backend)
        ))
        .fetch_all(&mut **tx)
        .await?;
        if admins.len() <= 1 && admins.contains(&user_id) {
            return Ok(Err(RevokeRefused::LastManager));
        }
    }
    let stamped =
        sqlx::query("UPDATE user_roles SET revoked_by = $1 WHERE user_id = $2 AND role = $3")
            .bind(by)
            .bind(user_id)
            .bind(role.code())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if stamped == 0 {
        return Ok(Err(RevokeRefused::NotHeld));
    }
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.code())
        .execute(&mut **tx)
        .await?;
    Ok(Ok(()))
}

/// A person's display name.
pub async fn display_name(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
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

/// Record that the address was confirmed (once).
pub async fn mark_verified(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Store a new password hash; following a mailed link also proves the address.
pub async fn set_password(tx: &mut Tx, user_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// One staff role of one person (the team page groups them).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRoleRow {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: String,
    /// For a funder's role: the partner whose businesses alone they read.
    pub partner_id: Option<i64>,
    /// The programme this role is limited to (not for a manager's).
    pub programme_id: Option<i64>,
}

/// Every staff role held, by name.
pub async fn staff_roles(db: &Db) -> Result<Vec<StaffRoleRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.email, r.role, r.partner_id, r.programme_id FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('admin', 'adviser', 'speaker', 'funder') ORDER BY u.display_name, r.role",
    )
    .fetch_all(&db.pool)
    .await
}

/// The partner a funder-role reader is limited to (what that partner
/// brought), if any.
pub async fn reader_partner(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT partner_id FROM user_roles WHERE user_id = $1 AND role = 'funder' AND partner_id IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
    .map(Option::flatten)
}

/// Limit a funder-role reader to one partner's businesses, or lift the
/// limit (`None`). False when the person holds no funder role (any more).
pub async fn set_reader_partner(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    partner: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE user_roles SET partner_id = $1 WHERE user_id = $2 AND role = 'funder'")
            .bind(partner)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Limit a person's roles (other than manager) to one programme, or open
/// every programme to them (`None`). False when they hold no such role.
pub async fn set_programme_limit(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    programme: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE user_roles SET programme_id = $1 WHERE user_id = $2 AND role <> 'admin'",
    )
    .bind(programme)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() >= 1)
}

// ---------------------------------------------------------------- sessions

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

/// A live session's person, once per role they hold (`role` is NULL when
/// they hold none).
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    email: String,
    display_name: String,
    locale: String,
    last_seen_at: i64,
    role: Option<String>,
    programme_id: Option<i64>,
}

/// Load the person behind a session cookie, if the session is alive.
pub async fn load_session(db: &Db, token: &str) -> Result<Option<SessionUser>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = hash_secret(token);
    let now = now_ms();
    // The person and their roles in one statement: every signed-in page
    // runs it.
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.locale, s.last_seen_at, r.role, r.programme_id \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL ORDER BY r.role",
    )
    .bind(&hash)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let limited_to = rows
        .iter()
        .filter(|r| r.role.as_deref().is_some_and(|c| c != Role::Admin.code()))
        .find_map(|r| r.programme_id);
    let roles = rows
        .iter()
        .filter_map(|r| r.role.as_deref().and_then(Role::from_code))
        .collect();
    let Some(first) = rows.into_iter().next() else {
        return Ok(None);
    };
    if now - first.last_seen_at > 3_600_000 {
        // Sliding expiry, written at most hourly.
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(now)
            .bind(now + SESSION_TTL_MS)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(SessionUser {
        id: first.id,
        email: first.email,
        name: first.display_name,
        locale: first.locale,
        roles,
        limited_to,
        session_hash: hash,
    }))
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

/// End every session of a user inside a transaction (a new password).
pub async fn end_all_sessions_in(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------- single-use links

/// Create a single-use link token inside a transaction; returns the secret.
pub async fn issue_link(
    tx: &mut Tx,
    purpose: LinkPurpose,
    user_id: Option<i64>,
    email: &str,
    roles: &[Role],
    created_by: Option<i64>,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, purpose, user_id, email, roles, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(hash_secret(&token))
    .bind(purpose.code())
    .bind(user_id)
    .bind(email)
    .bind(Role::join(roles))
    .bind(created_by)
    .bind(now)
    .bind(now + purpose.ttl_ms())
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// A link as stored.
#[derive(sqlx::FromRow)]
struct LinkRow {
    user_id: Option<i64>,
    email: String,
    roles: String,
    created_by: Option<i64>,
    expires_at: i64,
    used_at: Option<i64>,
}

impl LinkRow {
    fn grant(self) -> LinkGrant {
        LinkGrant {
            user_id: self.user_id,
            email: self.email,
            roles: Role::split(&self.roles),
            created_by: self.created_by,
        }
    }
}

const LINK_COLUMNS: &str = "user_id, email, roles, created_by, expires_at, used_at";

/// Look at a link without using it (to show the right form).
pub async fn peek_link(
    db: &Db,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Result<LinkGrant, LinkError>, sqlx::Error> {
    let row: Option<LinkRow> = sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM auth_tokens WHERE token_hash = $1 AND purpose = $2"
    ))
    .bind(hash_secret(token))
    .bind(purpose.code())
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        None => Err(LinkError::Unknown),
        Some(r) if r.used_at.is_some() => Err(LinkError::Used),
        Some(r) if r.expires_at <= now_ms() => Err(LinkError::Expired),
        Some(r) => Ok(r.grant()),
    })
}

/// Use a link exactly once, inside the caller's transaction: two clicks at
/// the same time cannot both succeed.
pub async fn consume_link(
    tx: &mut Tx,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Result<LinkGrant, LinkError>, sqlx::Error> {
    let now = now_ms();
    let row: Option<LinkRow> = sqlx::query_as(&format!(
        "UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING {LINK_COLUMNS}"
    ))
    .bind(now)
    .bind(hash_secret(token))
    .bind(purpose.code())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = row {
        return Ok(Ok(r.grant()));
    }
    let why: Option<LinkRow> = sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM auth_tokens WHERE token_hash = $1 AND purpose = $2"
    ))
    .bind(hash_secret(token))
    .bind(purpose.code())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Err(match why {
        None => LinkError::Unknown,
        Some(r) if r.used_at.is_some() => LinkError::Used,
        Some(_) => LinkError::Expired,
    }))
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingInvite {
    pub email: String,
    pub roles: String,
}

/// Invitations still open, newest first.
pub async fn pending_invitations(db: &Db) -> Result<Vec<PendingInvite>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, roles FROM auth_tokens WHERE purpose = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
    )
    .bind(LinkPurpose::Invite.code())
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await
}

// ---------------------------------------------------------------- login attempts

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

// ---------------------------------------------------------------- API tokens

/// A token as listed (never its secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub role: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl TokenRow {
    /// True once revoked.
    pub fn revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

/// A person's API tokens, newest first.
pub async fn tokens_of(db: &Db, user_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, prefix, role, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Store a new API token (its hash and its visible prefix).
pub async fn create_token(
    db: &Db,
    user_id: i64,
    name: &str,
    secret: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(name)
    .bind(hash_secret(secret))
    .bind(&secret[..12])
    .bind(role.code())
    .bind(now_ms())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Revoke one of a person's tokens; `false` when it is not theirs.
pub async fn revoke_token(db: &Db, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() > 0 {
        return Ok(true);
    }
    let mine: Option<i64> =
        sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(mine.is_some())
}

/// A live token and the role it still carries.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BearerRow {
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub last_used_at: Option<i64>,
}

/// The token behind a bearer secret, unless revoked, disabled, or its role withdrawn.
pub async fn bearer(db: &Db, secret: &str) -> Result<Option<BearerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.user_id, t.role, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         JOIN user_roles r ON r.user_id = t.user_id AND r.role = t.role \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(hash_secret(secret))
    .fetch_optional(&db.pool)
    .await
}

/// Note that a token was used now.
pub async fn touch_token(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------- purge

/// How long a used or expired single-use link is kept (so a late click says
/// "expired" rather than "unknown").
pub const LINK_KEEP_MS: i64 = 30 * 24 * 3_600_000;
/// How long login attempts are kept (the rate window is 15 minutes).
pub const ATTEMPT_KEEP_MS: i64 = 24 * 3_600_000;

/// Delete expired sessions, single-use links expired or used more than
/// [`LINK_KEEP_MS`] ago, and old login attempts; returns rows deleted per
/// table (sessions, links, attempts).
pub async fn purge_expired(db: &Db, now: i64) -> Result<(u64, u64, u64), sqlx::Error> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&db.writer)
        .await?
        .rows_affected();
    let links = sqlx::query(
        "DELETE FROM auth_tokens WHERE expires_at < $1 OR (used_at IS NOT NULL AND used_at < $1)",
    )
    .bind(now - LINK_KEEP_MS)
    .execute(&db.writer)
    .await?
    .rows_affected();
    let attempts = sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(now - ATTEMPT_KEEP_MS)
        .execute(&db.writer)
        .await?
        .rows_affected();
    Ok((sessions, links, attempts))
}
