//! The coaching requests' SQL.

use sqlx::{Any, Transaction};

use super::model::{RequestStatus, Source};
use crate::db::Db;
use crate::i18n::Locale;
use crate::kernel::bilingual::column;

/// A request as advisers see it.
#[derive(Debug, sqlx::FromRow)]
pub struct Request {
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub message: String,
    pub status: String,
    pub created_at: i64,
    pub session_id: Option<i64>,
    /// The theme of the session it came from.
    pub theme: Option<String>,
}

/// The latest requests, newest first.
pub async fn latest(db: &Db, locale: Locale, limit: i64) -> Result<Vec<Request>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT q.name, q.email, q.business_name, q.message, q.status, q.created_at, q.session_id, t.{col} AS theme \
         FROM coaching_requests q LEFT JOIN workshop_sessions s ON s.id = q.session_id LEFT JOIN themes t ON t.id = s.theme_id \
         ORDER BY q.created_at DESC LIMIT {limit}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// How many requests were made.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM coaching_requests")
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
        "INSERT INTO coaching_requests (business_id, registration_id, session_id, name, email, business_name, message, source, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
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
