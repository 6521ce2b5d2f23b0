//! Text a request brings in must be storable on both databases. A NUL byte
//! (U+0000) is refused by PostgreSQL (a 500 or a false 503 mid-handler) and
//! kept as-is by SQLite, so it is refused here, before any handler or query,
//! with the field named: path and query string in the pipeline, form and JSON
//! bodies in their extractors, CSV cells in `csvio`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::i18n::Tr;
use crate::web::error::{marked, ErrorKind};
use crate::web::problem::{FieldProblem, Problem};

/// Stable code of the refusal in API answers.
pub const NUL_CODE: &str = "nul-byte";

/// A request field that holds a NUL byte; the pipeline renders it as a
/// localised page (or problem+json under `/api`) naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NulField {
    /// Name of the field (query or form key, JSON path, route parameter).
    pub field: String,
    /// 400 for the address (path, query string), 422 for a body.
    pub status: StatusCode,
}

impl NulField {
    /// A refusal of `field` with `status`.
    pub fn new(field: impl Into<String>, status: StatusCode) -> NulField {
        NulField {
            field: printable(&field.into()),
            status,
        }
    }

    /// The API answer: a problem naming the field.
    pub fn to_problem(&self, tr: Tr) -> Problem {
        let mut p = Problem::new(tr, self.status, NUL_CODE, "input-nul-title");
        let message = tr.ts("input-nul-field", "field", &self.field);
        p.detail = Some(message.clone());
        p.errors = vec![FieldProblem {
            field: self.field.clone(),
            code: NUL_CODE.into(),
            message,
        }];
        p
    }
}

impl IntoResponse for NulField {
    /// A marked response: the pipeline knows the language and whether it is an API call.
    fn into_response(self) -> Response {
        let kind = if self.status == StatusCode::BAD_REQUEST {
            ErrorKind::BadRequest
        } else {
            ErrorKind::from_status(self.status)
        };
        let status = self.status;
        let mut res = marked(kind);
        *res.status_mut() = status;
        res.extensions_mut().insert(self);
        res
    }
}

/// A field name as shown: NUL bytes and other control characters dropped.
fn printable(name: &str) -> String {
    let s: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    if s.is_empty() {
        "?".into()
    } else {
        s
    }
}

/// Could these (still percent-encoded or raw) bytes hold a NUL once decoded?
fn may_hold_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00")
}

/// The first field of an `application/x-www-form-urlencoded` text (form body
/// or query string) whose name or value holds a NUL byte.
pub fn nul_in_pairs(bytes: &[u8]) -> Option<String> {
    if !may_hold_nul(bytes) {
        return None;
    }
    url::form_urlencoded::parse(bytes)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.into_owned())
}

/// The route parameter (e.g. `token` of `/api/v1/diagnostics/{token}`) whose
/// segment of `path` decodes to a NUL byte; `path` when the route is unknown.
pub fn nul_in_path(route: Option<&str>, path: &str) -> Option<String> {
    if !may_hold_nul(path.as_bytes()) {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let at = segments.iter().position(|s| may_hold_nul(s.as_bytes()))?;
    let name = route
        .and_then(|r| r.split('/').nth(at))
        .and_then(|s| s.strip_prefix('{'))
        .and_then(|s| s.strip_suffix('}'))
        .map(|s| s.trim_start_matches('*'))
        .unwrap_or("path");
    Some(name.to_string())
}

/// Path (`name`, `items.0.code`) of the first JSON string or key holding a NUL byte.
pub fn nul_in_json(value: &Value) -> Option<String> {
    fn walk(v: &Value, at: &str) -> Option<String> {
        let join = |k: &str| {
            if at.is_empty() {
                k.to_string()
            } else {
                format!("{at}.{k}")
            }
        };
        match v {
            Value::String(s) if s.contains('\0') => Some(if at.is_empty() {
                "body".into()
            } else {
                at.into()
            }),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| walk(x, &join(&i.to_string()))),
            Value::Object(map) => map.iter().find_map(|(k, x)| {
                if k.contains('\0') {
                    Some(join(k))
                } else {
                    walk(x, &join(k))
                }
            }),
            _ => None,
        }
    }
    walk(value, "")
}

/// Refuse a request whose path or query string holds a NUL byte.
pub fn check_address(route: Option<&str>, path: &str, query: Option<&str>) -> Result<(), NulField> {
    if let Some(field) = nul_in_path(route, path) {
        return Err(NulField::new(field, StatusCode::BAD_REQUEST));
    }
    if let Some(field) = query.and_then(|q| nul_in_pairs(q.as_bytes())) {
        return Err(NulField::new(field, StatusCode::BAD_REQUEST));
    }
    Ok(())
}

/// Refuse a form body holding a NUL byte in any field.
pub fn check_form(body: &[u8]) -> Result<(), NulField> {
    match nul_in_pairs(body) {
        Some(field) => Err(NulField::new(field, StatusCode::UNPROCESSABLE_ENTITY)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_of_a_pair() {
        assert_eq!(nul_in_pairs(b"a=1&b=x%00y"), Some("b".into()));
        assert_eq!(nul_in_pairs(b"a=1&na%00me=x"), Some("na\0me".into()));
        assert_eq!(nul_in_pairs(b"a=1&b=%2500"), None);
        assert_eq!(nul_in_pairs(b"q=caf%C3%A9"), None);
        assert_eq!(
            NulField::new("na\0me", StatusCode::BAD_REQUEST).field,
            "name"
        );
    }

    #[test]
    fn names_the_route_parameter() {
        let r = Some("/api/v1/diagnostics/{token}/answers/{question}");
        assert_eq!(
            nul_in_path(r, "/api/v1/diagnostics/abc/answers/q%001"),
            Some("question".into())
        );
        assert_eq!(
            nul_in_path(r, "/api/v1/diagnostics/%00/answers/q1"),
            Some("token".into())
        );
        assert_eq!(nul_in_path(None, "/x/%00"), Some("path".into()));
        assert_eq!(nul_in_path(r, "/api/v1/diagnostics/abc/answers/q1"), None);
    }

    #[test]
    fn walks_json() {
        let v: Value = serde_json::from_str(r#"{"a":"ok","b":[1,{"c":"x\u0000"}]}"#).unwrap();
        assert_eq!(nul_in_json(&v), Some("b.1.c".into()));
        let v: Value = serde_json::from_str(r#"{"a\u0000":1}"#).unwrap();
        assert_eq!(nul_in_json(&v).map(|f| printable(&f)), Some("a".into()));
        let v: Value = serde_json::from_str(r#"{"a":"\\u0000"}"#).unwrap();
        assert_eq!(nul_in_json(&v), None);
    }
}
