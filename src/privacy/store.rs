//! The SQL of the privacy feature: the audit log (insert and read only: no
//! statement here or anywhere changes or deletes a row), the erasure
//! register, retention settings and the daily runs.

use sqlx::{Any, Executor, Transaction};

use super::model::{AuditAction, DataKind, REGISTER};
use crate::db::{now_ms, Db};

pub type Tx = Transaction<'static, Any>;

/// A line to append to the audit log.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub actor_id: Option<i64>,
    /// Who acted, as shown (staff: their address; a person acting on their
    /// own data: their subject key; the daily job: "system").
    pub actor: &'a str,
    pub action: AuditAction,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// Append one line (in the caller's transaction or on the pool).
pub async fn record<'c, E>(ex: E, a: &NewAudit<'_>) -> Result<(), sqlx::Error>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now_ms())
    .bind(a.actor_id)
    .bind(a.actor)
    .bind(a.action.code())
    .bind(a.subject)
    .bind(a.detail)
    .execute(ex)
    .await
    .map(|_| ())
}

/// One line of the audit log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// What the manager filters the log by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    /// Text found in the actor, subject or detail (lowercased).
    pub text: Vec<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// The most recent lines matching `f` (at most `limit`).
pub async fn audit_search(
    db: &Db,
    f: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT id, at, actor_id, actor, action, subject, detail FROM audit_log WHERE 1 = 1",
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if f.action.is_some() {
        sql.push_str(&format!(" AND action = ${}", next()));
    }
    if !f.text.is_empty() {
        let parts: Vec<String> = f
            .text
            .iter()
            .map(|_| {
                let i = next();
                format!("LOWER(actor) LIKE ${i} ESCAPE '\\' OR LOWER(subject) LIKE ${i} ESCAPE '\\' OR LOWER(detail) LIKE ${i} ESCAPE '\\'")
            })
            .collect();
        sql.push_str(&format!(" AND ({})", parts.join(" OR ")));
    }
    if f.from_ms.is_some() {
        sql.push_str(&format!(" AND at >= ${}", next()));
    }
    if f.to_ms.is_some() {
        sql.push_str(&format!(" AND at < ${}", next()));
    }
    sql.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT ${}", next()));
    let mut q = sqlx::query_as::<_, AuditRow>(&sql);
    if let Some(a) = f.action {
        q = q.bind(a.code());
    }
    for t in &f.text {
        q = q.bind(format!("%{t}%"));
    }
    if let Some(v) = f.from_ms {
        q = q.bind(v);
    }
    if let Some(v) = f.to_ms {
        q = q.bind(v);
    }
    q.bind(limit).fetch_all(&db.pool).await
}

/// When a subject was erased, if it was.
pub async fn erased_at(db: &Db, subject_key: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT erased_at FROM privacy_erasures WHERE subject_key = $1")
        .bind(subject_key)
        .fetch_optional(&db.pool)
        .await
}

/// Note an erasure; false when the subject was already erased (a second
/// erasure racing this one).
pub async fn note_erasure(
    tx: &mut Tx,
    subject_key: &str,
    kind: &str,
    by: Option<i64>,
    summary: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO privacy_erasures (subject_key, kind, erased_at, erased_by, summary) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(subject_key)
    .bind(kind)
    .bind(now_ms())
    .bind(by)
    .bind(summary)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The retention chosen for each kind, in months (the register's default
/// where the manager chose nothing).
pub async fn retention(db: &Db) -> Result<Vec<(DataKind, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT kind, months FROM privacy_retention")
        .fetch_all(&db.pool)
        .await?;
    Ok(REGISTER
        .iter()
        .map(|e| {
            let chosen = rows
                .iter()
                .find(|(k, _)| k == e.kind.code())
                .map(|(_, m)| *m);
            (e.kind, chosen.unwrap_or(e.default_months))
        })
        .collect())
}

/// Set the retention of a kind (already checked against its limits).
pub async fn set_retention(
    tx: &mut Tx,
    kind: DataKind,
    months: i64,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO privacy_retention (kind, months, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind) DO UPDATE SET months = excluded.months, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(kind.code())
    .bind(months)
    .bind(by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Whether the run of `day` was claimed already (a read, so the servers'
/// ticks do not write every 30 seconds).
pub async fn run_exists(db: &Db, day: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privacy_runs WHERE day = $1")
        .bind(day)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Claim the run of `day`: true for the one server that gets it.
pub async fn claim_run(db: &Db, day: &str, server: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO privacy_runs (day, claimed_by, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(day)
    .bind(server)
    .bind(now_ms())
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Write what a run did.
pub async fn finish_run(tx: &mut Tx, day: &str, report: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE privacy_runs SET finished_at = $1, report = $2 WHERE day = $3")
        .bind(now_ms())
        .bind(report)
        .bind(day)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// One daily run, for the manager's report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub day: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub report: String,
}

/// The latest runs.
pub async fn runs(db: &Db, limit: i64) -> Result<Vec<RunRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT day, started_at, finished_at, report FROM privacy_runs ORDER BY day DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// The account with this address, if any.
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE LOWER(email) = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}
