//! `Idempotency-Key` support for API writes: the first request with a key
//! reserves it, later ones get the stored answer (or 409 while the first is
//! still running, 422 if the same key comes with a different body).

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::db::{is_unique_violation, now_ms};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::problem::Problem;

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
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, scope, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4)",
    )
    .bind(key)
    .bind(scope)
    .bind(hash)
    .bind(now_ms())
    .execute(&state.db.writer)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => {
            let row: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT request_hash, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
            )
            .bind(scope)
            .bind(key)
            .fetch_optional(&state.db.pool)
            .await
            .ok()
            .flatten();
            Err(match row {
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
            })
        }
        Err(e) => {
            tracing::error!(error = %e, "idempotency key not stored");
            Err(Problem::new(
                tr,
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "error-unavailable-title",
            )
            .into_response())
        }
    }
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
