//! Every SQL statement of the coordination view.

use super::model::{Figure, Snapshot};
use crate::db::{now_ms, Db};
use crate::federation::model::FeedError;

/// Another programme followed, with its last good figures.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Followed {
    pub id: i64,
    pub url: String,
    pub publisher: String,
    /// The figures as JSON (see [`Followed::figures`]).
    pub items: String,
    pub generated_at: String,
    pub last_attempt_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub last_error: String,
}

impl Followed {
    /// The error of the last attempt, when it failed.
    pub fn error(&self) -> Option<FeedError> {
        FeedError::parse(&self.last_error)
    }

    /// The last good figures (none before the first success).
    pub fn figures(&self) -> Vec<Figure> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }

    /// The name shown: the publisher's, else the address's host.
    pub fn name(&self) -> String {
        if self.publisher.is_empty() {
            url::Url::parse(&self.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| self.url.clone())
        } else {
            self.publisher.clone()
        }
    }
}

const COLUMNS: &str =
    "id, url, publisher, items, generated_at, last_attempt_at, last_success_at, last_error";

pub async fn all(db: &Db) -> Result<Vec<Followed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM coordinated_programmes ORDER BY id"
    ))
    .fetch_all(&db.pool)
    .await
}

pub async fn one(db: &Db, id: i64) -> Result<Option<Followed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM coordinated_programmes WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Follow an address; None when it is followed already.
pub async fn insert(db: &Db, url: &str) -> Result<Option<i64>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO coordinated_programmes (url, created_at) VALUES ($1, $2) \
         ON CONFLICT (url) DO NOTHING RETURNING id",
    )
    .bind(url)
    .bind(now_ms())
    .fetch_optional(&db.writer)
    .await?;
    Ok(id)
}

pub async fn delete(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM coordinated_programmes WHERE id = $1")
        .bind(id)
        .execute(&db.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_success(
    db: &Db,
    id: i64,
    snapshot: &Snapshot,
    at: i64,
) -> Result<(), sqlx::Error> {
    let items = serde_json::to_string(&snapshot.figures).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "UPDATE coordinated_programmes SET publisher = $2, items = $3, generated_at = $4, \
         last_attempt_at = $5, last_success_at = $5, last_error = '' WHERE id = $1",
    )
    .bind(id)
    .bind(&snapshot.publisher)
    .bind(items)
    .bind(&snapshot.generated_at)
    .bind(at)
    .execute(&db.writer)
    .await?;
    Ok(())
}

pub async fn record_failure(db: &Db, id: i64, e: FeedError, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coordinated_programmes SET last_attempt_at = $2, last_error = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(e.code())
    .execute(&db.writer)
    .await?;
    Ok(())
}
