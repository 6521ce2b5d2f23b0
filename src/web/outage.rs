//! Forms sent while the database is unreachable: whatever page the form was
//! on, the visitor gets back what they typed with a notice that the service
//! is briefly unavailable, and can send it again. One mechanism in the
//! pipeline (it already holds the form body for the CSRF check) instead of a
//! copy in every handler.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::web::{render, PageCtx};

/// The body of a form post, kept by the pipeline until the answer is known.
#[derive(Debug, Clone)]
pub struct FormBody(pub bytes::Bytes);

/// One field sent back to the visitor.
pub struct KeptField {
    pub name: String,
    pub value: String,
    pub multiline: bool,
    /// A password: asked again, never echoed.
    pub secret: bool,
}

#[derive(Template)]
#[template(path = "kept_form.html")]
struct KeptFormPage {
    ctx: PageCtx,
    action: String,
    fields: Vec<KeptField>,
    dropped_secret: bool,
}

/// True for fields never echoed back.
fn is_secret(name: &str) -> bool {
    name.contains("password")
}

/// The fields of a form body as they will be shown again.
pub fn kept_fields(body: &[u8]) -> (Vec<KeptField>, bool) {
    let mut dropped = false;
    let mut fields = vec![];
    for (k, v) in url::form_urlencoded::parse(body) {
        // The page carries a fresh token of its own.
        if k == crate::web::pipeline::CSRF_FIELD {
            continue;
        }
        let secret = is_secret(&k);
        dropped |= secret;
        fields.push(KeptField {
            multiline: !secret && (v.contains('\n') || v.chars().count() > 80),
            name: k.into_owned(),
            value: if secret {
                String::new()
            } else {
                v.into_owned()
            },
            secret,
        });
    }
    (fields, dropped)
}

/// The page answering a form post that met a database outage: 503, what was
/// typed, and a button that sends it again to the same address.
pub fn kept_form(ctx: PageCtx, action: String, body: &[u8]) -> Response {
    let (fields, dropped_secret) = kept_fields(body);
    render(
        StatusCode::SERVICE_UNAVAILABLE,
        &KeptFormPage {
            ctx,
            action,
            fields,
            dropped_secret,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_the_old_token_are_not_echoed() {
        let (f, dropped) =
            kept_fields(b"csrf_token=abc&email=marie%40x.fr&password=secret&message=a%0Ab");
        let names: Vec<_> = f.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["email", "password", "message"]);
        assert!(dropped);
        assert!(f[1].secret && f[1].value.is_empty());
        assert!(f[2].multiline);
    }
}
