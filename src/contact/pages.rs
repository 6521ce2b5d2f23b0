//! Contact form pages: the form, its submission, the thank-you page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{submit, ContactInput, ContactRequest, SubmitError, TOPICS};
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, PageCtx};

#[derive(Template)]
#[template(path = "contact/form.html")]
struct ContactPage {
    ctx: PageCtx,
    input: ContactInput,
    errors: Violations,
    topics: &'static [&'static str],
    unavailable: bool,
}

impl ContactPage {
    fn topic_selected(&self, topic: &str) -> bool {
        self.input.topic == topic
    }

    fn consent_checked(&self) -> bool {
        crate::web::forms::checked(&self.input.consent)
    }
}

#[derive(Template)]
#[template(path = "contact/sent.html")]
struct SentPage {
    ctx: PageCtx,
}

/// The empty form.
pub(super) async fn show(ctx: PageCtx) -> Response {
    page(&ContactPage {
        ctx,
        input: ContactInput {
            topic: "general".into(),
            ..Default::default()
        },
        errors: Violations::default(),
        topics: &TOPICS,
        unavailable: false,
    })
}

/// Check and send the message, or show the form again.
pub(super) async fn send(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(input): WebForm<ContactInput>,
) -> Response {
    let form = |ctx, input, errors, unavailable| ContactPage {
        ctx,
        input,
        errors,
        topics: &TOPICS,
        unavailable,
    };
    match ContactRequest::parse(&input) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form(ctx, input, errors, false),
        ),
        Ok(req) => match submit(&state, &req, ctx.tr.0).await {
            Ok(_) => Redirect::to("/contact/merci").into_response(),
            Err(SubmitError::Db(e)) => {
                // Keep what the visitor typed: show the form again with a notice.
                tracing::error!(error = %e, "contact message not stored");
                render(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &form(ctx, input, Violations::default(), true),
                )
            }
        },
    }
}

/// The thank-you page.
pub(super) async fn sent(ctx: PageCtx) -> Response {
    page(&SentPage { ctx })
}
