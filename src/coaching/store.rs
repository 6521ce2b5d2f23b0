//! The coaching requests' SQL.

use sqlx::{Any, Transaction};

use super::model::{RequestStatus, Source};
use crate::db::Db;
use crate::i18n::Locale;
use crate::kernel::bilingual::column;

/// A request as advisers see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Request {
    pub id: i64,
    pub business_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub business_name: String,
    pub message: String,
    pub source: String,
    pub status: String,
    pub created_at: i64,
    pub session_id: Option<i64>,
    /// The theme of the session it came from.
    pub theme: Option<String>,
    pub assigned_to: Option<i64>,
    pub adviser_name: Option<String>,
    pub decline_reason: String,
    pub first_contact_at: Option<i64>,
    pub case_id: Option<i64>,
    pub locale: String,
}

fn select(locale: Locale) -> String {
    let col = column(locale, "title_fr", "title_en");
    format!(
        "SELECT q.id, q.business_id, q.name, q.email, q.phone, q.business_name, q.message, q.source, q.status, q.created_at, \
         q.session_id, t.{col} AS theme, q.assigned_to, u.display_name AS adviser_name, q.decline_reason, q.first_contact_at, \
         q.case_id, q.locale FROM coaching_requests q LEFT JOIN workshop_sessions s ON s.id = q.session_id \
         LEFT JOIN themes t ON t.id = s.theme_id LEFT JOIN users u ON u.id = q.assigned_to"
    )
}

/// The latest requests, newest first; `pending_only` keeps those waiting.
pub async fn latest(
    db: &Db,
    locale: Locale,
    limit: i64,
    pending_only: bool,
) -> Result<Vec<Request>, sqlx::Error> {
    let mut conds: Vec<String> = vec![];
    if pending_only {
        conds.push("q.status IN ('open', 'taken')".into());
    }
    // The inbox of the programme staff work in.
    conds.extend(crate::programme::only_current("q.programme_id"));
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    sqlx::query_as(&format!(
        "{}{filter} ORDER BY q.created_at DESC LIMIT {limit}",
        select(locale)
    ))
    .fetch_all(&db.pool)
    .await
}

/// One request.
pub async fn get(db: &Db, locale: Locale, id: i64) -> Result<Option<Request>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE q.id = $1", select(locale)))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A business's requests for its story: (when made, source code), oldest first.
pub async fn of_business(db: &Db, business_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT created_at, source FROM coaching_requests WHERE business_id = $1 ORDER BY created_at",
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await
}

/// How many requests were made.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM coaching_requests")
        .fetch_one(&db.pool)
        .await
}

/// How many requests wait for an adviser (open, nobody assigned).
pub async fn unassigned(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM coaching_requests WHERE status = 'open' AND assigned_to IS NULL",
    )
    .fetch_one(&db.pool)
    .await
}

/// A request made in a workshop's feedback form.
pub struct FromFeedback<'a> {
    pub business_id: Option<i64>,
    pub registration_id: i64,
    pub session_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    pub business_name: &'a str,
    pub message: &'a str,
}

/// Record a request made in a feedback form (in the feedback's transaction).
pub async fn insert_from_feedback(
    tx: &mut Transaction<'static, Any>,
    r: &FromFeedback<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO coaching_requests (business_id, registration_id, session_id, name, email, business_name, message, source, status, created_at, updated_at, programme_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, (SELECT s.programme_id FROM workshop_sessions s WHERE s.id = $3))",
    )
    .bind(r.business_id)
    .bind(r.registration_id)
    .bind(r.session_id)
    .bind(r.name)
    .bind(r.email)
    .bind(r.business_name)
    .bind(r.message)
    .bind(Source::WorkshopFeedback.code())
    .bind(RequestStatus::Open.code())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A request made elsewhere (results page, contact form).
pub struct NewRequest<'a> {
    pub source: Source,
    pub business_id: Option<i64>,
    /// The diagnostic or contact message it came from.
    pub origin_id: Option<i64>,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub business_name: &'a str,
    pub message: &'a str,
    pub locale: Locale,
}

/// Record a request (in the caller's transaction); returns its id.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    r: &NewRequest<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO coaching_requests (business_id, origin_id, name, email, phone, business_name, message, source, status, locale, created_at, updated_at, programme_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10, $11) RETURNING id",
    )
    .bind(r.business_id)
    .bind(r.origin_id)
    .bind(r.name)
    .bind(r.email)
    .bind(r.phone)
    .bind(r.business_name)
    .bind(r.message)
    .bind(r.source.code())
    .bind(r.locale.as_str())
    .bind(now)
    .bind(crate::programme::current())
    .fetch_one(&mut **tx)
    .await
}

/// Take or assign a pending request; the first contact is recorded once.
/// Returns false when it was no longer pending.
pub async fn assign(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    adviser: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE coaching_requests SET status = 'taken', assigned_to = $1, first_contact_at = COALESCE(first_contact_at, $2), \
         updated_at = $2 WHERE id = $3 AND status IN ('open', 'taken')",
    )
    .bind(adviser)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Decline a pending request with a reason.
pub async fn decline(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    by: i64,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE coaching_requests SET status = 'declined', decline_reason = $1, assigned_to = COALESCE(assigned_to, $2), \
         first_contact_at = COALESCE(first_contact_at, $3), updated_at = $3 WHERE id = $4 AND status IN ('open', 'taken')",
    )
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A file was opened from a request.
pub async fn link_case(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    case_id: i64,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coaching_requests SET status = 'file-opened', case_id = $1, assigned_to = COALESCE(assigned_to, $2), \
         first_contact_at = COALESCE(first_contact_at, $3), updated_at = $3 WHERE id = $4",
    )
    .bind(case_id)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Mean time to first contact in milliseconds, over the requests contacted.
pub async fn mean_first_contact(db: &Db) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(AVG(first_contact_at - created_at) AS DOUBLE PRECISION) FROM coaching_requests WHERE first_contact_at IS NOT NULL",
    )
    .fetch_one(&db.pool)
    .await
}
