//! `application/problem+json` answers for the JSON API (RFC 9457).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::i18n::Tr;

/// One invalid field of a request body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Name of the field in the request body.
    pub field: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable message in the negotiated language.
    pub message: String,
}

/// An API error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl Problem {
    /// A problem whose title is the translated `key`.
    pub fn new(tr: Tr, status: StatusCode, code: &str, key: &str) -> Problem {
        Problem {
            kind: format!("https://tremplin.dev/problems/{code}"),
            title: tr.t(key),
            status: status.as_u16(),
            detail: None,
            errors: vec![],
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".into());
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}
