//! `Idempotency-Key` support for API writes: the first request with a key
//! reserves it, later ones get the stored answer (or 409 while the first is
//! still running, 422 if the same key comes with a different body).
//!
//! A reservation is a lease of [`RESERVATION_LEASE_MS`]: a server killed in
//! the middle of a request leaves one behind, and once the lease has run out
//! the next retry takes it over and does the work (the work's own guards, such
//! as one registration per e-mail and session, stop a second effect). A
//! completed key answers for [`KEEP_MS`], then it is forgotten and purged.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::db::{is_unique_violation, now_ms, Db};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::problem::Problem;

/// How long a reservation holds a key while its request runs.
pub const RESERVATION_LEASE_MS: i64 = 60_000;
/// How long a completed key replays its answer.
pub const KEEP_MS: i64 = 24 * 3_600_000;

/// Insert a reservation of `key` made at `at` (fails on a duplicate).
pub async fn insert_reservation(
    db: &Db,
    scope: &str,
    key: &str,
    hash: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotency_keys (key, scope, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4)",
    )
    .bind(key)
    .bind(scope)
    .bind(hash)
    .bind(at)
    .execute(&db.writer)
    .await
    .map(|_| ())
}

/// Take over `key` when its reservation's lease ran out or its answer is
/// older than [`KEEP_MS`]; true when this request now holds it. One
/// conditional update, so two retries cannot both take it over.
async fn take_over(
    db: &Db,
    scope: &str,
    key: &str,
    hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET request_hash = $3, status = 0, body = '', created_at = $4 \
         WHERE scope = $1 AND key = $2 AND ((status = 0 AND created_at < $5) OR created_at < $6)",
    )
    .bind(scope)
    .bind(key)
    .bind(hash)
    .bind(now)
    .bind(now - RESERVATION_LEASE_MS)
    .bind(now - KEEP_MS)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Delete expired keys (abandoned reservations and answers older than a
/// day); returns how many.
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM idempotency_keys WHERE (status = 0 AND created_at < $1) OR created_at < $2",
    )
    .bind(now - RESERVATION_LEASE_MS)
    .bind(now - KEEP_MS)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected())
}

/// The key sent by the client, if usable.
pub fn key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(str::to_string)
}

/// Hash of the meaningful parts of a request.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Reserve `key`, or return the answer to give instead of processing.
pub async fn reserve(
    state: &AppState,
    tr: Tr,
    scope: &str,
    key: &str,
    hash: &str,
) -> Result<(), Response> {
    let now = now_ms();
    // Twice at most: the purge job may delete an expired key between our
    // failed insert and the take-over; the key is then free to insert.
    for attempt in 0..2 {
        let inserted = insert_reservation(&state.db, scope, key, hash, now).await;
        let inserted = match inserted {
            Err(e) if is_unique_violation(&e) => {
                match take_over(&state.db, scope, key, hash, now).await {
                    Ok(true) => Ok(()),
                    Ok(false) => Err(e),
                    Err(e) => Err(e),
                }
            }
            other => other,
        };
        let row = match inserted {
            Ok(_) => return Ok(()),
            Err(e) if is_unique_violation(&e) => {
                sqlx::query_as::<_, (String, i64, String)>(
                    "SELECT request_hash, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
                )
                .bind(scope)
                .bind(key)
                .fetch_optional(&state.db.writer)
                .await
            }
            Err(e) => Err(e),
        };
        let row = match row {
            Ok(None) if attempt == 0 => continue,
            Ok(row) => row,
            Err(e) => {
                tracing::error!(error = %e, "idempotency key not stored");
                return Err(unavailable(tr));
            }
        };
        return Err(match row {
            Some((h, _, _)) if h != hash => Problem::new(
                tr,
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-mismatch",
                "problem-idempotency-mismatch",
            )
            .into_response(),
            Some((_, 0, _)) | None => Problem::new(
                tr,
                StatusCode::CONFLICT,
                "idempotency-in-progress",
                "problem-idempotency-in-progress",
            )
            .into_response(),
            Some((_, status, body)) => {
                let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
                (
                    status,
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (
                            header::HeaderName::from_static("idempotent-replayed"),
                            "true",
                        ),
                    ],
                    body,
                )
                    .into_response()
            }
        });
    }
    Err(unavailable(tr))
}

fn unavailable(tr: Tr) -> Response {
    Problem::new(
        tr,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "error-unavailable-title",
    )
    .into_response()
}

/// Store the answer given for `key`.
pub async fn complete(state: &AppState, scope: &str, key: &str, status: StatusCode, body: &str) {
    let res = sqlx::query(
        "UPDATE idempotency_keys SET status = $1, body = $2 WHERE scope = $3 AND key = $4",
    )
    .bind(status.as_u16() as i64)
    .bind(body)
    .bind(scope)
    .bind(key)
    .execute(&state.db.writer)
    .await;
    if let Err(e) = res {
        tracing::error!(error = %e, "idempotency answer not stored");
    }
}

/// Forget a reservation whose processing failed, so a retry can run.
pub async fn release(state: &AppState, scope: &str, key: &str) {
    let _ =
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 0")
            .bind(scope)
            .bind(key)
            .execute(&state.db.writer)
            .await;
}
