//! Sign-up and the e-mail verification that activates the account.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::{link_error_page, sign_in, MessagePage};
use crate::auth::model::{
    address_bucket, LinkPurpose, Signup, SignupInput, MAX_REQUESTS_PER_ADDRESS,
};
use crate::auth::{mails, secrets, store};
use crate::config::Config;
use crate::db::Db;
use crate::outbox::enqueue;
use crate::state::AppState;
use crate::web::ctx::ClientIp;
use crate::web::forms::{checked, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

#[derive(Template)]
#[template(path = "auth/signup.html")]
struct SignupPage {
    ctx: PageCtx,
    input: SignupInput,
    errors: Violations,
}

impl SignupPage {
    fn is_type(&self, t: &str) -> bool {
        self.input.account_type == t
    }
    fn consent_checked(&self) -> bool {
        checked(&self.input.consent)
    }
}

/// The sign-up form (a business owner by default).
pub async fn form(ctx: PageCtx) -> Response {
    if ctx.signed_in() {
        return Redirect::to("/compte").into_response();
    }
    page(&SignupPage {
        ctx,
        input: SignupInput {
            account_type: "business".into(),
            ..Default::default()
        },
        errors: Violations::default(),
    })
}

/// Create the account and mail its verification link. An address that
/// already has an account gets the same screen; its owner is told by mail.
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    WebForm(input): WebForm<SignupInput>,
) -> Result<Response, AppError> {
    let bucket = address_bucket("signup", ip);
    let signup = match input.parse() {
        Ok(_) if store::attempts(&state.db, &bucket).await? >= MAX_REQUESTS_PER_ADDRESS => {
            let mut v = Violations::default();
            v.add("email", "auth-rate-limited", None);
            Err(v)
        }
        other => other,
    };
    let signup = match signup {
        Ok(s) => s,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SignupPage {
                    ctx,
                    input: input.without_passwords(),
                    errors,
                },
            ))
        }
    };
    store::record_attempt(&state.db, &bucket).await?;
    create_account(&state.db, &state.config, &ctx, &signup).await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to("/inscription/envoye").into_response())
}

/// Store a new account and queue its verification mail, or tell the owner
/// of an existing account.
async fn create_account(
    db: &Db,
    config: &Arc<Config>,
    ctx: &PageCtx,
    s: &Signup,
) -> Result<(), AppError> {
    let tr = ctx.tr;
    let hash = secrets::hash_password(s.password.clone()).await?;
    let mut tx = db.begin_write().await?;
    match store::user_id_by_email(&mut tx, &s.email).await? {
        Some(_) => {
            let mail = mails::existing_account(tr, &config.base_url, &s.name, &s.email);
            enqueue(&mut tx, &mail).await?;
        }
        None => {
            let user_id = store::create_user(
                &mut tx,
                &store::NewUser {
                    email: &s.email,
                    name: &s.name,
                    password_hash: &hash,
                    locale: tr.lang(),
                    verified_at: None,
                },
            )
            .await?;
            // The person chose the role themselves: they are its actor.
            store::grant_role(&mut tx, user_id, s.role, Some(user_id)).await?;
            let token = store::issue_link(
                &mut tx,
                LinkPurpose::Verify,
                Some(user_id),
                &s.email,
                &[],
                None,
            )
            .await?;
            let mail = mails::verification(tr, &config.base_url, &s.name, &s.email, &token);
            enqueue(&mut tx, &mail).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// "Check your mail".
pub async fn sent(ctx: PageCtx) -> Response {
    page(&MessagePage::new(
        ctx,
        "auth-check-mail-title",
        "auth-check-mail-body",
    ))
}

#[derive(Template)]
#[template(path = "auth/verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    token: String,
}

/// Shows a button rather than acting on GET: mail scanners that open links
/// must not use them up.
pub async fn verify_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(
        match store::peek_link(&db, LinkPurpose::Verify, &token).await? {
            Ok(_) => page(&VerifyPage { ctx, token }),
            Err(e) => link_error_page(ctx, e, LinkPurpose::Verify),
        },
    )
}

/// Use the verification link and sign the person in.
pub async fn verify(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = db.begin_write().await?;
    let grant = match store::consume_link(&mut tx, LinkPurpose::Verify, &token).await? {
        Ok(g) => g,
        Err(e) => {
            tx.rollback().await?;
            return Ok(link_error_page(ctx, e, LinkPurpose::Verify));
        }
    };
    let Some(user_id) = grant.user_id else {
        return Err(AppError::BadRequest);
    };
    store::mark_verified(&mut tx, user_id).await?;
    crate::home::attach::confirmed(&mut tx, user_id, crate::db::now_ms()).await?;
    tx.commit().await?;
    sign_in(&db, &config, &headers, user_id, "/compte?bienvenue=1").await
}
