//! Confirmation of destructive or irreversible actions (cancel a session and
//! mail everyone, close a need, remove a territory, decline a reply).
//!
//! One mechanism for every feature, working with and without JavaScript:
//!
//! - the action's form is ordinary: its submit button is written with the
//!   `confirm_button` macro of `templates/macros.html`, which carries the
//!   question in `data-confirm*` attributes;
//! - with JavaScript, `static/app.js` asks the question in a `<dialog>`
//!   and, on "yes", posts the form with `confirmed=1` added;
//! - without JavaScript, the handler receives the form without
//!   `confirmed=1` and answers with a confirmation page
//!   (`templates/confirm.html`) that posts the very same fields again, to
//!   the same address, with `confirmed=1`.
//!
//! A handler takes its form as [`Confirmable<T>`] instead of `WebForm<T>`:
//!
//! ```ignore
//! if !form.confirmed() {
//!     return Ok(form.ask(ctx, Question::new(title, body, yes, "/back")));
//! }
//! let form = form.into_inner();
//! ```

use askama::Template;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::web::error::{marked, ErrorKind};
use crate::web::forms::BODY_LIMIT;
use crate::web::pipeline::CSRF_FIELD;
use crate::web::{page, PageCtx};

/// The field that says the person already answered "yes".
pub const FIELD: &str = "confirmed";

/// What the confirmation asks, in the visitor's language.
#[derive(Debug, Clone)]
pub struct Question {
    /// The page's heading, e.g. "Retirer la Gironde du programme ?".
    pub title: String,
    /// What will happen, in one or two sentences.
    pub body: String,
    /// The label of the button that goes ahead, e.g. "Oui, retirer".
    pub yes: String,
    /// Where "no" leads (a local path): the page the action came from.
    pub back: String,
}

impl Question {
    /// A question; `back` is kept only if it is a local path.
    pub fn new(
        title: impl Into<String>,
        body: impl Into<String>,
        yes: impl Into<String>,
        back: &str,
    ) -> Question {
        Question {
            title: title.into(),
            body: body.into(),
            yes: yes.into(),
            back: crate::web::safe_local_path(back).unwrap_or("/").to_string(),
        }
    }
}

/// A form body read both as `T` and as its raw fields, so that the
/// confirmation page can post it again unchanged.
pub struct Confirmable<T> {
    form: T,
    fields: Vec<(String, String)>,
    action: String,
}

impl<T> Confirmable<T> {
    /// True when the person confirmed (dialog or confirmation page).
    pub fn confirmed(&self) -> bool {
        self.fields
            .iter()
            .any(|(k, v)| k == FIELD && crate::web::forms::checked(&Some(v.clone())))
    }

    /// The typed form.
    pub fn form(&self) -> &T {
        &self.form
    }

    /// The typed form, once confirmed.
    pub fn into_inner(self) -> T {
        self.form
    }

    /// The confirmation page: `question`, then a form posting the same
    /// fields to the same address with `confirmed=1`, and a way back.
    pub fn ask(&self, ctx: PageCtx, mut question: Question) -> Response {
        question.back = distinct_back(&question.back, &self.action);
        page(&ConfirmPage {
            ctx,
            question,
            action: self.action.clone(),
            fields: self
                .fields
                .iter()
                .filter(|(k, _)| k != CSRF_FIELD && k != FIELD)
                .cloned()
                .collect(),
        })
    }
}

impl<T, S> FromRequest<S> for Confirmable<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let action = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let is_form = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        if !is_form {
            return Err(marked(ErrorKind::UnsupportedMediaType));
        }
        let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| marked(ErrorKind::PayloadTooLarge))?;
        // Repeated keys fill lists, as in `kernel::forms::RepeatedForm`.
        let form: T = crate::kernel::forms::parse(&bytes).map_err(|e| e.into_response())?;
        let fields = url::form_urlencoded::parse(&bytes).into_owned().collect();
        Ok(Confirmable {
            form,
            fields,
            action,
        })
    }
}

/// The confirmation page's address is the action's: a "no" link to the same
/// address plus a fragment would only scroll the page, so it gets a query
/// mark of its own to load the page again.
fn distinct_back(back: &str, action: &str) -> String {
    let (path, fragment) = match back.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (back, None),
    };
    if path != action {
        return back.to_string();
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{path}{sep}retour=1#{f}"),
        None => format!("{path}{sep}retour=1"),
    }
}

/// The page asked when JavaScript did not ask already.
#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    question: Question,
    action: String,
    fields: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::distinct_back;

    #[test]
    fn going_back_to_the_action_page_loads_it_again() {
        assert_eq!(
            distinct_back("/admin/programme#territories", "/admin/programme"),
            "/admin/programme?retour=1#territories"
        );
        assert_eq!(
            distinct_back("/besoins/3", "/besoins/3/clore"),
            "/besoins/3"
        );
        assert_eq!(distinct_back("/a?x=1", "/a?x=1"), "/a?x=1&retour=1");
    }
}
