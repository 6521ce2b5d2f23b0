//! Forms with repeated fields (several `themes=` checkboxes, one `sectors=`
//! per ticked sector): one extractor deserialises them into `Vec` fields, so
//! no feature reads its body pair by pair.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, Method};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::web::error::{marked, ErrorKind};

/// A form body (or, for `GET`, the query string) whose repeated keys fill
/// `Vec` fields; a single key fills a plain field. A body that does not fit
/// the type gets the same localised 400 page as any bad form.
pub struct RepeatedForm<T>(pub T);

impl<T, S> FromRequest<S> for RepeatedForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            let query = req.uri().query().unwrap_or("").to_string();
            return parse(query.as_bytes())
                .map(RepeatedForm)
                .map_err(IntoResponse::into_response);
        }
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(marked(ErrorKind::from_status(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            )));
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|rej| marked(ErrorKind::from_status(rej.status())))?;
        crate::web::input::check_form(&body).map_err(IntoResponse::into_response)?;
        parse(&body)
            .map(RepeatedForm)
            .map_err(IntoResponse::into_response)
    }
}

/// A form body that does not fit its type: answered with the localised 400 page.
#[derive(Debug)]
pub struct BadForm;

impl IntoResponse for BadForm {
    fn into_response(self) -> Response {
        marked(ErrorKind::from_status(axum::http::StatusCode::BAD_REQUEST))
    }
}

/// Deserialise `application/x-www-form-urlencoded` text with repeated keys.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BadForm> {
    serde_html_form::from_bytes(bytes).map_err(|e| {
        tracing::info!(error = %e, "form rejected");
        BadForm
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Card {
        name: String,
        themes: Vec<i64>,
        sectors: Vec<String>,
    }

    #[test]
    fn repeated_keys_fill_lists() {
        let c: Card = super::parse(b"name=Atelier+%C3%A9co&themes=3&themes=7&sectors=47").unwrap();
        assert_eq!(c.name, "Atelier éco");
        assert_eq!(c.themes, [3, 7]);
        assert_eq!(c.sectors, ["47"]);
        let empty: Card = super::parse(b"").unwrap();
        assert!(empty.themes.is_empty());
        assert!(super::parse::<Card>(b"themes=x").is_err());
    }
}
