//! Errors become a marked, empty response; the pipeline turns the mark into a
//! localised page (or a problem+json body under `/api`) because only it knows
//! the visitor's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What went wrong, as far as the visitor is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    CsrfRejected,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    /// The body did not arrive before its deadline.
    RequestTimeout,
    UnsupportedMediaType,
    Unavailable,
    Internal,
}

impl ErrorKind {
    /// HTTP status of this kind.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden | ErrorKind::CsrfRejected => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Kind for a bare status produced outside our handlers (framework rejections).
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status {
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::FORBIDDEN => ErrorKind::Forbidden,
            StatusCode::UNAUTHORIZED => ErrorKind::Unauthorized,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
            StatusCode::REQUEST_TIMEOUT => ErrorKind::RequestTimeout,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorKind::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE => ErrorKind::Unavailable,
            s if s.is_server_error() => ErrorKind::Internal,
            _ => ErrorKind::BadRequest,
        }
    }

    /// Stable code used in URLs of problem types and in translation keys.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad-request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::CsrfRejected => "csrf",
            ErrorKind::NotFound => "not-found",
            ErrorKind::MethodNotAllowed => "method-not-allowed",
            ErrorKind::PayloadTooLarge => "too-large",
            ErrorKind::RequestTimeout => "timeout",
            ErrorKind::UnsupportedMediaType => "unsupported-media-type",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    /// Translation keys of the title and explanation.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::BadRequest => ("error-bad-request-title", "error-bad-request-body"),
            ErrorKind::Unauthorized => ("error-unauthorized-title", "error-unauthorized-body"),
            ErrorKind::Forbidden => ("error-forbidden-title", "error-forbidden-body"),
            ErrorKind::CsrfRejected => ("error-csrf-title", "error-csrf-body"),
            ErrorKind::NotFound => ("error-not-found-title", "error-not-found-body"),
            ErrorKind::MethodNotAllowed => ("error-method-title", "error-method-body"),
            ErrorKind::PayloadTooLarge => ("error-too-large-title", "error-too-large-body"),
            ErrorKind::RequestTimeout => ("error-timeout-title", "error-timeout-body"),
            ErrorKind::UnsupportedMediaType => ("error-media-type-title", "error-media-type-body"),
            ErrorKind::Unavailable => ("error-unavailable-title", "error-unavailable-body"),
            ErrorKind::Internal => ("error-internal-title", "error-internal-body"),
        }
    }
}

/// Error returned by handlers.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request")]
    BadRequest,
    #[error("forbidden")]
    Forbidden,
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(anyhow::Error),
}

/// True when the database connection itself failed (PostgreSQL dropped it,
/// the SQLite file cannot be opened) rather than the statement.
pub fn is_connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::Io(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // PostgreSQL: connection exceptions (08…), shutdown or
            // termination (57P…), too many connections (53300), database
            // not accepting connections (55000); SQLite: cannot open the
            // file (14).
            code.starts_with("08")
                || code.starts_with("57P")
                || matches!(code.as_ref(), "53300" | "55000" | "14")
        }
        _ => false,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                AppError::Unavailable(e)
            }
            ref other if is_connection_lost(other) => AppError::Unavailable(e),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl AppError {
    fn kind(&self) -> ErrorKind {
        match self {
            AppError::NotFound => ErrorKind::NotFound,
            AppError::BadRequest => ErrorKind::BadRequest,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::Unavailable(_) => ErrorKind::Unavailable,
            AppError::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// An empty response carrying an [`ErrorKind`] for the pipeline to render.
pub fn marked(kind: ErrorKind) -> Response {
    let mut res = kind.status().into_response();
    res.extensions_mut().insert(kind);
    res
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            AppError::Unavailable(e) => tracing::error!(error = %e, "database unavailable"),
            _ => {}
        }
        marked(self.kind())
    }
}
