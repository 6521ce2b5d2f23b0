//! Quote reviews kept with a need.

use crate::db::{now_ms, Db};
use crate::kernel::money::Euros;
use crate::needs::review::{Checklist, ValidQuote};

// ------------------------------------------------------------------ quotes

/// A stored quote review.
#[derive(Debug, sqlx::FromRow)]
pub struct QuoteRow {
    pub id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub label: String,
    pub amount_cents: Option<i64>,
    checklist: String,
    pub notes: String,
    pub version: i64,
    pub updated_at: i64,
}

impl QuoteRow {
    /// The amount, if given.
    pub fn amount(&self) -> Option<Euros> {
        self.amount_cents.map(Euros)
    }

    /// The checklist answers (an unreadable one reads as empty).
    pub fn checklist(&self) -> Checklist {
        serde_json::from_str(&self.checklist).unwrap_or_default()
    }
}

const QUOTE_SELECT: &str = "SELECT q.id, q.provider_id, p.name AS provider_name, q.label, q.amount_cents, q.checklist, \
    q.notes, q.version, q.updated_at FROM quote_reviews q LEFT JOIN providers p ON p.id = q.provider_id";

/// The quote reviews of a need, oldest first.
pub async fn quotes(db: &Db, need_id: i64) -> Result<Vec<QuoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{QUOTE_SELECT} WHERE q.need_id = $1 ORDER BY q.created_at, q.id"
    ))
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// One quote review of a need.
pub async fn quote(db: &Db, need_id: i64, id: i64) -> Result<Option<QuoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{QUOTE_SELECT} WHERE q.id = $1 AND q.need_id = $2"
    ))
    .bind(id)
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await
}

/// How many quote reviews a need has.
pub async fn quote_count(db: &Db, need_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM quote_reviews WHERE need_id = $1")
        .bind(need_id)
        .fetch_one(&db.pool)
        .await
}

/// Repliers of a need, offered as a quote's provider.
pub async fn repliers(db: &Db, need_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         WHERE r.need_id = $1 ORDER BY p.name",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// Store a quote review; returns its id.
pub async fn insert_quote(
    db: &Db,
    need_id: i64,
    by: i64,
    v: &ValidQuote,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO quote_reviews (need_id, provider_id, label, amount_cents, checklist, notes, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(need_id)
    .bind(v.provider_id)
    .bind(&v.label)
    .bind(v.amount.map(Euros::cents))
    .bind(&v.checklist)
    .bind(&v.notes)
    .bind(by)
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await
}

/// Save a quote review read at `version`; false when it changed since.
pub async fn update_quote(
    db: &Db,
    need_id: i64,
    id: i64,
    version: i64,
    v: &ValidQuote,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quote_reviews SET provider_id = $1, label = $2, amount_cents = $3, checklist = $4, notes = $5, \
         updated_at = $6, version = version + 1 WHERE id = $7 AND need_id = $8 AND version = $9",
    )
    .bind(v.provider_id)
    .bind(&v.label)
    .bind(v.amount.map(Euros::cents))
    .bind(&v.checklist)
    .bind(&v.notes)
    .bind(now_ms())
    .bind(id)
    .bind(need_id)
    .bind(version)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
