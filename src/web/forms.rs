//! Server-side form handling shared by every page and the JSON API:
//! extractors that turn framework rejections into clear answers, and a
//! collector of field violations rendered next to each field, localised.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::i18n::{Locale, Tr};
use crate::web::ctx::RequestInfo;
use crate::web::error::{marked, ErrorKind};
use crate::web::input::{check_form, nul_in_json, NulField};
use crate::web::problem::{FieldProblem, Problem};

/// Largest form or JSON body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A problem with one field: a translation key and an optional number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub key: &'static str,
    pub limit: Option<i64>,
}

/// Every violation found in one submission.
#[derive(Debug, Clone, Default)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// Record a violation.
    pub fn add(&mut self, field: &'static str, key: &'static str, limit: Option<i64>) {
        self.0.push(Violation { field, key, limit });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `field` has a violation.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|v| v.field == field)
    }

    /// Localised message of the first violation on `field`.
    pub fn message(&self, tr: impl std::borrow::Borrow<Tr>, field: &str) -> Option<String> {
        let tr = *tr.borrow();
        self.0
            .iter()
            .find(|v| v.field == field)
            .map(|v| localise(&tr, v))
    }

    /// Localised messages in form order, for the error summary.
    pub fn summary(&self, tr: impl std::borrow::Borrow<Tr>) -> Vec<(&'static str, String)> {
        let tr = *tr.borrow();
        self.0.iter().map(|v| (v.field, localise(&tr, v))).collect()
    }

    /// Trimmed text; `min`/`max` count characters, `min > 0` means required.
    pub fn text(&mut self, field: &'static str, value: &str, min: usize, max: usize) -> String {
        let v = value.trim().to_string();
        let n = v.chars().count();
        if n == 0 && min > 0 {
            self.add(field, "form-required", None);
        } else if n > 0 && n < min {
            self.add(field, "form-too-short", Some(min as i64));
        } else if n > max {
            self.add(field, "form-too-long", Some(max as i64));
        }
        v
    }

    /// A required e-mail address, trimmed.
    pub fn email(&mut self, field: &'static str, value: &str) -> String {
        let v = value.trim().to_string();
        if v.is_empty() {
            self.add(field, "form-required", None);
        } else if !is_valid_email(&v) {
            self.add(field, "form-email-invalid", None);
        }
        v
    }

    /// A checkbox that must be ticked.
    pub fn accepted(&mut self, field: &'static str, value: bool) {
        if !value {
            self.add(field, "form-must-accept", None);
        }
    }

    /// The API form of these violations.
    pub fn to_problem(&self, tr: Tr) -> Problem {
        let mut p = Problem::new(
            tr,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "problem-validation",
        );
        p.errors = self
            .0
            .iter()
            .map(|v| FieldProblem {
                field: v.field.to_string(),
                code: v.key.trim_start_matches("form-").to_string(),
                message: localise(&tr, v),
            })
            .collect();
        p
    }
}

fn localise(tr: &Tr, v: &Violation) -> String {
    match v.limit {
        Some(n) => tr.tn(v.key, "limit", n),
        None => tr.t(v.key),
    }
}

/// A plausible, deliverable-looking address: one `@`, a dotted domain, no
/// spaces, accepted by the mail library.
pub fn is_valid_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.parse::<lettre::Address>().is_ok()
}

/// The first value of `key` in a query string read as pairs (a repeated
/// field keeps its first value; a missing one is empty).
pub fn first_value(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A checkbox value as sent by browsers (`on`, `1`, `true`, `yes`).
pub fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("on" | "1" | "true" | "yes"))
}

/// `application/x-www-form-urlencoded` body; a bad body gets a localised page.
pub struct WebForm<T>(pub T);

impl<T, S> FromRequest<S> for WebForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let req = checked_body(req).await?;
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(WebForm(v)),
            Err(rej) => {
                tracing::info!(rejection = %rej.body_text(), "form rejected");
                Err(marked(ErrorKind::from_status(rej.status())))
            }
        }
    }
}

/// JSON body for the API; a bad body gets a problem+json answer.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let locale = req
            .extensions()
            .get::<RequestInfo>()
            .map(|i| i.locale)
            .unwrap_or(Locale::Fr);
        let tr = Tr(locale);
        let problem = |status: StatusCode, detail: String| {
            let kind = ErrorKind::from_status(status);
            let (title, _) = kind.keys();
            let mut p = Problem::new(tr, status, kind.code(), title);
            p.detail = Some(detail);
            p.into_response()
        };
        // Read as a JSON value first, so a NUL byte in any string is refused
        // with its field named before the handler sees it.
        let value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rej) => return Err(problem(rej.status(), rej.body_text())),
        };
        if let Some(field) = nul_in_json(&value) {
            let nul = NulField::new(field, StatusCode::UNPROCESSABLE_ENTITY);
            return Err(nul.to_problem(tr).into_response());
        }
        serde_json::from_value::<T>(value)
            .map(ApiJson)
            .map_err(|e| {
                problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Failed to deserialize the JSON body into the target type: {e}"),
                )
            })
    }
}

/// A form that may carry files: posted plain (no file) or as
/// `multipart/form-data`. Text fields come as pairs, like [`WebForm`]; a
/// text field holding a NUL byte is refused with its name.
pub struct PostedForm {
    pub pairs: Vec<(String, String)>,
    /// Files by field name (fields left without a file are not here).
    pub files: Vec<(String, bytes::Bytes)>,
    /// The body went over the route's limit: what came after is missing.
    pub too_large: bool,
}

impl PostedForm {
    /// What the file field `name` held.
    pub fn file(&self, name: &str) -> crate::csvio::Upload {
        use crate::csvio::Upload;
        match self.files.iter().find(|(n, _)| n == name) {
            Some((_, b)) => Upload::File(b.clone()),
            None if self.too_large => Upload::TooLarge,
            None => Upload::Empty,
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for PostedForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        let mut posted = PostedForm {
            pairs: vec![],
            files: vec![],
            too_large: false,
        };
        if !multipart {
            let WebForm(pairs) = WebForm::from_request(req, state).await?;
            posted.pairs = pairs;
            return Ok(posted);
        }
        let mut parts = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        loop {
            let field = match parts.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(_) => {
                    posted.too_large = true;
                    break;
                }
            };
            let name = field.name().unwrap_or("").to_string();
            let is_file = field.file_name().is_some();
            let read = field.bytes().await;
            let Ok(value) = read else {
                posted.too_large = true;
                return Ok(posted);
            };
            if is_file {
                if !value.is_empty() {
                    posted.files.push((name, value));
                }
                continue;
            }
            let text = String::from_utf8_lossy(&value).into_owned();
            if text.contains('\0') || name.contains('\0') {
                let nul = NulField::new(name, StatusCode::UNPROCESSABLE_ENTITY);
                return Err(nul.into_response());
            }
            posted.pairs.push((name, text));
        }
        Ok(posted)
    }
}

/// A form body, read once and refused when a field holds a NUL byte; the
/// request comes back around the same bytes.
async fn checked_body(req: Request) -> Result<Request, Response> {
    if req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD {
        // The query string was checked by the pipeline.
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| marked(ErrorKind::PayloadTooLarge))?;
    check_form(&bytes).map_err(IntoResponse::into_response)?;
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_valid_email("marie@boulangerie-dupont.fr"));
        assert!(is_valid_email("a.b+c@x.co"));
        assert!(!is_valid_email("marie@localhost"));
        assert!(!is_valid_email("marie dupont@x.fr"));
        assert!(!is_valid_email("marie.x.fr"));
        assert!(!is_valid_email("@x.fr"));
        assert!(!is_valid_email("m@x..fr"));
    }

    #[test]
    fn text_limits_count_characters() {
        let mut v = Violations::default();
        assert_eq!(v.text("name", "  Éloïse  ", 1, 6), "Éloïse");
        assert!(v.is_empty());
        v.text("name", "", 1, 10);
        v.text("message", "court", 10, 100);
        v.text("subject", &"x".repeat(11), 0, 10);
        let keys: Vec<_> = v.0.iter().map(|x| x.key).collect();
        assert_eq!(keys, ["form-required", "form-too-short", "form-too-long"]);
    }
}
