//! Login (rate-limited per account and per address) and logout.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::{sign_in, signed_out};
use crate::auth::model::{
    account_bucket, address_bucket, AccountState, Credentials, CurrentUser, LinkPurpose,
    LoginInput, MAX_ATTEMPTS_PER_ADDRESS, MAX_FAILURES_PER_ACCOUNT,
};
use crate::auth::{mails, secrets, store, SESSION_COOKIE};
use crate::config::Config;
use crate::db::Db;
use crate::outbox::enqueue;
use crate::state::AppState;
use crate::web::ctx::ClientIp;
use crate::web::forms::{Violations, WebForm};
use crate::web::{cookie, page, render, safe_local_path, AppError, PageCtx};

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageCtx,
    input: LoginInput,
    errors: Violations,
    notice: Option<String>,
    failure: Option<String>,
}

/// The login form shown back after a refusal (never with the password).
fn refused(
    ctx: PageCtx,
    input: LoginInput,
    status: StatusCode,
    errors: Violations,
    failure: Option<String>,
) -> Response {
    render(
        status,
        &LoginPage {
            ctx,
            input: LoginInput {
                password: String::new(),
                ..input
            },
            errors,
            notice: None,
            failure,
        },
    )
}

/// Query of the login page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    partout: Option<String>,
    sortie: Option<String>,
}

/// The login form, saying so after a logout.
pub async fn form(ctx: PageCtx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.signed_in() {
        return Redirect::to("/accueil").into_response();
    }
    let notice = if q.partout.is_some() {
        Some(ctx.tr.t("auth-logged-out-everywhere"))
    } else if q.sortie.is_some() {
        Some(ctx.tr.t("auth-logged-out"))
    } else {
        None
    };
    page(&LoginPage {
        ctx,
        input: LoginInput {
            next: safe_local_path(&q.next).unwrap_or("").to_string(),
            ..Default::default()
        },
        errors: Violations::default(),
        notice,
        failure: None,
    })
}

/// Check the password, then start a session (or resend the verification link).
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    WebForm(input): WebForm<LoginInput>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let Credentials { email, password } = match input.parse() {
        Ok(c) => c,
        Err(v) => {
            return Ok(refused(
                ctx,
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
                v,
                None,
            ))
        }
    };
    let db = &state.db;
    let acct_bucket = account_bucket(&email);
    let ip_bucket = address_bucket("login", ip);
    if store::attempts(db, &acct_bucket).await? >= MAX_FAILURES_PER_ACCOUNT
        || store::attempts(db, &ip_bucket).await? >= MAX_ATTEMPTS_PER_ADDRESS
    {
        return Ok(refused(
            ctx,
            input,
            StatusCode::TOO_MANY_REQUESTS,
            Violations::default(),
            Some(tr.t("auth-login-rate-limited")),
        ));
    }
    let row = store::login_row(db, &email).await?;
    let hash = row.as_ref().and_then(|r| r.password_hash.clone());
    let password_ok = secrets::verify_password(password, hash).await;
    let state_of = row
        .as_ref()
        .map(|r| AccountState::of(r.email_verified_at, r.disabled_at));
    let (Some(row), Some(account)) = (row, state_of.filter(|_| password_ok)) else {
        return failed(db, ctx, input, &acct_bucket, &ip_bucket).await;
    };
    match account {
        AccountState::Disabled => failed(db, ctx, input, &acct_bucket, &ip_bucket).await,
        AccountState::Unverified => {
            resend_verification(&state, &ctx, row.id, &row.display_name, &email).await?;
            Ok(refused(
                ctx,
                input,
                StatusCode::FORBIDDEN,
                Violations::default(),
                Some(tr.t(account.label_key())),
            ))
        }
        AccountState::Active => {
            store::clear_attempts(db, &acct_bucket).await?;
            // Rotate: the session a visitor had before logging in is never reused.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                store::end_session(db, &secrets::hash_secret(old)).await?;
            }
            let next = safe_local_path(&input.next)
                .filter(|n| !n.is_empty())
                .unwrap_or("/accueil");
            sign_in(db, &state.config, &headers, row.id, next).await
        }
    }
}

/// Count a failed attempt and say so, without telling which part was wrong.
async fn failed(
    db: &Db,
    ctx: PageCtx,
    input: LoginInput,
    acct_bucket: &str,
    ip_bucket: &str,
) -> Result<Response, AppError> {
    store::record_attempt(db, acct_bucket).await?;
    store::record_attempt(db, ip_bucket).await?;
    let failure = Some(ctx.tr.t(AccountState::Disabled.label_key()));
    Ok(refused(
        ctx,
        input,
        StatusCode::UNPROCESSABLE_ENTITY,
        Violations::default(),
        failure,
    ))
}

/// Mail a fresh verification link to an account never confirmed.
async fn resend_verification(
    state: &AppState,
    ctx: &PageCtx,
    user_id: i64,
    name: &str,
    email: &str,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let token = store::issue_link(
        &mut tx,
        LinkPurpose::Verify,
        Some(user_id),
        email,
        &[],
        None,
    )
    .await?;
    let mail = mails::verification(ctx.tr, &state.config.base_url, name, email, &token);
    enqueue(&mut tx, &mail).await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(())
}

/// End this session.
pub async fn logout(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    if let Some(u) = user {
        store::end_session(&db, &u.session_hash).await?;
    }
    Ok(signed_out(&config, "/connexion?sortie=1"))
}

/// End every session of the signed-in person.
pub async fn logout_everywhere(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    if let Some(u) = user {
        store::end_all_sessions(&db, u.id).await?;
    }
    Ok(signed_out(&config, "/connexion?partout=1"))
}
