//! Operations endpoints: liveness, readiness, metrics.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::state::AppState;
use crate::web::access::{Access, Routes};
use crate::web::error::{marked, ErrorKind};
use crate::web::pipeline::{ok_text, Raw};

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route("/healthz", Access::Public, get(healthz))
        .route("/readyz", Access::Public, get(readyz))
        .route("/metrics", Access::Public, get(metrics))
}

/// The process is up.
async fn healthz() -> Response {
    ok_text("ok\n")
}

/// The process can serve: the database answers (and, on SQLite, is still the
/// file opened at start).
async fn readyz(State(state): State<AppState>) -> Response {
    if let Err(reason) = state.db.check_file() {
        tracing::error!(%reason, "readiness: database file");
        return not_ready("database file missing or replaced\n");
    }
    match tokio::time::timeout(std::time::Duration::from_secs(3), state.db.ping()).await {
        Ok(Ok(())) => ok_text("ready\n"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database error");
            not_ready("database unreachable\n")
        }
        Err(_) => not_ready("database timeout\n"),
    }
}

/// True when the request carries the configured metrics token.
fn metrics_allowed(expected: &str, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare hashes so the time taken says nothing about the token.
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}

/// Prometheus text format, only for the holder of the configured token
/// (not served at all without one).
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return marked(ErrorKind::NotFound);
    };
    if !metrics_allowed(expected, &headers) {
        let mut res = (
            StatusCode::UNAUTHORIZED,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""),
            ],
            "a bearer token is required\n",
        )
            .into_response();
        res.extensions_mut().insert(Raw);
        return res;
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

fn not_ready(body: &'static str) -> Response {
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response();
    res.extensions_mut().insert(Raw);
    res
}
