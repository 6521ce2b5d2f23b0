//! Fetching feeds: a bounded HTTP GET (time, size, redirects), then the
//! model reads the body and the store keeps it, or records why not. The
//! background job refreshes every feed on the one server that claims the
//! period's run in `job_runs`.

use std::time::Duration;

use super::model::{self, FeedError, FeedEvent};
use super::store;
use crate::db::{now_ms, Db};

/// Bounds of one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_millis(model::TIMEOUT_MS),
            max_bytes: model::MAX_BYTES,
        }
    }
}

/// GET `url` within `limits`; the body, or why it could not be had.
pub async fn get(url: &str, limits: Limits) -> Result<Vec<u8>, FeedError> {
    let client = reqwest::Client::builder()
        .timeout(limits.timeout)
        .connect_timeout(limits.timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .user_agent(concat!(
            "Tremplin/",
            env!("CARGO_PKG_VERSION"),
            " (federated agenda)"
        ))
        .build()
        .map_err(|_| FeedError::Unreachable)?;
    let timed = |e: reqwest::Error| {
        if e.is_timeout() {
            FeedError::Timeout
        } else {
            FeedError::Unreachable
        }
    };
    let work = async {
        let mut res = client
            .get(url)
            .header("accept", "text/calendar, application/json;q=0.9, */*;q=0.1")
            .send()
            .await
            .map_err(timed)?;
        if !res.status().is_success() {
            return Err(FeedError::Status);
        }
        if res
            .content_length()
            .is_some_and(|n| n as usize > limits.max_bytes)
        {
            return Err(FeedError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(timed)? {
            if body.len() + chunk.len() > limits.max_bytes {
                return Err(FeedError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    // The client's timeout covers the whole exchange; this one also bounds
    // a server trickling bytes forever.
    tokio::time::timeout(limits.timeout, work)
        .await
        .unwrap_or(Err(FeedError::Timeout))
}

/// Fetch one feed and store its events, or record the failure (the last
/// good copy stays). Returns what happened.
pub async fn refresh(
    db: &Db,
    feed: &store::Feed,
    timezone: &str,
    limits: Limits,
) -> Result<Result<usize, FeedError>, sqlx::Error> {
    let own = store::instance_token(db).await?;
    let tz = crate::kernel::dates::zone(timezone);
    let outcome: Result<Vec<FeedEvent>, FeedError> = match get(&feed.url, limits).await {
        Ok(body) => model::parse(&body, &own, &tz),
        Err(e) => Err(e),
    };
    let at = now_ms();
    match outcome {
        Ok(events) => {
            store::record_success(db, feed.id, &events, at).await?;
            Ok(Ok(events.len()))
        }
        Err(e) => {
            tracing::info!(
                feed = feed.id,
                error = e.code(),
                "federated feed not refreshed"
            );
            store::record_failure(db, feed.id, e, at).await?;
            Ok(Err(e))
        }
    }
}

/// Refresh every feed if this server claims the period's run.
pub async fn refresh_all_if_due(db: &Db, timezone: &str, now: i64) -> Result<usize, sqlx::Error> {
    if !crate::jobs::claim(db, "federation", model::REFRESH_EVERY_MS, now).await? {
        return Ok(0);
    }
    let feeds = store::feeds(db).await?;
    for f in &feeds {
        let _ = refresh(db, f, timezone, Limits::default()).await?;
    }
    // The other programmes' indicators of the coordination view, on the same run.
    let followed = crate::coordination::refresh_all(db).await?;
    Ok(feeds.len() + followed)
}

/// Run [`refresh_all_if_due`] beside the other jobs, so a slow feed never
/// holds up mail.
pub fn spawn_refresh(db: Db, timezone: String, now: i64) {
    tokio::spawn(async move {
        if let Err(e) = refresh_all_if_due(&db, &timezone, now).await {
            tracing::warn!(error = %e, "federated agenda: database error");
        }
    });
}
