//! "Forgotten password": ask for a link, then set a new password with it.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{accept_password_link, password_form, sign_in, Accepted, MessagePage};
use crate::auth::model::{
    address_bucket, ForgotInput, LinkPurpose, PasswordInput, MAX_REQUESTS_PER_ADDRESS,
};
use crate::auth::{mails, store};
use crate::config::Config;
use crate::db::Db;
use crate::outbox::enqueue;
use crate::state::AppState;
use crate::web::ctx::ClientIp;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    input: ForgotInput,
    errors: Violations,
}

/// The form asking for the address.
pub async fn forgot_form(ctx: PageCtx) -> Response {
    page(&ForgotPage {
        ctx,
        input: ForgotInput::default(),
        errors: Violations::default(),
    })
}

/// Mail a reset link when the address has an open account; the page says
/// the same either way.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    WebForm(input): WebForm<ForgotInput>,
) -> Result<Response, AppError> {
    let bucket = address_bucket("reset", ip);
    let email = match input.parse() {
        Ok(_) if store::attempts(&state.db, &bucket).await? >= MAX_REQUESTS_PER_ADDRESS => {
            let mut v = Violations::default();
            v.add("email", "auth-rate-limited", None);
            Err(v)
        }
        other => other,
    };
    let email = match email {
        Ok(e) => e,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ForgotPage { ctx, input, errors },
            ))
        }
    };
    store::record_attempt(&state.db, &bucket).await?;
    if let Some((user_id, name)) = store::active_user(&state.db, &email).await? {
        let mut tx = state.db.begin_write().await?;
        let token = store::issue_link(
            &mut tx,
            LinkPurpose::Reset,
            Some(user_id),
            &email,
            &[],
            None,
        )
        .await?;
        let mail = mails::reset(ctx.tr, &state.config.base_url, &name, &email, &token);
        enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        state.mail_notify.notify_one();
    }
    Ok(page(&MessagePage::new(
        ctx,
        "auth-reset-sent-title",
        "auth-reset-sent-body",
    )))
}

/// The new-password form behind a reset link.
pub async fn form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    password_form(&db, ctx, LinkPurpose::Reset, &token).await
}

/// Set the new password, end every other session, sign in.
pub async fn submit(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
    WebForm(input): WebForm<PasswordInput>,
) -> Result<Response, AppError> {
    let accepted = accept_password_link(&db, ctx, LinkPurpose::Reset, &token, input).await?;
    let Accepted {
        mut tx,
        grant,
        hash,
        ..
    } = match accepted {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(user_id) = grant.user_id else {
        return Err(AppError::BadRequest);
    };
    store::set_password(&mut tx, user_id, &hash).await?;
    // A new password ends every other session.
    store::end_all_sessions_in(&mut tx, user_id).await?;
    tx.commit().await?;
    sign_in(&db, &config, &headers, user_id, "/compte?reinitialise=1").await
}
