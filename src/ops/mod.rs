//! Operations endpoints: liveness, readiness, metrics.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::web::access::{Access, Routes};
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

/// The process can serve: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(std::time::Duration::from_secs(3), state.db.ping()).await {
        Ok(Ok(())) => ok_text("ready\n"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database error");
            not_ready("database unreachable\n")
        }
        Err(_) => not_ready("database timeout\n"),
    }
}

/// Prometheus text format.
async fn metrics(State(state): State<AppState>) -> Response {
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
