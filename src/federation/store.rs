//! Every SQL statement of the federated agenda.

use super::model::{FeedError, FeedEvent};
use crate::db::{now_ms, Db};

/// A subscribed feed and how its last refresh went.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Feed {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub site_url: String,
    pub last_attempt_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub last_error: String,
    pub event_count: i64,
}

impl Feed {
    /// The error of the last attempt, when it failed.
    pub fn error(&self) -> Option<FeedError> {
        FeedError::parse(&self.last_error)
    }
}

const FEED_COLUMNS: &str =
    "id, name, url, site_url, last_attempt_at, last_success_at, last_error, event_count";

/// An upcoming event of a feed, with its source.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Shown {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location: String,
    pub url: String,
    pub cancelled: i64,
    pub source: String,
    pub source_url: String,
    pub refreshed_at: Option<i64>,
}

pub async fn feeds(db: &Db) -> Result<Vec<Feed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FEED_COLUMNS} FROM federated_feeds ORDER BY name, id"
    ))
    .fetch_all(&db.pool)
    .await
}

pub async fn feed(db: &Db, id: i64) -> Result<Option<Feed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FEED_COLUMNS} FROM federated_feeds WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Subscribe to a feed; `None` when the address is already subscribed.
pub async fn insert_feed(
    db: &Db,
    name: &str,
    url: &str,
    site_url: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO federated_feeds (name, url, site_url, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (url) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(url)
    .bind(site_url)
    .bind(now_ms())
    .fetch_optional(&db.writer)
    .await?;
    Ok(id)
}

pub async fn delete_feed(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM federated_events WHERE feed_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM federated_feeds WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Replace a feed's events with a good copy, in one transaction.
pub async fn record_success(
    db: &Db,
    feed_id: i64,
    events: &[FeedEvent],
    at: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM federated_events WHERE feed_id = $1")
        .bind(feed_id)
        .execute(&mut *tx)
        .await?;
    for e in events {
        sqlx::query(
            "INSERT INTO federated_events (feed_id, uid, title, starts_at, ends_at, location, url, cancelled) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(feed_id)
        .bind(&e.uid)
        .bind(&e.title)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(&e.location)
        .bind(&e.url)
        .bind(i64::from(e.cancelled))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE federated_feeds SET last_attempt_at = $1, last_success_at = $1, last_error = '', event_count = $2 WHERE id = $3",
    )
    .bind(at)
    .bind(events.len() as i64)
    .bind(feed_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Note a failed refresh; the events of the last good copy stay.
pub async fn record_failure(
    db: &Db,
    feed_id: i64,
    error: FeedError,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE federated_feeds SET last_attempt_at = $1, last_error = $2 WHERE id = $3")
        .bind(at)
        .bind(error.code())
        .bind(feed_id)
        .execute(&db.writer)
        .await?;
    Ok(())
}

/// Events of every feed ending after `from`, soonest first.
pub async fn upcoming(db: &Db, from: i64, limit: i64) -> Result<Vec<Shown>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.title, e.starts_at, e.ends_at, e.location, e.url, e.cancelled, \
         f.name AS source, f.site_url AS source_url, f.last_success_at AS refreshed_at \
         FROM federated_events e JOIN federated_feeds f ON f.id = e.feed_id \
         WHERE e.ends_at >= $1 ORDER BY e.starts_at, e.id LIMIT $2",
    )
    .bind(from)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// This instance's own identifier, published in its open data so a feed
/// pointing back at it is recognised; created on first use.
pub async fn instance_token(db: &Db) -> Result<String, sqlx::Error> {
    if let Some(t) =
        sqlx::query_scalar::<_, String>("SELECT token FROM federation_instance WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?
    {
        return Ok(t);
    }
    let token = crate::web::pipeline::random_token();
    sqlx::query(
        "INSERT INTO federation_instance (id, token) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&token)
    .execute(&db.writer)
    .await?;
    sqlx::query_scalar("SELECT token FROM federation_instance WHERE id = 1")
        .fetch_one(&db.writer)
        .await
}
