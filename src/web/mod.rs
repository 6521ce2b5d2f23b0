//! HTTP only: the request pipeline, page context, errors, forms, assets.

pub mod access;
pub mod assets;
pub mod confirm;
pub mod ctx;
pub mod encoding;
pub mod error;
pub mod forms;
pub mod input;
pub mod metrics;
pub mod outage;
pub mod pipeline;
pub mod problem;
pub mod server;

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub use ctx::PageCtx;
pub use error::AppError;

/// Render a template into an HTML response with the given status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("template error: {e}")).into_response(),
    }
}

/// Render a template as a 200 page.
pub fn page<T: Template>(page: &T) -> Response {
    render(StatusCode::OK, page)
}

/// Read one cookie from a `Cookie` header value.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A redirect target is kept only if it is a local path (no open redirect).
pub fn safe_local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_local_path("/contact?x=1"), Some("/contact?x=1"));
        assert_eq!(safe_local_path("//evil.example"), None);
        assert_eq!(safe_local_path("https://evil.example"), None);
        assert_eq!(safe_local_path("/\\evil"), None);
    }
}
